import { describe, expect, it } from 'vitest';
import type { MastodonTimelineAccess } from '../../../../server/sources/mastodon/api-types.js';
import {
  hashtagAccess,
  readInstance,
  webSocketOrigin,
  type MastodonInstanceInfo,
} from '../../../../server/sources/mastodon/instance.js';

describe('readInstance', () => {
  it('reads the domain, the streaming address and who may read hashtag timelines', () => {
    const info = readInstance(
      {
        domain: 'ville.social',
        version: '4.5.2',
        configuration: {
          urls: { streaming: 'wss://streaming.ville.social' },
          timelines_access: { hashtag_feeds: { local: 'public', remote: 'authenticated' } },
        },
      },
      'https://ville.social',
    );
    expect(info).toEqual({
      domain: 'ville.social',
      version: '4.5.2',
      streamingUrl: 'wss://streaming.ville.social',
      hashtagFeeds: { local: 'public', remote: 'authenticated' },
    });
  });

  it('streams from the instance itself and leaves access unknown when an older instance does not say', () => {
    expect(readInstance({ domain: 'old.example', version: '4.1.0' }, 'https://old.example/')).toEqual({
      domain: 'old.example',
      version: '4.1.0',
      streamingUrl: 'wss://old.example',
    });
    expect(
      readInstance({ domain: 'x', configuration: { urls: { streaming: 'ftp://x' } } }, 'http://127.0.0.1:9'),
    ).toMatchObject({
      streamingUrl: 'ws://127.0.0.1:9',
    });
    expect(readInstance([], 'https://x.example')).toBeUndefined();
    expect(webSocketOrigin('javascript:1')).toBeUndefined();
  });
});

describe('hashtagAccess', () => {
  const info = (local: MastodonTimelineAccess, remote: MastodonTimelineAccess): MastodonInstanceInfo => ({
    domain: 'ville.social',
    version: '4.5.0',
    streamingUrl: 'wss://ville.social',
    hashtagFeeds: { local, remote },
  });

  it('reads everything when the timelines are public, or need a login and a token is set', () => {
    expect(hashtagAccess(info('public', 'public'), false)).toEqual({ readable: true, scope: 'all' });
    expect(hashtagAccess(info('authenticated', 'authenticated'), true)).toEqual({ readable: true, scope: 'all' });
    expect(hashtagAccess({ ...info('public', 'public'), hashtagFeeds: undefined }, false)).toEqual({
      readable: true,
      scope: 'all',
    });
  });

  it('asks for the readable half only, and says what a token would add', () => {
    expect(hashtagAccess(info('public', 'authenticated'), false)).toEqual({
      readable: true,
      scope: 'local',
      problem:
        "ville.social shows other servers' posts in hashtag timelines to logged-in users only: set an access token for ville.social",
    });
    expect(hashtagAccess(info('disabled', 'public'), false)).toMatchObject({
      readable: true,
      scope: 'remote',
      problem: "ville.social has disabled its own accounts' posts in hashtag timelines",
    });
  });

  it('says a token is needed, or that the timelines are disabled', () => {
    expect(hashtagAccess(info('authenticated', 'authenticated'), false)).toEqual({
      readable: false,
      scope: 'all',
      problem:
        'ville.social shows posts in hashtag timelines to logged-in users only: set an access token for ville.social',
    });
    expect(hashtagAccess(info('disabled', 'disabled'), true)).toEqual({
      readable: false,
      scope: 'all',
      problem: 'ville.social has disabled posts in hashtag timelines',
    });
  });
});
