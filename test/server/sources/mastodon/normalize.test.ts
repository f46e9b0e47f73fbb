import { describe, expect, it } from 'vitest';
import type { Post } from '../../../../server/contract.js';
import {
  compareStatusIds,
  normalizeStatus,
  normalizeStatuses,
  postId,
  toMedia,
  type MastodonContext,
} from '../../../../server/sources/mastodon/normalize.js';
import { buildTraps } from '../../../fake-mastodon/traps.js';
import { fakeAccount, fakeStatus } from '../../../fake-mastodon/statuses.js';

const traps = buildTraps();
const account: MastodonContext = { instance: 'ville.social', timeline: 'account' };
const hashtag: MastodonContext = { instance: 'ville.social', timeline: 'hashtag' };

function normalize(status: unknown, context = account): Post {
  const post = normalizeStatus(status, context);
  if (!post) throw new Error('not shown');
  return post;
}

/** Every entity is exactly what the text shows at its offsets. */
function expectEntitiesAsShown(post: Post): void {
  for (const h of post.entities.hashtags) expect(post.text.slice(h.start, h.end)).toBe(`#${h.tag}`);
  for (const m of post.entities.mentions) expect(post.text.slice(m.start, m.end)).toBe(`@${m.handle.split('@')[0]}`);
  for (const l of post.entities.links) expect(post.text.slice(l.start, l.end)).toBe(l.display);
}

