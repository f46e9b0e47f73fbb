/**
 * Bluesky posts that trap a careless normaliser: facets after `’`, accented letters, emoji and ZWJ
 * sequences (UTF-8 bytes against UTF-16), facets that cut a character or run past the text,
 * hashtags without facets, a shortened link, a labelled author, adult labels, quotes of every
 * kind, quotes with media, a link card, a video, a repost and a reply.
 */
import type { BskyFeedViewPost, BskyPostView, BskyProfile } from '../../server/sources/bluesky/lexicon.js';
import {
  byteRange,
  fakeActor,
  fakePost,
  linkFacet,
  mentionFacet,
  moderationLabel,
  noUnauthenticated,
  tagFacet,
} from './fixtures.js';

export const TRAP_TIME = '2026-10-10T09:00:00.000Z';

export function trapActors() {
  const town = fakeActor('ville-saint-etienne.fr', { displayName: 'Ville de Saint-Étienne' });
  const library = fakeActor('mediatheques.saint-etienne.fr', { displayName: 'Médiathèques' });
  const restricted = fakeActor('discret.bsky.social', { displayName: 'Quelqu’un de discret' });
  restricted.labels = [noUnauthenticated(restricted)];
  const resident = fakeActor('habitante.bsky.social', { displayName: 'Habitante' });
  return { town, library, restricted, resident };
}

export type TrapActors = ReturnType<typeof trapActors>;

const APOSTROPHE_TEXT =
  'L’équipe de la #FêteDuLivre t’attend à l’Hôtel de Ville 🎉 avec @mediatheques.saint-etienne.fr https://ville.fr/fdl';
const ZWJ_TEXT = '👩‍👩‍👧‍👦 Familles : #LectureEnFamille au parc 🇫🇷 👍🏽 #Saint_Étienne';
const UNFACETED_TEXT = 'Rendez-vous #FeteDuLivre2026 ! #123 #a1, #café. mail#pas-un-tag #️⃣ ＃Plein #fin…';
const SHORT_LINK_TEXT = 'Programme : ville.fr/fete-du-liv… #FeteDuLivre';
const FULL_LINK = 'https://www.ville.fr/fete-du-livre-2026/programme-complet';

