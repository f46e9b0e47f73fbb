import { describe, expect, it } from 'vitest';
import type { Post } from '../../../../server/contract.js';
import type { BskyPostView } from '../../../../server/sources/bluesky/lexicon.js';
import {
  normalizeFeedItem,
  normalizePostView,
  normalizeRecord,
  postId,
  postIdToUri,
  sortAt,
  type Normalized,
} from '../../../../server/sources/bluesky/normalize.js';
import { byteRange, fakeActor, fakePost, moderationLabel } from '../../../fake-bluesky/fixtures.js';
import { trapActors, trapPosts } from '../../../fake-bluesky/traps.js';

const actors = trapActors();
const traps = trapPosts(actors);

function shown(result: Normalized): Post {
  if (!result.ok) throw new Error(`excluded: ${result.reason}`);
  return result.post;
}

/** Every entity as the widget shows it: the text it covers. */
function covered(post: Post) {
  return {
    hashtags: post.entities.hashtags.map((h) => [post.text.slice(h.start, h.end), h.tag]),
    mentions: post.entities.mentions.map((m) => [post.text.slice(m.start, m.end), m.handle]),
    links: post.entities.links.map((l) => [post.text.slice(l.start, l.end), l.href]),
  };
}

describe('facets (UTF-8 bytes) become entities (UTF-16 indices)', () => {
  it('places entities right after ’, accented letters and an emoji', () => {
    const post = shown(normalizePostView(traps.apostrophe));
    expect(covered(post)).toEqual({
      hashtags: [['#FêteDuLivre', 'FêteDuLivre']],
      mentions: [['@mediatheques.saint-etienne.fr', 'mediatheques.saint-etienne.fr']],
      links: [['https://ville.fr/fdl', 'https://ville.fr/fdl']],
    });
    // Bytes and UTF-16 differ here: the conversion is real.
    expect(byteRange(post.text, '#FêteDuLivre').byteStart).not.toBe(post.entities.hashtags[0]!.start);
    expect(post.entities.mentions[0]!.url).toBe('https://bsky.app/profile/' + actors.library.did);
  });

  it('places entities after a ZWJ family, a flag and a skin tone', () => {
    const post = shown(normalizePostView(traps.zwj));
    expect(covered(post).hashtags).toEqual([
      ['#LectureEnFamille', 'LectureEnFamille'],
      ['#Saint_Étienne', 'Saint_Étienne'],
    ]);
    expect(post.entities.hashtags[1]!.url).toBe('https://bsky.app/hashtag/Saint_%C3%89tienne');
  });

  it('drops facets that cut a character, run past the text, are upside down or link to javascript:', () => {
    const post = shown(normalizePostView(traps.broken));
    expect(covered(post)).toEqual({ hashtags: [['#FêteDuLivre', 'FêteDuLivre']], mentions: [], links: [] });
    expect(post.text).toBe(traps.texts.APOSTROPHE_TEXT);
  });

  it('finds hashtags written without a facet, by Bluesky’s rules', () => {
    const post = shown(normalizePostView(traps.unfaceted));
    expect(covered(post).hashtags).toEqual([
      ['#FeteDuLivre2026', 'FeteDuLivre2026'],
      ['#a1', 'a1'],
      ['#café', 'café'],
      ['＃Plein', 'Plein'],
      ['#fin', 'fin'],
    ]);
  });

  it('leaves out a hashtag longer than 64 graphemes, and counts an emoji tag by graphemes', () => {
    const long = `#${'a'.repeat(65)}`;
    const emoji = `#${'👍🏽'.repeat(64)}`;
    const post = shown(normalizePostView(fakePost({ author: actors.resident, text: `${long} ${emoji}`, facets: [] })));
    expect(covered(post).hashtags).toEqual([[emoji, emoji.slice(1)]]);
  });

  it('leaves out a hashtag that would cut a ZWJ emoji in two', () => {
    const post = shown(normalizePostView(fakePost({ author: actors.resident, text: 'Bienvenue #👩‍👩‍👧‍👦 #ok', facets: [] })));
    expect(covered(post).hashtags).toEqual([['#ok', 'ok']]);
  });

  it('shows a shortened link as written and links to its full address', () => {
    const post = shown(normalizePostView(traps.shortLink));
    expect(post.entities.links).toEqual([
      {
        start: 12,
        end: 12 + 'ville.fr/fete-du-liv…'.length,
        href: traps.texts.FULL_LINK,
        display: 'ville.fr/fete-du-liv…',
        expandedUrl: traps.texts.FULL_LINK,
      },
    ]);
    expect(covered(post).links[0]![0]).toBe('ville.fr/fete-du-liv…');
  });

  it('names a mentioned account by the handle the view knows, not by a stale one in the text', () => {
    const text = '@ancien-nom.fr ouvre la fête';
    const view = fakePost({
      author: actors.town,
      text,
      facets: [
        {
          index: byteRange(text, '@ancien-nom.fr'),
          features: [{ $type: 'app.bsky.richtext.facet#mention', did: actors.town.did }],
        },
      ],
    });
    const post = shown(normalizePostView(view));
    expect(post.entities.mentions).toEqual([
      { start: 0, end: 14, handle: actors.town.handle, url: `https://bsky.app/profile/${actors.town.handle}` },
    ]);
  });
});

