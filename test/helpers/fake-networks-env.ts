/** The server's env keys that point it at a fake X, a fake Mastodon and a fake Bluesky (with Jetstream). */
import type { FakeBluesky } from '../fake-bluesky/fake-bluesky-server.js';
import type { FakeMastodon } from '../fake-mastodon/fake-mastodon-server.js';
import type { FakeX } from '../fake-x/fake-x-server.js';

export interface FakeNetworks {
  x: FakeX;
  xToken: string;
  mastodon: FakeMastodon;
  mastodonToken: string;
  bluesky: FakeBluesky;
  blueskyHandle: string;
  blueskyAppPassword: string;
}

export function fakeNetworksEnv(n: FakeNetworks): Record<string, string> {
  return {
    X_BEARER_TOKEN: n.xToken,
    X_API_BASE_URL: n.x.baseUrl,
    MASTODON_TOKENS: `${n.mastodon.host}=${n.mastodonToken}`,
    BLUESKY_HANDLE: n.blueskyHandle,
    BLUESKY_APP_PASSWORD: n.blueskyAppPassword,
    BLUESKY_PDS_URL: n.bluesky.pdsUrl,
    BLUESKY_APPVIEW_URL: n.bluesky.appViewUrl,
    BLUESKY_JETSTREAM_URL: n.bluesky.jetstreamUrl,
  };
}
