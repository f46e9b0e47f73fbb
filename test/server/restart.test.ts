import { describe, expect, it } from 'vitest';
import type { FeedSnapshot } from '../../server/contract.js';
import { memoryLogger } from '../../server/log.js';
import { startServer } from '../../server/server.js';
import { testConfig } from '../helpers/config.js';
import { testPost } from '../helpers/posts.js';
import { ScriptedSource } from '../helpers/scripted-source.js';
import { FakeClock } from '../helpers/fake-clock.js';

describe('a restart', () => {
  it('serves the stored posts at once, before the first poll, and hands the source its stored cursor', async () => {
    const config = testConfig();
    const first = new ScriptedSource().push({ posts: [testPost(1), testPost(2)], cursor: 'after-p2' });
    const a = await startServer(config, {
      clock: new FakeClock(),
      log: memoryLogger(),
      sourceFor: () => first,
      startEngines: false,
    });
    await a.engines.get('saint-etienne')!.pollNow();
    await a.close();

    // The source is down after the restart: its polls never answer.
    const second = new ScriptedSource();
    second.gate = new Promise(() => {});
    const clock = new FakeClock();
    const b = await startServer(config, { clock, log: memoryLogger(), sourceFor: () => second });
    try {
      const res = await fetch(`${b.url}/api/feeds/saint-etienne`);
      const snapshot = (await res.json()) as FeedSnapshot;
      expect(snapshot.posts.map((p) => p.id)).toEqual(['p2', 'p1']);
      expect(snapshot.revision).toBe(2);
      expect(second.polls).toBe(0);
      await clock.advance(0);
      expect(second.cursorsSeen).toEqual(['after-p2']);
    } finally {
      await b.close();
    }
  });
});
