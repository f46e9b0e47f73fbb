import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MediaError } from '../../../server/media/media-proxy.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { proxyOnImageHost } from './image-host.js';
import { rejection } from '../../helpers/rejection.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const IMAGE = '/media/a.jpg?name=small';

/** What `proxy.get` throws (every call here must fail). */
const failure = (promise: Promise<unknown>) => rejection(promise, MediaError);

describe('MediaProxy after a failure', () => {
  it('asks a failing image host a few times for 300 requests, logs it once, and serves the image once it is back', async () => {
    const clock = new FakeClock();
    const { host, proxy, log } = await proxyOnImageHost(cleanups, { clock, random: () => 1 });
    host.failing.add(IMAGE);
    for (let i = 0; i < 300; i++) {
      const err = await failure(proxy.get('pbs.twimg.com', IMAGE));
      expect(err.status).toBe(502);
      expect(err.message).toBe('the image host answered 503');
      expect(err.retryAfterS).toBeGreaterThanOrEqual(1);
      await clock.advance(1_000);
    }
    // Waits of 5, 10, 20, 40, 80 and 160 s: six asks in five minutes, one log line.
    expect(host.hits).toHaveLength(6);
    expect(log.lines.filter((l) => l.includes('media.fetch_failed'))).toHaveLength(1);

    host.failing.delete(IMAGE);
    await expect(proxy.get('pbs.twimg.com', IMAGE)).rejects.toMatchObject({ status: 502 });
    await clock.advance(300_000);
    expect((await proxy.get('pbs.twimg.com', IMAGE)).bytes.toString()).toBe('JPEG-BYTES');
    expect(host.hits).toHaveLength(7);
    expect(log.lines.filter((l) => l.includes('media.host_recovered'))).toEqual([
      expect.stringMatching(/host=pbs\.twimg\.com after=6/),
    ]);
  });

  it('waits before asking a host that refuses connections again, for any of its images', async () => {
    const clock = new FakeClock();
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    let attempts = 0;
    const { proxy, log } = await proxyOnImageHost(cleanups, {
      clock,
      upstream: () => `http://127.0.0.1:${port}`,
      fetch: (input, init) => {
        attempts++;
        return fetch(input, init);
      },
    });
    const first = await failure(proxy.get('pbs.twimg.com', IMAGE));
    const second = await failure(proxy.get('pbs.twimg.com', '/profile_images/1/x_400x400.png'));
    expect([first.status, second.status]).toEqual([502, 502]);
    expect(second.message).toBe('the image host could not be reached');
    expect(attempts).toBe(1);
    expect(log.lines).toEqual([expect.stringMatching(/media\.fetch_failed host=pbs\.twimg\.com .*ECONNREFUSED/)]);
    await clock.advance(5_000);
    await failure(proxy.get('pbs.twimg.com', IMAGE));
    expect(attempts).toBe(2);
    expect(log.lines).toHaveLength(1);
  });

  it('remembers a missing image briefly, without holding back the host’s other images', async () => {
    const clock = new FakeClock();
    const { host, proxy } = await proxyOnImageHost(cleanups, { clock, random: () => 1 });
    const first = await failure(proxy.get('pbs.twimg.com', '/gone.jpg'));
    const again = await failure(proxy.get('pbs.twimg.com', '/gone.jpg'));
    expect([first.status, again.status]).toEqual([404, 404]);
    expect(again.retryAfterS).toBe(30);
    expect((await proxy.get('pbs.twimg.com', IMAGE)).type).toBe('image/jpeg');
    expect(host.hits).toEqual(['/gone.jpg', IMAGE]);
    await clock.advance(30_000);
    await failure(proxy.get('pbs.twimg.com', '/gone.jpg'));
    expect(host.hits).toEqual(['/gone.jpg', IMAGE, '/gone.jpg']);
  });

  it('remembers a bounded number of failed images, forgetting the oldest first', async () => {
    const clock = new FakeClock();
    const { host, proxy } = await proxyOnImageHost(cleanups, { clock, failureEntries: 3 });
    for (const n of [1, 2, 3, 4, 1, 4]) await failure(proxy.get('pbs.twimg.com', `/gone-${n}.jpg`));
    expect(host.hits).toEqual(['/gone-1.jpg', '/gone-2.jpg', '/gone-3.jpg', '/gone-4.jpg', '/gone-1.jpg']);
  });
});
