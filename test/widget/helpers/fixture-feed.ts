/** A fixture feed: Saint-Étienne's 14 July, with the awkward cases a wall meets. */
import type { Alert, Author, FeedSnapshot, Post, TextRange } from '../../../server/contract.js';

/** 14 July 2026, 14:40 in Paris: the fake clock of the tests. */
export const NOW = Date.parse('2026-07-14T12:40:00Z');

/** Where `needle` sits in `text`, as JavaScript string indices. */
export function rangeOf(text: string, needle: string): TextRange {
  const start = text.indexOf(needle);
  if (start < 0) throw new Error(`"${needle}" is not in "${text}"`);
  return { start, end: start + needle.length };
}

export const mairie: Author = {
  name: 'Ville de Saint-Étienne',
  handle: 'SaintEtienne',
  avatarUrl: 'https://img.example/mairie.png',
  profileUrl: 'https://x.com/SaintEtienne',
};

const fireworksText = "Quel feu d'artifice 🎆🎇 #FeteNationale avec @SaintEtienne ! https://t.co/abc123 merci";

/** Newest: emoji before a hashtag, a mention and a link. */
export const fireworks: Post = {
  id: '1003',
  source: 'x',
  url: 'https://x.com/alice/status/1003',
  createdAt: '2026-07-14T12:35:00Z',
  author: {
    name: 'Alice Martin',
    handle: 'alice',
    avatarUrl: 'https://img.example/alice.png',
    profileUrl: 'https://x.com/alice',
  },
  text: fireworksText,
  entities: {
    hashtags: [
      { ...rangeOf(fireworksText, '#FeteNationale'), tag: 'FeteNationale', url: 'https://x.com/hashtag/FeteNationale' },
    ],
    mentions: [
      { ...rangeOf(fireworksText, '@SaintEtienne'), handle: 'SaintEtienne', url: 'https://x.com/SaintEtienne' },
    ],
    links: [
      {
        ...rangeOf(fireworksText, 'https://t.co/abc123'),
        href: 'https://t.co/abc123',
        display: 'saint-etienne.fr/programme',
        expandedUrl: 'https://www.saint-etienne.fr/programme',
      },
    ],
  },
  media: [
    {
      kind: 'photo',
      url: 'https://img.example/fireworks.jpg',
      previewUrl: 'https://img.example/fireworks.jpg',
      alt: 'Bouquet final au-dessus de la place Jean-Jaurès',
      width: 1200,
      height: 800,
    },
  ],
  lang: 'fr',
};

const hostileMarkup = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

/** Markup in text, name and alt must stay text. */
export const hostile: Post = {
  id: '1002',
  source: 'demo',
  url: 'https://x.com/mallory/status/1002',
  createdAt: '2026-07-14T12:20:00Z',
  author: {
    name: '<img src=x onerror="window.__pwned = 3">Mallory',
    handle: 'mallory',
    avatarUrl: 'javascript:alert(1)',
    profileUrl: 'javascript:alert(2)',
  },
  text: `Regardez ${hostileMarkup} #piège`,
  entities: {
    hashtags: [{ start: 0, end: 8, tag: 'x', url: 'javascript:alert(3)' }],
    mentions: [],
    links: [],
  },
  media: [
    {
      kind: 'photo',
      url: 'https://img.example/m.jpg',
      previewUrl: 'https://img.example/m.jpg',
      alt: hostileMarkup,
      width: 640,
      height: 480,
    },
    {
      kind: 'photo',
      url: 'https://img.example/no-alt.jpg',
      previewUrl: 'https://img.example/no-alt.jpg',
      alt: '',
      width: 640,
      height: 480,
    },
  ],
  lang: 'fr',
};

/** A repost of an English post quoting the town, edited, sensitive media. */
export const repost: Post = {
  id: '1001',
  source: 'x',
  url: 'https://x.com/bob/status/1001',
  createdAt: '2026-07-14T10:40:00Z',
  author: {
    name: 'Bob Smith',
    handle: 'bob',
    avatarUrl: '',
    profileUrl: 'https://x.com/bob',
  },
  text: 'What a parade in Saint-Étienne!',
  entities: { hashtags: [], mentions: [], links: [] },
  media: [
    {
      kind: 'photo',
      url: 'https://img.example/parade.jpg',
      previewUrl: 'https://img.example/parade.jpg',
      alt: 'Marching band',
      width: 800,
      height: 600,
    },
  ],
  repostedBy: mairie,
  quoted: {
    id: '900',
    source: 'x',
    url: 'https://x.com/SaintEtienne/status/900',
    createdAt: '2026-07-13T18:00:00Z',
    author: mairie,
    text: 'Défilé demain à 10 h, cours Fauriel.',
    entities: { hashtags: [], mentions: [], links: [] },
    media: [],
    lang: 'fr',
  },
  lang: 'en',
  sensitive: true,
  edited: true,
};

/** A post made for the event stream in tests. */
export function makePost(id: string, createdAt: string, text = `Publication ${id}`): Post {
  return {
    id,
    source: 'demo',
    url: `https://demo.example/posts/${id}`,
    createdAt,
    author: {
      name: `Auteur ${id}`,
      handle: `auteur${id}`,
      avatarUrl: '',
      profileUrl: `https://demo.example/@auteur${id}`,
    },
    text,
    entities: { hashtags: [], mentions: [], links: [] },
    media: [],
    lang: 'fr',
  };
}

