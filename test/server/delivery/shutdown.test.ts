/** A stop (SIGTERM) as viewers see it: the last events arrive, then they are told when to reconnect. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Post, StreamClosing } from '../../../server/contract.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import { memoryLogger } from '../../../server/log.js';
import { testConfig } from '../../helpers/config.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { testPost } from '../../helpers/posts.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';
import { openSse, type SseConnection } from '../../helpers/sse-client.js';

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start() {
  const source = new ScriptedSource();
  running = await startServer(testConfig(), {
    clock: new FakeClock(),
    log: memoryLogger(),
    sourceFor: () => source,
    startEngines: false,
    // Two viewers a slice: a broadcast to five takes three turns of the event loop.
    hub: { sliceSize: 2, closingRetryMs: { min: 2_000, max: 8_000 } },
  });
  const url = `${running.url}/api/feeds/saint-etienne/events`;
  return { source, engine: running.engines.get('saint-etienne')!, url, server: running };
}

const posts = (c: SseConnection) =>
  c.frames.filter((f) => f.event === 'post').map((f) => (JSON.parse(f.data!) as Post).id);

describe('a server that stops', () => {
  it('writes the broadcast under way to every viewer, then tells each when to reconnect, then ends the stream', async () => {
    const { source, engine, url, server } = await start();
    const viewers = await Promise.all(Array.from({ length: 5 }, () => openSse(url)));
    await Promise.all(viewers.map((v) => v.waitFor((f) => f.event === 'status')));
    source.posts([testPost(1), testPost(2), testPost(3)]);
    await engine.pollNow();
    // The broadcast is still being written, slice by slice, when the stop begins.
    const stopping = server.close();
    await Promise.all(viewers.map((v) => v.closed));
    await stopping;

    const delays = new Set<number>();
    for (const v of viewers) {
      expect(posts(v)).toEqual(['p1', 'p2', 'p3']);
      const last = v.frames.at(-1)!;
      expect(last.event).toBe('closing');
      const { reconnectInMs } = JSON.parse(last.data!) as StreamClosing;
      expect(reconnectInMs).toBeGreaterThanOrEqual(2_000);
      expect(reconnectInMs).toBeLessThanOrEqual(8_000);
      // A bare EventSource waits as long: the frame's retry: field says the same.
      expect(last.retry).toBe(String(reconnectInMs));
      delays.add(reconnectInMs);
    }
    // Drawn per viewer: they do not all come back in the same instant.
    expect(delays.size).toBeGreaterThan(1);
  });

  it('refuses new connections as soon as it begins to stop', async () => {
    const { url, server } = await start();
    const viewer = await openSse(url);
    await viewer.waitFor((f) => f.event === 'status');
    const stopping = server.close();
    await expect(openSse(url)).rejects.toThrow(/ECONNREFUSED/);
    await stopping;
    expect(viewer.frames.at(-1)!.event).toBe('closing');
  });
});
