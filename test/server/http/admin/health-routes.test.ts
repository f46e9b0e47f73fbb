/** The organisers' view of the sources: what upstream said, rate limits, X reads this month and the budget, in dollars. */
import { describe, expect, it } from 'vitest';
import { adminHealth } from '../../../../server/http/admin/health-routes.js';
import type { AdminHealth } from '../../../../server/http/admin/admin-contract.js';
import type { HealthReport } from '../../../../server/http/health.js';
import { fakeTweet } from '../../../fake-x/fake-x-server.js';
import { adminRequest, signedInAs } from '../../../helpers/admin.js';
import { testConfig } from '../../../helpers/config.js';
import { X_FEED, services, useFakeX } from '../../../helpers/services.js';

const TOKEN = 'x-admin-health-token-0123456';
const h = useFakeX(TOKEN);

describe('GET /api/admin/health', () => {
  it('gives organisers what X said, its rate limits, and this month’s reads and budget in dollars', async () => {
    const config = testConfig({
      feeds: [],
      x: { bearerToken: TOKEN, baseUrl: h.x.baseUrl, monthlyPostBudget: 20_000 },
    });
    const s = services(config, { clock: h.clock, sourceFor: () => undefined });
    s.registry.create(X_FEED, { username: 'alex', role: 'admin' });
    const author = h.x.addUser({ username: 'lecteur42' });
    for (const minutes of [3, 2, 1]) {
      h.x.addTweet(
        fakeTweet({
          author,
          text: `Bonjour #FeteDuLivre ${minutes}`,
          createdAt: new Date(h.clock.now() - minutes * 60_000).toISOString(),
        }).tweet,
      );
    }
    const engine = s.engines.get('fete')!;
    await engine.pollNow();
    h.x.fault('search/recent', { kind: 'unavailable', status: 503 });
    await h.clock.advance(60 * 60_000);
    await engine.pollNow();
    const { cookie } = await signedInAs(s.auth, 'moderator', 'mona');

    const res = await adminRequest(s.app, 'health', { cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as AdminHealth;
    expect(body.view).toBe('operator');
    const [source] = body.feeds;
    expect(source).toMatchObject({
      feed: 'fete',
      source: 'x',
      lastError: { state: 'unavailable', message: expect.stringMatching(/503/) },
      details: { rateLimits: { search: { limit: expect.any(Number), remaining: expect.any(Number) } } },
      monthReads: { posts: 3, users: 1, costUsd: 0.025 },
    });
    expect(body.x).toEqual({
      month: { posts: 3, users: 1, costUsd: 0.025 },
      budget: { posts: 20_000, used: 3, remaining: 19_997, costUsd: 100 },
      prices: { postRead: 0.005, userRead: 0.01 },
    });
  });
});

describe('adminHealth', () => {
  const report = (feeds: HealthReport['feeds']): HealthReport => ({
    status: 'ok',
    view: 'operator',
    uptimeSeconds: 1,
    viewers: 0,
    droppedViewers: 0,
    store: { skippedRows: 0 },
    feeds,
  });
  const source = (feed: string, network: string, details?: Record<string, unknown>) => ({
    feed,
    source: network,
    state: 'active',
    stale: false,
    lastSuccessAt: null,
    lastError: null,
    consecutiveFailures: 0,
    nextPollAt: null,
    viewers: 0,
    ...(details ? { details } : {}),
  });

  it('prices each X source’s month and the whole server’s, and leaves other sources unpriced', () => {
    const reads = (month: { posts: number; users: number }) => ({
      reads: { today: month, month, allFeedsMonth: { posts: 2_000, users: 100 } },
      budget: null,
    });
    const out = adminHealth(
      report([
        source('a', 'x', reads({ posts: 1_234, users: 56 })),
        source('b', 'x', reads({ posts: 766, users: 44 })),
        source('c', 'demo', { state: 'ok' }),
      ]),
    );
    expect(out.feeds.map((f) => f.monthReads)).toEqual([
      { posts: 1_234, users: 56, costUsd: 6.73 },
      { posts: 766, users: 44, costUsd: 4.27 },
      null,
    ]);
    expect(out.x).toEqual({
      month: { posts: 2_000, users: 100, costUsd: 11 },
      budget: null,
      prices: { postRead: 0.005, userRead: 0.01 },
    });
    expect(adminHealth(report([source('c', 'demo')])).x).toBeNull();
  });
});