/** An organisers' announcement, with formatting, and its plain-text form. */
export const announcement: Post = {
  id: 'annonce-1',
  source: 'organisers',
  url: '',
  createdAt: '2026-07-14T12:30:00Z',
  author: { name: 'Mairie de Saint-Étienne', handle: '', avatarUrl: '', profileUrl: '' },
  html: '<p>Feu d’artifice à <strong>22 h 30</strong>, place Jean-Jaurès.</p><p><a href="https://www.saint-etienne.fr/14-juillet">Le programme</a> de la soirée</p>',
  text: 'Feu d’artifice à 22 h 30, place Jean-Jaurès.\nLe programme de la soirée',
  entities: { hashtags: [], mentions: [], links: [] },
  media: [],
  lang: 'fr',
};

/** The same post as `post`, pinned by the organisers at `at`. */
export function pinned(post: Post, at = '2026-07-14T12:38:00Z'): Post {
  return { ...post, pinnedAt: at };
}

/** An urgent alert, in force until 15:10 in Paris. */
export const urgentAlert: Alert = {
  id: 'alerte-1',
  text: 'Orage : le site est évacué, suivez les consignes des agents.',
  createdAt: '2026-07-14T12:39:00Z',
  expiresAt: '2026-07-14T13:10:00Z',
  lang: 'fr',
};

/** The snapshot, deliberately not in order: the widget sorts by createdAt. */
export function fixtureSnapshot(overrides: Partial<FeedSnapshot> = {}): FeedSnapshot {
  return {
    feed: {
      id: 'saint-etienne',
      title: 'Fête nationale à Saint-Étienne',
      hashtags: ['FeteNationale', 'SaintEtienne'],
      accounts: ['SaintEtienne'],
    },
    posts: [repost, fireworks, hostile],
    updatedAt: '2026-07-14T12:38:00Z',
    stale: false,
    revision: 41,
    ...overrides,
  };
}

const townText = 'Défilé à 10 h, cours Fauriel #FeteNationale avec @lea';

/** The town on Mastodon: a full `user@instance` handle; a mention shown short, as Mastodon shows it. */
export const onMastodon: Post = {
  id: 'mastodon:mastodon.social:1101',
  source: 'mastodon',
  url: 'https://mastodon.social/@saintetienne/1101',
  createdAt: '2026-07-14T12:30:00Z',
  author: {
    name: 'Saint-Étienne',
    handle: 'saintetienne@mastodon.social',
    avatarUrl: '',
    profileUrl: 'https://mastodon.social/@saintetienne',
  },
  text: townText,
  entities: {
    hashtags: [
      {
        ...rangeOf(townText, '#FeteNationale'),
        tag: 'fetenationale',
        url: 'https://mastodon.social/tags/fetenationale',
      },
    ],
    mentions: [{ ...rangeOf(townText, '@lea'), handle: 'lea@piaille.fr', url: 'https://piaille.fr/@lea' }],
    links: [],
  },
  media: [],
  lang: 'fr',
};

const blueskyText = 'Le bal des pompiers ce soir ! #Bal14 @saintetienne.bsky.social';

/** A resident on Bluesky: a domain handle, a mention by handle. */
export const onBluesky: Post = {
  id: 'bluesky:at://did:plc:abc/app.bsky.feed.post/3k2',
  source: 'bluesky',
  url: 'https://bsky.app/profile/nadia.bsky.social/post/3k2',
  createdAt: '2026-07-14T12:25:00Z',
  author: {
    name: 'Nadia',
    handle: 'nadia.bsky.social',
    avatarUrl: '',
    profileUrl: 'https://bsky.app/profile/nadia.bsky.social',
  },
  text: blueskyText,
  entities: {
    hashtags: [{ ...rangeOf(blueskyText, '#Bal14'), tag: 'Bal14', url: 'https://bsky.app/hashtag/Bal14' }],
    mentions: [
      {
        ...rangeOf(blueskyText, '@saintetienne.bsky.social'),
        handle: 'saintetienne.bsky.social',
        url: 'https://bsky.app/profile/saintetienne.bsky.social',
      },
    ],
    links: [],
  },
  media: [],
  lang: 'fr',
};

/** A Mastodon post behind a content warning, with sensitive media, as Mastodon sends it. */
export const warned: Post = {
  id: 'mastodon:piaille.fr:2202',
  source: 'mastodon',
  url: 'https://piaille.fr/@lea/2202',
  createdAt: '2026-07-14T12:28:00Z',
  author: { name: 'Léa', handle: 'lea@piaille.fr', avatarUrl: '', profileUrl: 'https://piaille.fr/@lea' },
  text: 'La chute de vélo de ce matin, genou en sang.',
  entities: { hashtags: [], mentions: [], links: [] },
  media: [
    {
      kind: 'photo',
      url: 'https://img.example/genou.jpg',
      previewUrl: 'https://img.example/genou.jpg',
      alt: 'Un genou écorché',
      width: 800,
      height: 600,
    },
  ],
  lang: 'fr',
  contentWarning: 'Blessure, sang',
  sensitive: true,
};
