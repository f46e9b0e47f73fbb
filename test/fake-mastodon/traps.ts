/**
 * Statuses that hold the traps Mastodon's documentation and issue tracker warn about, as the fake
 * instance serves them and the normaliser's tests read them. Each trap is one status.
 */
import type { MastodonAccount, MastodonStatus } from '../../server/sources/mastodon/api-types.js';
import { fakeAccount, fakeMedia, fakeStatus, FAKE_DOMAIN, hashtagLink, mentionLink, shortLink } from './statuses.js';

export interface Traps {
  town: MastodonAccount;
  resident: MastodonAccount;
  /** An account of another server. */
  remote: MastodonAccount;
  /** `&amp;`, `&lt;`, `&#39;`, `&#x1F389;`, and `&amp;lt;` that must stay `&lt;` (decoded once). */
  entities: MastodonStatus;
  /** `<strong><em>`, `<del>`, h-card mention, hashtag after an emoji, shortened link, `<br>`, `&nbsp;`. */
  nested: MastodonStatus;
  /** A hashtag displayed in full-width capitals, linked without `class="hashtag"`, named `festival` in `tags[]`. */
  fullWidthTag: MastodonStatus;
  /** `sensitive: true` with an empty `spoiler_text`: sensitive media, no warning; a null description. */
  sensitiveMedia: MastodonStatus;
  /** A content warning. */
  contentWarning: MastodonStatus;
  /** The town boosts a remote status: the wrapper's `account` is the booster. */
  reblog: MastodonStatus;
  /** An accepted quote, whose content starts with the `quote-inline` fallback. */
  quoteAccepted: MastodonStatus;
  /** A quote still pending: no quoted status, the fallback stays. */
  quotePending: MastodonStatus;
  /** A listed custom emoji, an unlisted shortcode and a time `17:00:00`. */
  customEmoji: MastodonStatus;
  /** Media: unknown (remote, not cached), gifv, video, audio, an image with a relative URL. */
  mixedMedia: MastodonStatus;
  /** Edited: `edited_at` set. */
  edited: MastodonStatus;
  /** The town answering itself (a thread), still in its timeline without replies. */
  selfReply: MastodonStatus;
  /** Visibility: the town's own unlisted, private and direct statuses. */
  unlisted: MastodonStatus;
  private: MastodonStatus;
  direct: MastodonStatus;
  /** A `javascript:` link, an unknown element, a `<script>` and an invisible span outside a link. */
  hostileMarkup: MastodonStatus;
}

export function buildTraps(): Traps {
  const town = fakeAccount({
    username: 'ville',
    display_name: 'Ville de Saint-Exemple :ville_logo:',
    emojis: [{ shortcode: 'ville_logo', url: `https://files.${FAKE_DOMAIN}/emoji/ville_logo.png` }],
    created_at: '2022-11-07T00:00:00.000Z',
  });
  const resident = fakeAccount({ username: 'claire', display_name: '' });
  const remote = fakeAccount({ username: 'orchestre', domain: 'musique.example', display_name: 'Orchestre' });

  const entities = fakeStatus({
    account: town,
    content:
      '<p>Concert &amp; bal : entrée &lt;gratuite&gt; — écrire &amp;lt;b&amp;gt; n&#39;est pas du &quot;HTML&quot; &#x1F389;</p>',
  });

  const nested = fakeStatus({
    account: town,
    content:
      `<p><strong>Grand <em>marché</em></strong> <del>samedi</del> dimanche avec ${mentionLink(resident)} 😀 ` +
      `${hashtagLink('FêteDesLumières')}</p>` +
      `<p>Programme&nbsp;: ${shortLink('https://www.saint-exemple.fr/agenda/fete-des-lumieres-2026-programme-complet')}</p>` +
      '<p>Ligne 1<br>Ligne 2<br />Ligne 3</p>',
    tags: ['fêtedeslumières'],
    mentions: [resident],
  });

  const fullWidthTag = fakeStatus({
    account: remote,
    content: `<p>Ce soir <a href="https://musique.example/tags/festival" rel="nofollow noopener">#ＦＥＳＴＩＶＡＬ</a> !</p>`,
    tags: ['festival'],
  });

  const sensitiveMedia = fakeStatus({
    account: resident,
    text: 'Les photos du carnaval #Carnaval',
    sensitive: true,
    media: [{ description: null }],
  });

  const contentWarning = fakeStatus({
    account: town,
    text: 'La fin du feuilleton de l’été #Feuilleton',
    spoilerText: 'Divulgâcheur : le dernier épisode',
    media: [{ description: 'Affiche du feuilleton' }],
  });

  const original = fakeStatus({ account: remote, text: 'Répétition générale ce soir #Festival' });
  const reblog = fakeStatus({ account: town, reblogOf: original });

  const quoted = fakeStatus({ account: resident, text: 'Le marché est ouvert !' });
  const quoteAccepted = fakeStatus({ account: town, text: 'Venez nombreux #Marché', quoteOf: { status: quoted } });
  const quotePending = fakeStatus({
    account: town,
    text: 'Merci à tous',
    quoteOf: { status: quoted, state: 'pending' },
  });

  const customEmoji = fakeStatus({
    account: town,
    content: '<p>Bravo :ville_coeur: rendez-vous à 17:00:00 :inconnu: et :a:</p>',
    emojis: [
      {
        shortcode: 'ville_coeur',
        url: `https://files.${FAKE_DOMAIN}/emoji/coeur.gif`,
        static_url: `https://files.${FAKE_DOMAIN}/emoji/coeur.png`,
      },
    ],
  });

  const mixedMedia = fakeStatus({
    account: remote,
    text: 'Tout en images',
    media: [
      { type: 'unknown', url: null, preview_url: null, remote_url: 'https://musique.example/files/a.jpg' },
      { type: 'gifv', description: 'Feu d’artifice en boucle' },
      { type: 'video', description: null, meta: null },
      { type: 'audio' },
      { type: 'image', url: '/system/media/relative.jpg' },
    ].map((m) => fakeMedia(m)),
  });

  const edited = fakeStatus({ account: town, text: 'Horaires corrigés : 18 h', editedAt: '2026-10-10T07:30:00.000Z' });
  const selfReply = fakeStatus({ account: town, text: 'Suite du fil', replyTo: edited });
  const unlisted = fakeStatus({ account: town, text: 'Note discrète', visibility: 'unlisted' });
  const privateStatus = fakeStatus({ account: town, text: 'Pour les abonnés', visibility: 'private' });
  const direct = fakeStatus({ account: town, text: 'Message privé', visibility: 'direct' });

  const hostileMarkup = fakeStatus({
    account: resident,
    content:
      '<p><a href="javascript:alert(1)">cliquez</a> <marquee>texte qui défile</marquee>' +
      '<script>alert("x")</script><span class="invisible">caché</span> fin</p>',
  });

  return {
    town,
    resident,
    remote,
    entities,
    nested,
    fullWidthTag,
    sensitiveMedia,
    contentWarning,
    reblog,
    quoteAccepted,
    quotePending,
    customEmoji,
    mixedMedia,
    edited,
    selfReply,
    unlisted,
    private: privateStatus,
    direct,
    hostileMarkup,
  };
}
