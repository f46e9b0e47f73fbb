import { describe, expect, it } from 'vitest';
import { biggerAvatar, idsToRemove, normalizePage, normalizeTweet } from '../../../../server/sources/x/normalize.js';
import type { XTweetsPayload, XUser } from '../../../../server/sources/x/api-types.js';
import { fakePhoto, fakeTweet, fakeUser, fakeVideo } from '../../../fake-x/fake-x-server.js';
import { expectEntitiesSlice } from '../../../helpers/entities.js';

const town: XUser = {
  id: '1001',
  name: 'Ville de Saint-Étienne',
  username: 'saint_etienne_',
  profile_image_url: 'https://pbs.twimg.com/profile_images/1/abc_normal.jpg',
};
const reader: XUser = {
  id: '1002',
  name: 'Léa 📚',
  username: 'lea_lit',
  profile_image_url: 'https://pbs.twimg.com/profile_images/2/def_normal.png',
};

describe('normalizeTweet / normalizePage', () => {
  it('builds a post with author, permalink, bigger avatar, lang and sensitivity', () => {
    const page: XTweetsPayload = {
      data: [
        {
          id: '1850000000000000001',
          text: 'Ouverture à 10 h ! #FeteDuLivre',
          author_id: '1001',
          created_at: '2026-10-10T08:00:00.000Z',
          lang: 'fr',
          possibly_sensitive: true,
          edit_history_tweet_ids: ['1850000000000000001'],
          entities: { hashtags: [{ start: 19, end: 31, tag: 'FeteDuLivre' }] },
        },
      ],
      includes: { users: [town] },
      meta: { result_count: 1, newest_id: '1850000000000000001', oldest_id: '1850000000000000001' },
    };
    const { posts, removals, errors } = normalizePage(page);
    expect(removals).toEqual([]);
    expect(errors).toEqual([]);
    expect(posts).toEqual([
      {
        id: '1850000000000000001',
        source: 'x',
        url: 'https://x.com/saint_etienne_/status/1850000000000000001',
        createdAt: '2026-10-10T08:00:00.000Z',
        author: {
          name: 'Ville de Saint-Étienne',
          handle: 'saint_etienne_',
          avatarUrl: 'https://pbs.twimg.com/profile_images/1/abc_400x400.jpg',
          profileUrl: 'https://x.com/saint_etienne_',
        },
        text: 'Ouverture à 10 h ! #FeteDuLivre',
        entities: {
          hashtags: [{ start: 19, end: 31, tag: 'FeteDuLivre', url: 'https://x.com/hashtag/FeteDuLivre' }],
          mentions: [],
          links: [],
        },
        media: [],
        lang: 'fr',
        sensitive: true,
      },
    ]);
  });

  it.each(['und', 'qme', 'zxx'])('drops the non-language code %s', (lang) => {
    const post = normalizeTweet({ id: '1', text: 'https://t.co/x', lang, author_id: '1001' }, { users: [town] });
    expect(post.lang).toBeUndefined();
  });

  it('upgrades _normal avatars and leaves others alone', () => {
    expect(biggerAvatar('https://pbs.twimg.com/p/a_normal.jpeg')).toBe('https://pbs.twimg.com/p/a_400x400.jpeg');
    expect(biggerAvatar('https://pbs.twimg.com/p/a_normal')).toBe('https://pbs.twimg.com/p/a_400x400');
    expect(biggerAvatar('https://example.org/a.png')).toBe('https://example.org/a.png');
    expect(biggerAvatar(undefined)).toBe('');
  });

  it('shows photos with alt text and removes the trailing media link', () => {
    const photo = fakePhoto({ alt_text: 'Le stand des éditeurs' });
    const { tweet, media } = fakeTweet({ author: town, text: 'Le salon est ouvert 📖 #FeteDuLivre', media: [photo] });
    expect(tweet.text).toMatch(/https:\/\/t\.co\/\S+$/); // X shape: the media link ends the text
    const { posts } = normalizePage({ data: [tweet], includes: { users: [town], media } });
    const post = posts[0]!;
    expect(post.text).toBe('Le salon est ouvert 📖 #FeteDuLivre');
    expect(post.entities.links).toEqual([]);
    expect(post.media).toEqual([
      { kind: 'photo', url: photo.url, previewUrl: photo.url, alt: 'Le stand des éditeurs', width: 1200, height: 800 },
    ]);
    expectEntitiesSlice(post);
  });

  it('removes the media link on its own line', () => {
    const post = normalizeTweet(
      {
        id: '56',
        text: 'Photo\nhttps://t.co/p2',
        author_id: '1001',
        attachments: { media_keys: ['3_8'] },
        entities: {
          urls: [
            {
              start: 6,
              end: 21,
              url: 'https://t.co/p2',
              expanded_url: 'https://x.com/saint_etienne_/status/56/photo/1',
              display_url: 'pic.x.com/p2',
              media_key: '3_8',
            },
          ],
        },
      },
      { users: [town], media: [{ media_key: '3_8', type: 'photo', url: 'https://pbs.twimg.com/media/8.jpg' }] },
    );
    expect(post.text).toBe('Photo');
  });

  it('removes the media link found by URL when X gives no media_key', () => {
    const post = normalizeTweet(
      {
        id: '55',
        text: 'Photo https://t.co/p1',
        author_id: '1001',
        attachments: { media_keys: ['3_9'] },
        entities: {
          urls: [
            {
              start: 6,
              end: 21,
              url: 'https://t.co/p1',
              expanded_url: 'https://x.com/saint_etienne_/status/55/photo/1',
              display_url: 'pic.x.com/p1',
            },
          ],
        },
      },
      { users: [town], media: [{ media_key: '3_9', type: 'photo', url: 'https://pbs.twimg.com/media/9.jpg' }] },
    );
    expect(post.text).toBe('Photo');
    expect(post.media[0]).toMatchObject({ kind: 'photo', alt: '', width: 0, height: 0 });
  });

  it('shows videos and GIFs with their preview and best MP4', () => {
    const video = fakeVideo();
    const gif = {
      media_key: '16_1',
      type: 'animated_gif',
      preview_image_url: 'https://pbs.twimg.com/tweet_video_thumb/g.jpg',
      width: 300,
      height: 200,
      variants: [{ content_type: 'video/mp4', bit_rate: 0, url: 'https://video.twimg.com/tweet_video/g.mp4' }],
    };
    const { tweet } = fakeTweet({ author: town, text: 'En images', media: [video, gif] });
    const post = normalizeTweet(tweet, { users: [town], media: [video, gif] });
    expect(post.media).toEqual([
      {
        kind: 'video',
        url: expect.stringContaining('high.mp4'),
        previewUrl: video.preview_image_url,
        alt: '',
        width: 1280,
        height: 720,
      },
      {
        kind: 'gif',
        url: 'https://video.twimg.com/tweet_video/g.mp4',
        previewUrl: gif.preview_image_url,
        alt: '',
        width: 300,
        height: 200,
      },
    ]);
    expect(post.text).toBe('En images');
  });

  it('shows a repost as the original post, full text and entities, with repostedBy', () => {
    const longish = `Programme complet de la #FeteDuLivre : rencontres, dédicaces & ateliers pour les enfants, lectures à voix haute, concerts le soir ${'🎉'.repeat(10)} et @lea_lit en invitée ! #SaintEtienne`;
    const { tweet: original } = fakeTweet({ author: town, text: longish, createdAt: '2026-10-09T10:00:00.000Z' });
    const { tweet: repost } = fakeTweet({
      author: reader,
      retweetOf: { tweet: original, author: town },
      createdAt: '2026-10-10T09:00:00.000Z',
    });
    expect(repost.text.startsWith('RT @saint_etienne_: ')).toBe(true);
    expect(repost.text.endsWith('…')).toBe(true);

    const { posts } = normalizePage({ data: [repost], includes: { users: [reader, town], tweets: [original] } });
    const post = posts[0]!;
    expect(post.id).toBe(repost.id);
    expect(post.createdAt).toBe('2026-10-10T09:00:00.000Z');
    expect(post.url).toBe(`https://x.com/saint_etienne_/status/${original.id}`);
    expect(post.text).toBe(longish);
    expect(post.author.handle).toBe('saint_etienne_');
    expect(post.repostedBy).toEqual({
      name: 'Léa 📚',
      handle: 'lea_lit',
      avatarUrl: 'https://pbs.twimg.com/profile_images/2/def_400x400.png',
      profileUrl: 'https://x.com/lea_lit',
    });
    expect(post.entities.hashtags.map((h) => h.tag)).toEqual(['FeteDuLivre', 'SaintEtienne']);
    expect(post.entities.mentions.map((m) => m.handle)).toEqual(['lea_lit']);
    expectEntitiesSlice(post);
  });

  it('falls back to the repost text when the original is missing from includes', () => {
    const { tweet: original } = fakeTweet({ author: town, text: 'Bonjour #FeteDuLivre' });
    const { tweet: repost } = fakeTweet({ author: reader, retweetOf: { tweet: original, author: town } });
    const post = normalizeTweet(repost, { users: [reader] });
    expect(post.text).toBe('RT @saint_etienne_: Bonjour #FeteDuLivre');
    expect(post.repostedBy).toBeUndefined();
    expect(post.author.handle).toBe('lea_lit');
  });

  it('attaches the quoted post and hides its trailing link', () => {
    const { tweet: quotedTweet } = fakeTweet({ author: town, text: 'Le programme est en ligne #FeteDuLivre' });
    const { tweet } = fakeTweet({
      author: reader,
      text: "J'y serai ! 😍",
      quoteOf: { tweet: quotedTweet, author: town },
    });
    const post = normalizeTweet(tweet, { users: [reader, town], tweets: [quotedTweet] });
    expect(post.text).toBe("J'y serai ! 😍");
    expect(post.entities.links).toEqual([]);
    expect(post.quoted).toMatchObject({
      id: quotedTweet.id,
      text: 'Le programme est en ligne #FeteDuLivre',
      author: { handle: 'saint_etienne_' },
    });
    expect(post.quoted?.quoted).toBeUndefined();
  });

  it('keeps the quoted link when the quoted post could not be read', () => {
    const { tweet: quotedTweet } = fakeTweet({ author: town, text: 'supprimé' });
    const { tweet } = fakeTweet({ author: reader, text: 'Regardez', quoteOf: { tweet: quotedTweet, author: town } });
    const post = normalizeTweet(tweet, { users: [reader] });
    expect(post.quoted).toBeUndefined();
    expect(post.entities.links).toHaveLength(1);
    expectEntitiesSlice(post);
  });

  it('shows a long post in full from note_tweet with its own entities', () => {
    const long = `${'Le week-end des 10 et 11 octobre, la #FeteDuLivre revient place Jean-Jaurès. '.repeat(4)}Infos & programme : @saint_etienne_ 📚`;
    const { tweet } = fakeTweet({ author: town, longText: long });
    expect(Array.from(tweet.text).length).toBeLessThanOrEqual(280);
    const post = normalizeTweet(tweet, { users: [town] });
    expect(post.text).toBe(long);
    expect(post.entities.hashtags).toHaveLength(4);
    expect(post.entities.mentions).toHaveLength(1);
    expectEntitiesSlice(post);
  });

  it('marks edited posts and reports earlier versions as removals', () => {
    const { tweet } = fakeTweet({ author: town, text: 'Horaires corrigés #FeteDuLivre', editedFrom: ['100', '200'] });
    const page = normalizePage({
      data: [
        tweet,
        { id: '200', text: 'Horaires #FeteDuLivre', author_id: town.id, edit_history_tweet_ids: ['100', '200'] },
      ],
      includes: { users: [town] },
    });
    expect(page.posts.map((p) => p.id)).toEqual([tweet.id]);
    expect(page.posts[0]!.edited).toBe(true);
    expect(page.removals.sort()).toEqual(['100', '200']);
  });

  it('keeps the good posts when the answer carries partial errors', () => {
    const { tweet: a } = fakeTweet({ author: town, text: 'Un #FeteDuLivre' });
    const { tweet: b } = fakeTweet({
      author: reader,
      text: 'Deux #FeteDuLivre',
      quoteOf: { tweet: { id: '999', text: '' }, author: town },
    });
    const page = normalizePage({
      data: [a, b],
      includes: { users: [town, reader] },
      errors: [
        {
          value: '999',
          detail: 'Could not find tweet with referenced_tweets.id: [999].',
          title: 'Not Found Error',
          resource_type: 'tweet',
          parameter: 'referenced_tweets.id',
          resource_id: '999',
          type: 'https://api.twitter.com/2/problems/resource-not-found',
        },
        {
          value: '998',
          detail: 'Sorry, you are not authorized to see the Tweet with referenced_tweets.id: [998].',
          title: 'Authorization Error',
          resource_type: 'tweet',
          parameter: 'referenced_tweets.id',
          resource_id: '998',
          type: 'https://api.twitter.com/2/problems/not-authorized-for-resource',
        },
      ],
    });
    expect(page.posts.map((p) => p.id)).toEqual([a.id, b.id]);
    expect(page.errors).toHaveLength(2);
  });

  it('treats an empty page (no data key) as no posts', () => {
    expect(normalizePage({ meta: { result_count: 0 } })).toEqual({ posts: [], removals: [], errors: [] });
  });

  it('survives missing includes', () => {
    const photo = fakePhoto();
    const { tweet } = fakeTweet({ author: town, text: 'Sans includes #FeteDuLivre', media: [photo] });
    const { posts } = normalizePage({ data: [tweet] });
    expect(posts[0]).toMatchObject({
      author: { name: '', handle: '', avatarUrl: '', profileUrl: '' },
      url: `https://x.com/i/status/${tweet.id}`,
      media: [],
      text: 'Sans includes #FeteDuLivre',
    });
  });
});

describe('idsToRemove', () => {
  it('removes ids reported as errors, absent, or withheld', () => {
    const user = fakeUser({ username: 'x' });
    const ok = fakeTweet({ author: user, text: 'ok' }).tweet;
    const withheld = fakeTweet({
      author: user,
      text: 'w',
      withheld: { copyright: false, country_codes: ['FR'] },
    }).tweet;
    const removed = idsToRemove(['1', '2', ok.id, withheld.id, '3'], {
      data: [ok, withheld],
      errors: [
        { resource_id: '1', title: 'Not Found Error', parameter: 'ids' },
        { resource_id: '2', title: 'Authorization Error', parameter: 'ids' },
      ],
    });
    expect(removed).toEqual(['1', '2', withheld.id, '3']);
  });
});
