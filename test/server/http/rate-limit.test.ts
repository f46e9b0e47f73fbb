import { afterEach, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../server/http/rate-limit.js';
import { testConfig } from '../../helpers/config.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { cleanUp, server } from '../../helpers/services.js';
import { openSse } from '../../helpers/sse-client.js';
import { proxyOnImageHost } from '../media/image-host.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
  await cleanUp();
});

describe('RateLimiter', () => {
  it('lets a burst of `capacity` through, then one per refill interval, each address apart', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ capacity: 3, perMinute: 6, clock });
    expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterS: 10 });
    expect(limiter.take('b').ok).toBe(true);
    await clock.advance(10_000);
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
  });

  it('refills nothing when the clock goes backwards, and never beyond its capacity', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ capacity: 2, perMinute: 60, clock });
    limiter.take('a');
    limiter.take('a');
    await clock.advance(-3_600_000);
    expect(limiter.take('a').ok).toBe(false);
    await clock.advance(3_600_000 * 2);
    expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, false]);
  });

  it('remembers a bounded number of addresses, forgetting the least recently seen', () => {
    const limiter = new RateLimiter({ capacity: 1, perMinute: 1, clock: new FakeClock(), maxKeys: 2 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    // `a` was forgotten: it starts with a full bucket again; `c` was not.
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('c').ok).toBe(false);
  });
});

describe('per-address limits on the routes that cost something', () => {
  it('refuses new live streams from one address past its rate with a JSON 429, and lets other addresses in', async () => {
    const clock = new FakeClock();
    const limits = {
      streams: new RateLimiter({ capacity: 3, perMinute: 9, clock }),
      newImages: new RateLimiter({ capacity: 1, perMinute: 1, clock }),
      fragments: new RateLimiter({ capacity: 1, perMinute: 1, clock }),
    };
    const s = await server(testConfig(), { clock, limits });
    const url = `${s.url}/api/feeds/saint-etienne/events`;
    // Streams opened and closed at once: the cap on open streams never bites, the rate does.
    for (let i = 0; i < 3; i++) {
      const c = await openSse(url);
      expect(c.status).toBe(200);
      c.close();
      await c.closed;
    }
    const refused = await fetch(url, { headers: { accept: 'text/event-stream' } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(await refused.json()).toEqual({
      error: { status: 429, message: 'too many new live streams from your network, try again shortly' },
    });
    const other = await openSse(url, {}, '127.0.0.2');
    expect(other.status).toBe(200);
    other.close();
    // HEAD does not open a stream, so it takes nothing.
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
    await clock.advance(7_000);
    const again = await openSse(url);
    expect(again.status).toBe(200);
    again.close();
  });

  it('limits the HTML fragments rendered anew from one address, never one already rendered for the feed as it is', async () => {
    const clock = new FakeClock();
    const limits = {
      streams: new RateLimiter({ capacity: 100, perMinute: 100, clock }),
      newImages: new RateLimiter({ capacity: 100, perMinute: 100, clock }),
      fragments: new RateLimiter({ capacity: 2, perMinute: 6, clock }),
    };
    const s = await server(testConfig(), { clock, limits });
    const fragment = (query: string) =>
      fetch(`${s.url}/api/feeds/saint-etienne.html${query}`).then(async (res) => ({
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        body: await res.text(),
      }));
    // Two shapes rendered: the burst.
    expect((await fragment('?limit=5')).status).toBe(200);
    expect((await fragment('?limit=6')).status).toBe(200);
    // A CMS asking for the same fragment on every page view renders nothing more, and is never refused.
    for (let i = 0; i < 20; i++) expect((await fragment('?limit=5')).status).toBe(200);
    // A client walking through shapes is refused once its renders run out.
    const refused = await fragment('?limit=7');
    expect(refused).toMatchObject({ status: 429, retryAfter: '10' });
    expect(JSON.parse(refused.body)).toEqual({
      error: { status: 429, message: 'too many different fragments asked for from your network, try again shortly' },
    });
    // An unknown feed is a 404 whatever the limit.
    expect((await fetch(`${s.url}/api/feeds/nope.html?limit=8`)).status).toBe(404);
    await clock.advance(10_000);
    expect((await fragment('?limit=7')).status).toBe(200);
  });

  it('asks for admission only for an image fetched for the first time, and answers 429 when refused', async () => {
    const { proxy, host } = await proxyOnImageHost(cleanups);
    const refuse = () => ({ ok: false as const, retryAfterS: 7 });
    await expect(proxy.get('pbs.twimg.com', '/media/a.jpg?name=small', undefined, refuse)).rejects.toMatchObject({
      status: 429,
      retryAfterS: 7,
    });
    expect(host.hits).toEqual([]);
    let asked = 0;
    const admit = () => (asked++, { ok: true as const });
    await proxy.get('pbs.twimg.com', '/media/a.jpg?name=small', undefined, admit);
    // Already fetched: served without asking, even to an address past its limit.
    await proxy.get('pbs.twimg.com', '/media/a.jpg?name=small', undefined, refuse);
    expect(asked).toBe(1);
    expect(host.hits).toEqual(['/media/a.jpg?name=small']);
  });
});