describe('normalizeStatus', () => {
  it('builds the post: unique id across instances, page URL, author with creation date', () => {
    const post = normalize(traps.edited);
    expect(post).toMatchObject({
      id: `mastodon:ville.social:${traps.edited.id}`,
      source: 'mastodon',
      url: traps.edited.url,
      createdAt: traps.edited.created_at,
      text: 'Horaires corrigés : 18 h',
      lang: 'fr',
      edited: true,
      author: {
        name: 'Ville de Saint-Exemple :ville_logo:',
        handle: 'ville@ville.social',
        avatarUrl: traps.town.avatar_static,
        profileUrl: 'https://ville.social/@ville',
        createdAt: '2022-11-07T00:00:00.000Z',
      },
    });
    expect(post.reply).toBeUndefined();
    expect(postId('autre.example', traps.edited.id)).not.toBe(post.id);
  });

  it('decodes HTML entities exactly once', () => {
    expect(normalize(traps.entities).text).toBe(
      'Concert & bal : entrée <gratuite> — écrire &lt;b&gt; n\'est pas du "HTML" 🎉',
    );
  });

  it('flattens nested markup and places every entity at its UTF-16 offsets', () => {
    const post = normalize(traps.nested);
    expect(post.text).toBe(
      'Grand marché samedi dimanche avec @claire 😀 #FêteDesLumières\n\n' +
        'Programme\u00a0: saint-exemple.fr/agenda/fete-d…\n\nLigne 1\nLigne 2\nLigne 3',
    );
    expectEntitiesAsShown(post);
    expect(post.entities.hashtags.map((h) => h.tag)).toEqual(['FêteDesLumières']);
    expect(post.entities.mentions).toEqual([
      expect.objectContaining({ handle: 'claire@ville.social', url: 'https://ville.social/@claire' }),
    ]);
    expect(post.entities.links[0]!.href).toBe(
      'https://www.saint-exemple.fr/agenda/fete-des-lumieres-2026-programme-complet',
    );
  });

  it('keeps a hashtag as displayed when tags[] names it in another case and width', () => {
    const post = normalize(traps.fullWidthTag, hashtag);
    expect(post.entities.hashtags.map((h) => h.tag)).toEqual(['ＦＥＳＴＩＶＡＬ']);
    expectEntitiesAsShown(post);
  });

  it('reads sensitive with an empty spoiler_text as sensitive media, not a warning; a null alt as ""', () => {
    const post = normalize(traps.sensitiveMedia, hashtag);
    expect(post.sensitive).toBe(true);
    expect(post.contentWarning).toBeUndefined();
    expect(post.media).toEqual([expect.objectContaining({ kind: 'photo', alt: '', width: 1200, height: 800 })]);
  });

  it('keeps spoiler_text as a content warning over text and media', () => {
    const post = normalize(traps.contentWarning);
    expect(post.contentWarning).toBe('Divulgâcheur : le dernier épisode');
    expect(post.sensitive).toBe(true);
    expect(post.text).toBe('La fin du feuilleton de l’été #Feuilleton');
    expect(post.media[0]!.alt).toBe('Affiche du feuilleton');
  });

  it('shows a reblog as the original post reposted by the booster, with the reblog id and time', () => {
    const post = normalize(traps.reblog);
    const original = traps.reblog.reblog!;
    expect(post).toMatchObject({
      id: `mastodon:ville.social:${traps.reblog.id}`,
      createdAt: traps.reblog.created_at,
      url: original.url,
      text: 'Répétition générale ce soir #Festival',
      author: { handle: 'orchestre@musique.example', name: 'Orchestre' },
      repostedBy: { handle: 'ville@ville.social' },
    });
  });

  it('shows an accepted quote as a card and drops its fallback paragraph', () => {
    const post = normalize(traps.quoteAccepted);
    expect(post.text).toBe('Venez nombreux #Marché');
    expect(post.quoted).toMatchObject({
      id: `mastodon:ville.social:${traps.quoteAccepted.quote!.quoted_status!.id}`,
      text: 'Le marché est ouvert !',
      author: { handle: 'claire@ville.social', name: 'claire' },
    });
    expectEntitiesAsShown(post);
  });

  it('keeps the fallback and shows no card for a quote that is not accepted', () => {
    const post = normalize(traps.quotePending);
    expect(post.quoted).toBeUndefined();
    expect(post.text).toMatch(/^RE: ville\.social\/@claire\/\d+…\n\nMerci à tous$/);
    expectEntitiesAsShown(post);
  });

  it('never shows a quoted post that is followers-only, even accepted', () => {
    const hidden = fakeStatus({ account: traps.resident, text: 'privé', visibility: 'private' });
    const quote = fakeStatus({ account: traps.town, text: 'Regardez', quoteOf: { status: hidden } });
    const post = normalize(quote);
    expect(post.quoted).toBeUndefined();
    expect(post.text).toMatch(/^RE: /);
  });

  it('keeps custom emoji and times as written', () => {
    expect(normalize(traps.customEmoji).text).toBe('Bravo :ville_coeur: rendez-vous à 17:00:00 :inconnu: et :a:');
  });

  it('keeps images, GIFs and videos with absolute URLs and skips unknown, audio and relative media', () => {
    const post = normalize(traps.mixedMedia, hashtag);
    const [, gifv, video] = traps.mixedMedia.media_attachments!;
    expect(post.media).toEqual([
      {
        kind: 'gif',
        url: gifv!.url,
        previewUrl: gifv!.preview_url,
        alt: 'Feu d’artifice en boucle',
        width: 1200,
        height: 800,
      },
      { kind: 'video', url: video!.url, previewUrl: video!.preview_url, alt: '', width: 0, height: 0 },
    ]);
    expect(toMedia({ id: '1', type: 'image', url: 'https://a.example/i.jpg', preview_url: null })).toMatchObject({
      previewUrl: 'https://a.example/i.jpg',
    });
  });

  it('marks replies', () => {
    expect(normalize(traps.selfReply).reply).toBe(true);
  });

  it('shows public posts anywhere, unlisted ones only from their account timeline, private and direct never', () => {
    expect(normalizeStatus(traps.unlisted, account)).toBeDefined();
    expect(normalizeStatus(traps.unlisted, hashtag)).toBeUndefined();
    for (const status of [traps.private, traps.direct]) {
      expect(normalizeStatus(status, account)).toBeUndefined();
      expect(normalizeStatus(status, hashtag)).toBeUndefined();
    }
    const boostOfPrivate = fakeStatus({ account: traps.town, reblogOf: traps.private });
    expect(normalizeStatus(boostOfPrivate, account)).toBeUndefined();
  });

  it('hides authors their moderators hid, and statuses the token user filters out', () => {
    const limited = fakeAccount({ username: 'spam', limited: true });
    expect(normalizeStatus(fakeStatus({ account: limited, text: 'x' }), hashtag)).toBeUndefined();
    const filtered = {
      ...fakeStatus({ account: traps.resident, text: 'x' }),
      filtered: [{ filter: { filter_action: 'hide' } }],
    };
    expect(normalizeStatus(filtered, hashtag)).toBeUndefined();
    const warned = { ...filtered, filtered: [{ filter: { filter_action: 'warn' } }] };
    expect(normalizeStatus(warned, hashtag)).toBeDefined();
  });

  it('never lets markup smuggle a link or a script', () => {
    const post = normalize(traps.hostileMarkup, hashtag);
    expect(post.text).toBe('cliquez texte qui défile fin');
    expect(post.entities.links).toEqual([]);
  });

  it('uses the instance domain for local handles and the username when the display name is empty', () => {
    const post = normalize(traps.sensitiveMedia, {
      instance: '127.0.0.1:4000',
      localDomain: 'ville.social',
      timeline: 'hashtag',
    });
    expect(post.id).toBe(`mastodon:127.0.0.1:4000:${traps.sensitiveMedia.id}`);
    expect(post.author).toMatchObject({ name: 'claire', handle: 'claire@ville.social' });
  });

  it('refuses what is not a status, and reads times into UTC', () => {
    for (const bad of [
      null,
      'x',
      {},
      { id: '1', content: '', account: null },
      { ...traps.edited, created_at: 'hier' },
    ]) {
      expect(normalizeStatus(bad, account)).toBeUndefined();
    }
    const offset = { ...traps.edited, created_at: '2026-10-10T09:00:00+02:00', language: 'und' };
    expect(normalize(offset)).toMatchObject({ createdAt: '2026-10-10T07:00:00.000Z' });
    expect(normalize(offset).lang).toBeUndefined();
  });
});

describe('normalizeStatuses', () => {
  it('keeps the order, drops what must not be shown and repeats', () => {
    const posts = normalizeStatuses([traps.edited, traps.private, traps.edited, 'garbage', traps.entities], account);
    expect(posts.map((p) => p.id)).toEqual([
      postId('ville.social', traps.edited.id),
      postId('ville.social', traps.entities.id),
    ]);
  });
});

describe('compareStatusIds', () => {
  it('orders ids beyond double precision and fixed-length ids', () => {
    expect(compareStatusIds('113000000000000001', '113000000000000000')).toBeGreaterThan(0);
    expect(compareStatusIds('99', '100')).toBeLessThan(0);
    expect(compareStatusIds('01HZX', '01HZY')).toBeLessThan(0);
    expect(compareStatusIds('7', '7')).toBe(0);
  });
});