export function trapPosts(actors: TrapActors = trapActors()) {
  const { town, library, restricted, resident } = actors;
  const at = (minutes: number) => new Date(Date.parse(TRAP_TIME) + minutes * 60_000).toISOString();
  const post = (author: BskyProfile, minutes: number, rest: Omit<Parameters<typeof fakePost>[0], 'author'>) =>
    fakePost({ author, createdAt: at(minutes), ...rest });

  const apostrophe = post(town, 1, {
    text: APOSTROPHE_TEXT,
    facets: [
      tagFacet(APOSTROPHE_TEXT, '#FêteDuLivre'),
      mentionFacet(APOSTROPHE_TEXT, '@mediatheques.saint-etienne.fr', library.did),
      linkFacet(APOSTROPHE_TEXT, 'https://ville.fr/fdl', 'https://ville.fr/fdl'),
    ],
  });
  const zwj = post(resident, 2, {
    text: ZWJ_TEXT,
    facets: [tagFacet(ZWJ_TEXT, '#LectureEnFamille'), tagFacet(ZWJ_TEXT, '#Saint_Étienne')],
  });
  const { byteStart: e } = byteRange(APOSTROPHE_TEXT, 'équipe');
  const broken = post(resident, 3, {
    text: APOSTROPHE_TEXT,
    facets: [
      // Starts in the middle of "é" (2 bytes): dropped.
      {
        index: { byteStart: e + 1, byteEnd: e + 7 },
        features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'quipe' }],
      },
      // Ends in the middle of the 🎉 (4 bytes): dropped.
      {
        index: {
          byteStart: byteRange(APOSTROPHE_TEXT, '🎉').byteStart,
          byteEnd: byteRange(APOSTROPHE_TEXT, '🎉').byteStart + 2,
        },
        features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'fete' }],
      },
      // Past the end of the text: dropped.
      {
        index: { byteStart: 300, byteEnd: 320 },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com' }],
      },
      // Upside down: dropped.
      { index: { byteStart: 10, byteEnd: 4 }, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'x' }] },
      // Not an http(s) link: the text stays plain.
      linkFacet(APOSTROPHE_TEXT, 'https://ville.fr/fdl', 'javascript:alert(1)'),
      // The one good facet, kept.
      tagFacet(APOSTROPHE_TEXT, '#FêteDuLivre'),
    ],
  });
  const unfaceted = post(resident, 4, { text: UNFACETED_TEXT, facets: [] });
  const shortLink = post(town, 5, {
    text: SHORT_LINK_TEXT,
    facets: [linkFacet(SHORT_LINK_TEXT, 'ville.fr/fete-du-liv…', FULL_LINK), tagFacet(SHORT_LINK_TEXT, '#FeteDuLivre')],
  });
  const restrictedPost = post(restricted, 6, { text: 'Je préfère rester discret #FeteDuLivre' });
  const adultOnPost = post(resident, 7, { text: 'Photo #FeteDuLivre', images: [{ alt: 'une affiche' }] });
  adultOnPost.labels = [moderationLabel(adultOnPost.uri, 'porn')];
  const adultSelf = post(resident, 8, { text: 'Autoportrait', images: [{ alt: '' }], selfLabels: ['sexual'] });
  const adultNegated = post(resident, 9, { text: 'Fausse alerte', images: [{ alt: 'des livres' }] });
  adultNegated.labels = [
    moderationLabel(adultNegated.uri, 'nudity'),
    moderationLabel(adultNegated.uri, 'nudity', true),
  ];
  const graphic = post(resident, 10, { text: 'Accident', video: { alt: 'la rue' }, labels: [] });
  graphic.labels = [moderationLabel(graphic.uri, 'graphic-media')];

  const original = post(library, 11, {
    text: 'Atelier BD à 15 h #FeteDuLivre',
    images: [{ alt: 'Des planches de BD', aspectRatio: { width: 4, height: 3 } }],
  });
  const quoteRecord = post(town, 12, { text: 'Ne manquez pas ça !', quote: original });
  const quoteNotFound = post(town, 13, { text: 'Disparu', quote: 'notFound' });
  const quoteBlocked = post(town, 14, { text: 'Bloqué', quote: 'blocked' });
  const quoteDetached = post(town, 15, { text: 'Détaché', quote: 'detached' });
  const quoteRestricted = post(town, 16, { text: 'Citation discrète', quote: restrictedPost });
  const quoteWithMedia = post(town, 17, {
    text: 'Et en images',
    quote: original,
    images: [{ alt: 'La file devant la médiathèque', aspectRatio: { width: 16, height: 9 } }],
  });
  const card = post(town, 18, {
    text: 'Tout le programme :',
    external: { uri: FULL_LINK, title: 'Programme', description: 'Fête du livre 2026' },
  });
  const cardLinked = post(town, 19, {
    text: `Programme : ${FULL_LINK}`,
    external: { uri: FULL_LINK, title: 'Programme', description: '' },
  });
  const video = post(library, 20, {
    text: 'La lecture en vidéo',
    video: { alt: 'Une conteuse', aspectRatio: { width: 16, height: 9 } },
  });
  const reply = post(resident, 21, { text: 'Merci pour l’info !', replyTo: original, langs: ['fr-FR'] });

  const repost: BskyFeedViewPost = {
    post: original,
    reason: {
      $type: 'app.bsky.feed.defs#reasonRepost',
      by: town,
      uri: `at://${town.did}/app.bsky.feed.repost/3l6ourepost22`,
      indexedAt: at(30),
    },
  };
  const repostByRestricted: BskyFeedViewPost = {
    post: original,
    reason: {
      $type: 'app.bsky.feed.defs#reasonRepost',
      by: restricted,
      uri: `at://${restricted.did}/app.bsky.feed.repost/3l6ourepost23`,
      indexedAt: at(31),
    },
  };

  const views = {
    apostrophe,
    zwj,
    broken,
    unfaceted,
    shortLink,
    restrictedPost,
    adultOnPost,
    adultSelf,
    adultNegated,
    graphic,
    original,
    quoteRecord,
    quoteNotFound,
    quoteBlocked,
    quoteDetached,
    quoteRestricted,
    quoteWithMedia,
    card,
    cardLinked,
    video,
    reply,
  } satisfies Record<string, BskyPostView>;
  return {
    ...views,
    repost,
    repostByRestricted,
    texts: { APOSTROPHE_TEXT, ZWJ_TEXT, UNFACETED_TEXT, SHORT_LINK_TEXT, FULL_LINK },
  };
}