describe('posts that must not be shown', () => {
  it('excludes a post whose author is labelled !no-unauthenticated, with its id for a removal', () => {
    expect(normalizePostView(traps.restrictedPost)).toEqual({
      ok: false,
      reason: 'author-restricted',
      id: postId(traps.restrictedPost.uri),
      at: traps.restrictedPost.record.createdAt,
    });
  });

  it('excludes a repost by an account labelled !no-unauthenticated', () => {
    const result = normalizeFeedItem(traps.repostByRestricted);
    expect(result).toMatchObject({
      ok: false,
      reason: 'author-restricted',
      id: postId(traps.repostByRestricted.reason!.uri!),
    });
  });

  it('excludes a post hidden by a moderation label, unless the label was negated', () => {
    const hidden = fakePost({ author: actors.resident, text: 'spam' });
    hidden.labels = [moderationLabel(hidden.uri, '!hide')];
    expect(normalizePostView(hidden)).toMatchObject({ ok: false, reason: 'hidden-by-label' });
    hidden.labels.push(moderationLabel(hidden.uri, '!hide', true));
    expect(normalizePostView(hidden).ok).toBe(true);
  });

  it('rejects what is not a readable post', () => {
    const view = fakePost({ author: actors.resident, text: 'x' });
    expect(normalizePostView({ ...view, uri: 'https://bsky.app/x' })).toEqual({ ok: false, reason: 'malformed' });
    expect(normalizePostView({ ...view, author: { did: 'did:plc:other', handle: 'x.fr' } })).toMatchObject({
      reason: 'malformed',
    });
    expect(normalizePostView({ ...view, record: { ...view.record, $type: 'app.bsky.feed.like' } })).toMatchObject({
      reason: 'malformed',
    });
    expect(normalizePostView({ ...view, record: { text: 'x' }, indexedAt: 'never' })).toMatchObject({
      reason: 'malformed',
    });
    expect(normalizePostView(null as unknown as BskyPostView)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('sensitive media', () => {
  it('marks media sensitive for a label on the post, a self-label and graphic media', () => {
    expect(shown(normalizePostView(traps.adultOnPost)).sensitive).toBe(true);
    expect(shown(normalizePostView(traps.adultSelf)).sensitive).toBe(true);
    expect(shown(normalizePostView(traps.graphic)).sensitive).toBe(true);
  });

  it('does not mark media sensitive when the label was negated', () => {
    expect(shown(normalizePostView(traps.adultNegated)).sensitive).toBeUndefined();
  });

  it('marks the media of an account labelled for adult content sensitive', () => {
    const author = fakeActor('adulte.bsky.social');
    author.labels = [moderationLabel(`at://${author.did}/app.bsky.actor.profile/self`, 'porn')];
    expect(shown(normalizePostView(fakePost({ author, text: 'x', images: [{}] }))).sensitive).toBe(true);
  });
});

describe('embeds', () => {
  it('keeps images with their alt text, thumbnail and aspect ratio', () => {
    const post = shown(normalizePostView(traps.original));
    expect(post.media).toEqual([
      {
        kind: 'photo',
        url: expect.stringMatching(/^https:\/\/cdn\.bsky\.app\/img\/feed_fullsize\/plain\//),
        previewUrl: expect.stringMatching(/^https:\/\/cdn\.bsky\.app\/img\/feed_thumbnail\/plain\//),
        alt: 'Des planches de BD',
        width: 4,
        height: 3,
      },
    ]);
  });

  it('shows a quoted post, with its media', () => {
    const post = shown(normalizePostView(traps.quoteRecord));
    expect(post.quoted?.id).toBe(postId(traps.original.uri));
    expect(post.quoted?.author.handle).toBe(actors.library.handle);
    expect(post.quoted?.media).toHaveLength(1);
    expect(post.quoted?.quoted).toBeUndefined();
  });

  it('shows no quote for a quoted post not found, blocked, detached, or by a restricted author', () => {
    for (const view of [traps.quoteNotFound, traps.quoteBlocked, traps.quoteDetached, traps.quoteRestricted]) {
      const post = shown(normalizePostView(view));
      expect(post.quoted, view.record.text).toBeUndefined();
    }
  });

  it('shows a quote with media: the post’s images and the quoted post', () => {
    const post = shown(normalizePostView(traps.quoteWithMedia));
    expect(post.media.map((m) => m.alt)).toEqual(['La file devant la médiathèque']);
    expect(post.quoted?.text).toBe('Atelier BD à 15 h #FeteDuLivre');
  });

  it('adds a link card’s address at the end of the text as a link, once', () => {
    const post = shown(normalizePostView(traps.card));
    expect(post.text).toBe('Tout le programme :\n\nville.fr/fete-du-livre-2026/pro…');
    expect(covered(post).links).toEqual([['ville.fr/fete-du-livre-2026/pro…', traps.texts.FULL_LINK]]);
    const linked = shown(normalizePostView(traps.cardLinked));
    expect(linked.text).toBe(traps.cardLinked.record.text);
    expect(linked.entities.links).toHaveLength(1);
  });

  it('shows a video by its thumbnail, with its playlist and alt text', () => {
    const post = shown(normalizePostView(traps.video));
    expect(post.media).toEqual([
      {
        kind: 'video',
        url: expect.stringMatching(/^https:\/\/video\.bsky\.app\/watch\/.+\/playlist\.m3u8$/),
        previewUrl: expect.stringMatching(/thumbnail\.jpg$/),
        alt: 'Une conteuse',
        width: 16,
        height: 9,
      },
    ]);
  });
});

describe('posts', () => {
  it('builds permalink, author, language and time', () => {
    const post = shown(normalizePostView(traps.apostrophe));
    const rkey = traps.apostrophe.uri.split('/').pop();
    expect(post).toMatchObject({
      id: `bluesky:${traps.apostrophe.uri}`,
      source: 'bluesky',
      url: `https://bsky.app/profile/ville-saint-etienne.fr/post/${rkey}`,
      createdAt: traps.apostrophe.record.createdAt,
      lang: 'fr',
      author: {
        name: 'Ville de Saint-Étienne',
        handle: 'ville-saint-etienne.fr',
        avatarUrl: actors.town.avatar,
        profileUrl: 'https://bsky.app/profile/ville-saint-etienne.fr',
        createdAt: actors.town.createdAt,
      },
    });
    expect(postIdToUri(post.id)).toBe(traps.apostrophe.uri);
  });

  it('marks a reply', () => {
    const post = shown(normalizePostView(traps.reply));
    expect(post.reply).toBe(true);
    expect(post.lang).toBe('fr-FR');
  });

  it('shows a repost as the original with who reposted it, at the repost’s id and time', () => {
    const post = shown(normalizeFeedItem(traps.repost));
    expect(post.id).toBe(postId(traps.repost.reason!.uri!));
    expect(post.createdAt).toBe(traps.repost.reason!.indexedAt);
    expect(post.repostedBy?.handle).toBe(actors.town.handle);
    expect(post.author.handle).toBe(actors.library.handle);
    expect(post.url).toContain('/profile/mediatheques.saint-etienne.fr/post/');
  });

  it('uses the did in links when the handle no longer checks out', () => {
    const author = fakeActor('x.fr', { displayName: ' ' });
    author.handle = 'handle.invalid';
    const post = shown(normalizePostView(fakePost({ author, text: 'x' })));
    expect(post.author.profileUrl).toBe(`https://bsky.app/profile/${author.did}`);
    expect(post.url.startsWith(`https://bsky.app/profile/${author.did}/post/`)).toBe(true);
    expect(post.author.name).toBe('handle.invalid');
  });

  it('never dates a post later than the network saw it', () => {
    expect(sortAt('2030-01-01T00:00:00Z', '2026-10-10T09:00:00.000Z')).toBe('2026-10-10T09:00:00.000Z');
    expect(sortAt('2026-10-10T08:00:00+02:00', '2026-10-10T09:00:00Z')).toBe('2026-10-10T06:00:00.000Z');
    expect(sortAt('garbage', undefined)).toBeUndefined();
  });
});

describe('raw records (Jetstream)', () => {
  const view = traps.apostrophe;
  const rkey = view.uri.split('/').pop()!;

  it('cannot be shown without the author’s profile', () => {
    expect(normalizeRecord(actors.town.did, rkey, view.record)).toEqual({
      ok: false,
      reason: 'author-unknown',
      id: postId(view.uri),
      at: view.record.createdAt,
    });
  });

  it('gives the same text and entities as the AppView’s view, with the profile', () => {
    const fromRecord = shown(normalizeRecord(actors.town.did, rkey, view.record, actors.town));
    expect(fromRecord).toEqual(shown(normalizePostView(view)));
  });

  it('points images and videos at Bluesky’s CDN from their blob references', () => {
    const images = traps.quoteWithMedia;
    const post = shown(normalizeRecord(actors.town.did, images.uri.split('/').pop()!, images.record, actors.town));
    expect(post.media).toEqual(shown(normalizePostView(images)).media);
    expect(post.quoted).toBeUndefined();
    const video = shown(
      normalizeRecord(actors.library.did, traps.video.uri.split('/').pop()!, traps.video.record, actors.library),
    );
    expect(video.media).toEqual(shown(normalizePostView(traps.video)).media);
  });

  it('excludes a record whose author is labelled !no-unauthenticated', () => {
    const r = traps.restrictedPost;
    expect(normalizeRecord(actors.restricted.did, r.uri.split('/').pop()!, r.record, actors.restricted)).toMatchObject({
      ok: false,
      reason: 'author-restricted',
    });
  });

  it('keeps self-labels of a raw record', () => {
    const r = traps.adultSelf;
    expect(
      shown(normalizeRecord(actors.resident.did, r.uri.split('/').pop()!, r.record, actors.resident)).sensitive,
    ).toBe(true);
  });
});
