/**
 * Networks benchmark, server side: the real server with one feed reading a fake Mastodon
 * (HTTP + streaming WebSocket) and a fake Bluesky (AppView, PDS, Jetstream), all in this process,
 * through the real sources. It counts every call the fakes receive, publishes posts on their
 * streams, and polls on demand, over IPC.
 */
import type { Config } from '../server/config.js';
import { createSource } from '../server/sources/index.js';
import { startFakeBluesky, type FakeBluesky } from '../test/fake-bluesky/fake-bluesky-server.js';
import { fakeActor, fakePost, tagFacet } from '../test/fake-bluesky/fixtures.js';
import { startFakeMastodon, type FakeMastodon } from '../test/fake-mastodon/fake-mastodon-server.js';
import { fakeAccount, fakeStatus, mastodonIdAt } from '../test/fake-mastodon/statuses.js';
import { FEED_ID, startBenchServer, type BenchServer } from './fixtures.js';
import { serveIpc, sleep, waitUntil } from './ipc.js';

const TOKEN = 'mastodon-token-for-the-networks-bench-0123';
const APP_PASSWORD = 'abcd-efgh-ijkl-mnop';
const townBsky = fakeActor('ville.bsky.social');
const residentBsky = fakeActor('habitante.bsky.social');
const residentMasto = fakeAccount({ username: 'lea', domain: 'piaille.fr' });
let mastodon: FakeMastodon;
let bluesky: FakeBluesky;
let real: BenchServer | undefined;
let seq = 0;

const calls = () => mastodon.calls.length + bluesky.calls.length;

function live(source: string): boolean {
  return (real?.runtime.health('operator') ?? []).some((h) => h.source === source && (h as { live?: boolean }).live);
}

/** Publishes one post on a network's stream; its id as the wall will show it. */
function publish(network: 'mastodon' | 'bluesky', word = `n${seq}`): string {
  const text = `Nouvelle publication ${word} #FeteDuLivre`;
  if (network === 'mastodon') {
    const status = mastodon.publish(fakeStatus({ account: residentMasto, text, id: mastodonIdAt(Date.now(), seq++) }));
    return `mastodon:${mastodon.host}:${status.id}`;
  }
  seq++;
  const post = bluesky.publish(
    fakePost({
      author: residentBsky,
      text,
      facets: [tagFacet(text, '#FeteDuLivre')],
      createdAt: new Date().toISOString(),
    }),
  );
  return `bluesky:${post.uri}`;
}

serveIpc({
  async start() {
    mastodon = await startFakeMastodon({ token: TOKEN, limit: 1_000_000 });
    mastodon.addAccount(fakeAccount({ username: 'ville' }));
    bluesky = await startFakeBluesky({ limit: 1_000_000 });
    bluesky.addAccount(townBsky, APP_PASSWORD);
    bluesky.addActor(residentBsky);
    const networks = {
      mastodon: { tokens: { [mastodon.host]: TOKEN } },
      bluesky: {
        account: {
          credentials: { identifier: 'ville.bsky.social', appPassword: APP_PASSWORD },
          pdsUrl: bluesky.pdsUrl,
        },
        appViewUrl: bluesky.appViewUrl,
        jetstreamUrl: bluesky.jetstreamUrl,
      },
    } as Config;
    real = await startBenchServer({
      startEngines: true,
      feed: {
        source: undefined,
        accounts: undefined,
        hashtags: ['FeteDuLivre'],
        sources: [
          { network: 'mastodon', instance: mastodon.baseUrl, accounts: ['ville@ville.social'] },
          { network: 'bluesky', accounts: ['ville.bsky.social'] },
        ],
      },
      source: (context) => createSource(context, networks),
    });
    if (!(await waitUntil(() => live('mastodon') && live('bluesky'), 20_000, 20))) {
      throw new Error('the Mastodon stream and Jetstream did not open');
    }
    return { port: real.port, eventsPath: `/api/feeds/${FEED_ID}/events`, snapshotPath: `/api/feeds/${FEED_ID}` };
  },
  /**
   * Over `ms`: `pushes` posts on each network's stream, evenly spaced, and one backfill poll of
   * every source half-way (what the engine does on its own, slowly, while streams are live).
   * Returns the calls the fakes received meanwhile, by endpoint.
   */
  async activity({ ms, pushes }: { ms: number; pushes: number }) {
    const before = [
      ...mastodon.calls.map((c) => `mastodon ${c.endpoint}`),
      ...bluesky.calls.map((c) => `bluesky ${c.endpoint}`),
    ];
    const c0 = calls();
    const step = ms / (pushes + 1);
    for (let i = 0; i < pushes; i++) {
      await sleep(step);
      publish('mastodon');
      publish('bluesky');
      if (i === Math.floor(pushes / 2)) await real!.engines.get(FEED_ID)!.pollNow();
    }
    await sleep(step);
    const after = [
      ...mastodon.calls.map((c) => `mastodon ${c.endpoint}`),
      ...bluesky.calls.map((c) => `bluesky ${c.endpoint}`),
    ];
    const byEndpoint: Record<string, number> = {};
    for (const call of after.slice(before.length)) byEndpoint[call] = (byEndpoint[call] ?? 0) + 1;
    return {
      calls: calls() - c0,
      byEndpoint,
      viewers: real!.delivery.hub.viewerCount,
      live: live('mastodon') && live('bluesky'),
    };
  },
  /** Publishes one post with `word` in its text on `network`'s stream after the loop settles: when, and its id. */
  async push({ network, word }: { network: 'mastodon' | 'bluesky'; word: string }) {
    await sleep(100);
    const wallAt = Date.now();
    return { wallAt, id: publish(network, word) };
  },
  /** A raw broadcast of about a post's size: the baseline of delivery to every viewer. */
  async broadcast({ frame }: { frame: string }) {
    await sleep(100);
    const wallAt = Date.now();
    real!.delivery.hub.broadcastRaw(FEED_ID, Buffer.from(frame));
    return { wallAt };
  },
  async waitViewers({ count, timeoutMs }: { count: number; timeoutMs: number }) {
    return { reached: await waitUntil(() => real!.delivery.hub.viewerCount === count, timeoutMs, 10) };
  },
  async close() {
    await real?.dispose();
    await Promise.all([mastodon?.close(), bluesky?.close()]);
    setImmediate(() => process.exit(0));
    return true;
  },
});
