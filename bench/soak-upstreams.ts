/**
 * The soak's upstreams: a fake X, a fake Mastodon (with its streaming API) and a fake Bluesky (with
 * Jetstream), each publishing the town's posts regularly and failing now and then, as the fakes
 * allow: a 503 or a 429 on a poll, a stream cut, a stream refused for a while. Gives the server's
 * env keys and the feed sources that point at them.
 */
import { startFakeBluesky } from '../test/fake-bluesky/fake-bluesky-server.js';
import { fakeActor, fakePost, tagFacet } from '../test/fake-bluesky/fixtures.js';
import { startFakeMastodon } from '../test/fake-mastodon/fake-mastodon-server.js';
import { fakeAccount, fakeStatus, mastodonIdAt } from '../test/fake-mastodon/statuses.js';
import { fakeTweet, snowflakeAt, startFakeX, type FakeFault } from '../test/fake-x/fake-x-server.js';
import { fakeNetworksEnv } from '../test/helpers/fake-networks-env.js';

const X_TOKEN = 'soak-x-token-0123456789abcdef';
const MASTODON_TOKEN = 'soak-mastodon-token-0123456789abcdef';
const APP_PASSWORD = 'soak-abcd-efgh-ijkl';
const TAG = 'FeteDuLivre';

/** What one network published and suffered during the soak. */
export interface UpstreamFigures {
  published: number;
  calls: number;
  faults: number;
}

export interface SoakUpstreams {
  /** The server's env keys that point it at the fakes. */
  env: Record<string, string>;
  /** The sources of a feed reading the three networks. */
  sources: unknown[];
  /** Stops publishing and injecting faults. */
  stop(): void;
  figures(): Record<'x' | 'mastodon' | 'bluesky', UpstreamFigures>;
  close(): Promise<void>;
}

/** X: a post every 2 s, a fault every 45 s (503, 429, garbage, a reset, truncated JSON, a 4 s stall). */
const X_FAULTS: FakeFault[] = [
  { kind: 'unavailable', status: 503 },
  { kind: 'rate-limit', resetInSeconds: 5 },
  { kind: 'garbage' },
  { kind: 'reset' },
  { kind: 'malformed' },
  { kind: 'delay', ms: 4000 },
];

export async function startSoakUpstreams(): Promise<SoakUpstreams> {
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, run: () => void) => timers.push(setInterval(run, ms));
  const counts = {
    x: { published: 0, faults: 0 },
    mastodon: { published: 0, faults: 0 },
    bluesky: { published: 0, faults: 0 },
  };

  const x = await startFakeX({ token: X_TOKEN });
  const townX = x.addUser({ username: 'saint_etienne_', name: 'Ville de Saint-Étienne' });
  every(2000, () => {
    const n = ++counts.x.published;
    x.addTweet(fakeTweet({ id: snowflakeAt(Date.now() + n), author: townX, text: `Soirée #${TAG} n°${n}` }).tweet);
  });
  every(45_000, () => x.fault('search/recent', X_FAULTS[counts.x.faults++ % X_FAULTS.length]!));

  // Mastodon: the town's status every 3 s, pushed on the stream (and kept for polls).
  const mastodon = await startFakeMastodon({ token: MASTODON_TOKEN });
  const townMasto = mastodon.addAccount(fakeAccount({ username: 'ville' }));
  mastodon.streaming.followed.add(townMasto.id);
  let seq = 0;
  every(3000, () => {
    const n = ++counts.mastodon.published;
    const id = mastodonIdAt(Date.now(), seq++);
    mastodon.publish(fakeStatus({ account: townMasto, text: `Au stand #${TAG} n°${n}`, id }));
  });

  // Bluesky: the town's post every 3 s, on Jetstream and in its author feed.
  const bluesky = await startFakeBluesky();
  const townBsky = fakeActor('ville.bsky.social');
  bluesky.addAccount(townBsky, APP_PASSWORD);
  every(3000, () => {
    const text = `Sur la place #${TAG} n°${++counts.bluesky.published}`;
    const createdAt = new Date().toISOString();
    bluesky.publish(fakePost({ author: townBsky, text, facets: [tagFacet(text, `#${TAG}`)], createdAt }));
  });

  // Every 20 s, a fault on Mastodon or Bluesky in turn: polls answered 503 or 429, a stream cut,
  // a stream cut and refused for 20 s (what is posted meanwhile comes by polling).
  const faults: [keyof typeof counts, () => void][] = [
    ['mastodon', () => mastodon.fault('*', { kind: 'unavailable', status: 503 }, 2)],
    ['bluesky', () => bluesky.fault('getAuthorFeed', { kind: 'unavailable', status: 503 }, 2)],
    ['mastodon', () => mastodon.streaming.drop()],
    ['bluesky', () => bluesky.jetstream.drop()],
    ['mastodon', () => mastodon.fault('*', { kind: 'rate-limit', resetInSeconds: 5 })],
    ['bluesky', () => bluesky.fault('*', { kind: 'rate-limit', resetInSeconds: 5 })],
    [
      'mastodon',
      () => {
        mastodon.streaming.refuse(503);
        mastodon.streaming.drop();
        setTimeout(() => mastodon.streaming.refuse(undefined), 20_000);
      },
    ],
    [
      'bluesky',
      () => {
        bluesky.jetstream.refuse(5);
        bluesky.jetstream.drop();
      },
    ],
  ];
  let nextFault = 0;
  every(20_000, () => {
    const [network, inject] = faults[nextFault++ % faults.length]!;
    counts[network].faults++;
    inject();
  });

  return {
    env: fakeNetworksEnv({
      x,
      xToken: X_TOKEN,
      mastodon,
      mastodonToken: MASTODON_TOKEN,
      bluesky,
      blueskyHandle: 'ville.bsky.social',
      blueskyAppPassword: APP_PASSWORD,
    }),
    sources: [
      { network: 'x' },
      { network: 'mastodon', instance: mastodon.baseUrl, accounts: ['ville@ville.social'] },
      { network: 'bluesky', accounts: ['ville.bsky.social'] },
    ],
    stop: () => timers.forEach(clearInterval),
    figures: () => ({
      x: { ...counts.x, calls: x.calls.length },
      mastodon: { ...counts.mastodon, calls: mastodon.calls.length },
      bluesky: { ...counts.bluesky, calls: bluesky.calls.length },
    }),
    close: async () => {
      await Promise.all([x.close(), mastodon.close(), bluesky.close()]);
    },
  };
}
