/**
 * The real server reading the fake X over real HTTP, on a fake clock, for the fault suite:
 * one X feed on #FeteDuLivre, its snapshot and health read through real sockets.
 */
import { expect } from 'vitest';
import type { FeedSnapshot } from '../../../server/contract.js';
import { feedSchema } from '../../../server/config.js';
import { memoryLogger } from '../../../server/log.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import { fakeTweet, snowflakeAt, startFakeX, type FakeX } from '../../fake-x/fake-x-server.js';
import { testConfig } from '../../helpers/config.js';
import { FakeClock } from '../../helpers/fake-clock.js';

export const FEED_ID = 'fete';
export const X_TOKEN = 'fault-suite-x-token-0123456789';

export const X_FEED = feedSchema.parse({
  id: FEED_ID,
  title: 'Fête du livre',
  source: 'x',
  accounts: [],
  hashtags: ['FeteDuLivre'],
});

export interface FaultServer {
  x: FakeX;
  clock: FakeClock;
  server: RunningServer;
  log: ReturnType<typeof memoryLogger>;
  dataDir: string;
  /** Adds a post on X (one minute old), returning its text. */
  /** `long`: a long post (note_tweet), whose stored row needs pages of its own. */
  post(text: string, long?: boolean): string;
  snapshot(): Promise<FeedSnapshot>;
  /** The texts of the snapshot's posts. */
  texts(): Promise<string[]>;
  close(): Promise<void>;
}

/** Starts the fake X and the real server on it, on one fake clock; the engine polls by itself. */
export async function startFaultServer(
  options: {
    dataDir?: string;
    clock?: FakeClock;
    hostName?: string;
    /** X's own clock (default: the server's), for a server whose wall clock jumps. */
    xNow?: () => number;
  } = {},
): Promise<FaultServer> {
  const clock = options.clock ?? new FakeClock(Date.parse('2026-10-10T10:00:00Z'));
  const x = await startFakeX({ token: X_TOKEN, now: options.xNow ?? (() => clock.now()) });
  const town = x.addUser({ username: 'saint_etienne_', name: 'Ville de Saint-Étienne' });
  const config = testConfig({
    feeds: [X_FEED],
    x: {
      bearerToken: X_TOKEN,
      baseUrl: options.hostName ? x.baseUrl.replace('127.0.0.1', options.hostName) : x.baseUrl,
    },
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  const log = memoryLogger();
  let minted = 0;
  const server = await startServer(config, { clock, log });
  const snapshot = async () => {
    const res = await fetch(`${server.url}/api/feeds/${FEED_ID}`);
    expect(res.status).toBe(200);
    return (await res.json()) as FeedSnapshot;
  };
  return {
    x,
    clock,
    server,
    log,
    dataDir: config.dataDir,
    post(text, long) {
      const { tweet, media } = fakeTweet({
        // Minted now, as X does: search/recent only reaches back 7 days.
        id: snowflakeAt((options.xNow ?? (() => clock.now()))() - 60_000 + ++minted),
        author: town,
        text,
        ...(long ? { longText: text } : {}),
        createdAt: new Date((options.xNow ?? (() => clock.now()))() - 60_000).toISOString(),
      });
      x.addTweet(tweet, media);
      return text;
    },
    snapshot,
    texts: async () => (await snapshot()).posts.map((p) => p.text),
    async close() {
      await server.close();
      await x.close();
    },
  };
}

/** Moves the fake clock by `stepMs` at a time until `check` passes (real I/O runs in between). */
export async function waitOn(h: FaultServer, check: () => Promise<void>, stepMs: number, timeoutMs = 8_000) {
  let last: unknown;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await check();
      return;
    } catch (err) {
      last = err;
    }
    await h.clock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 5));
  }
  throw last;
}
