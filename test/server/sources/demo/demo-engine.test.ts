/** The demo replay on the engine's schedule, as the server wires it: the event window and pollSeconds hold. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerDeps } from '../../../../server/services.js';
import { createSource } from '../../../../server/sources/index.js';
import { testConfig, testFeed } from '../../../helpers/config.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { cleanUp, services } from '../../../helpers/services.js';

afterEach(cleanUp);

const T0 = Date.parse('2026-10-17T08:00:00Z');
const MIN = 60_000;

/** The real demo source of a feed, its polls timed (minutes after T0) and the posts each brought. */
function demoFeed(feed: Record<string, unknown>) {
  const clock = new FakeClock(T0);
  const config = testConfig({ feeds: [testFeed({ id: 'demo-feed', ...feed })] });
  const polls: { at: number; posts: number }[] = [];
  const sourceFor: ServerDeps['sourceFor'] = (_feed, context) => {
    const demo = createSource(context, config);
    return {
      ...demo,
      poll: async (cursor, signal) => {
        const result = await demo.poll(cursor, signal);
        polls.push({ at: (clock.now() - T0) / MIN, posts: result.posts.length });
        return result;
      },
    };
  };
  const s = services(config, { clock, sourceFor });
  s.runtime.start();
  return { ...s, polls, posts: () => s.store.recentPosts('demo-feed', 1000) };
}

describe('the demo source on the engine’s schedule', () => {
  it('polls at its pace inside the event window, once a minute outside, and wakes up at its start', async () => {
    const eventWindow = {
      start: new Date(T0 + 3 * MIN).toISOString(),
      end: new Date(T0 + 3.4 * MIN).toISOString(),
    };
    const s = demoFeed({ paceSeconds: 10, eventWindow });
    await s.clock.advance(6 * MIN);
    expect(s.polls.map((p) => p.at)).toEqual(
      [0, 1, 2, 3, 3 + 1 / 6, 3 + 2 / 6, 3.5, 4.5, 5.5].map((m) => expect.closeTo(m, 5)),
    );
    // Outside the window the posts keep their pace: six arrive together at each poll.
    expect(s.polls.map((p) => p.posts)).toEqual([8, 6, 6, 6, 1, 1, 1, 6, 6]);
    expect(s.posts()).toHaveLength(41);
  });

  it('polls every pollSeconds, releasing what its pace made due meanwhile', async () => {
    const s = demoFeed({ paceSeconds: 5, pollSeconds: 30 });
    await s.clock.advance(2 * MIN);
    expect(s.polls.map((p) => p.at * 60)).toEqual([0, 30, 60, 90, 120]);
    expect(s.polls.map((p) => p.posts)).toEqual([8, 6, 6, 6, 6]);
    const times = s.posts().map((p) => Date.parse(p.createdAt));
    expect(Math.max(...times)).toBe(T0 + 2 * MIN);
    expect(new Set(times).size).toBe(times.length);
  });
});
