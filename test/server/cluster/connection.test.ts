/** A Redis connection through a network that goes silent (a blackholing TCP proxy), then heals. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { blockingMs, deadlineMs, RedisConnection, RedisTimeoutError } from '../../../server/cluster/connection.js';
import { memoryLogger } from '../../../server/log.js';
import { startRedis } from '../../helpers/redis-server.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('a Redis connection', () => {
  it('gives each command a deadline: its blocking time, the reply timeout, and more for a large one', () => {
    expect(blockingMs(['XREAD', 'COUNT', '500', 'BLOCK', '1000', 'STREAMS', 'cf:log', '0-0'])).toBe(1_000);
    expect(blockingMs(['BRPOP', 'cf:requests', '1'])).toBe(1_000);
    expect(blockingMs(['GET', 'cf:lease'])).toBe(0);
    expect(deadlineMs(['GET', 'cf:lease'], 2_000)).toBe(2_000);
    expect(deadlineMs(['EVAL', 'x'.repeat(1024 * 1024)], 2_000)).toBe(2_000 + 1_024);
  });

  it('fails a command left unanswered by a silent network at its deadline, then works on a fresh connection once the network heals, subscriptions included', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    const proxy = await startTcpProxy({ port: redis.port });
    cleanups.push(() => proxy.close());
    const log = memoryLogger();
    const connection = await RedisConnection.open(proxy.url, log, 'test', 300);
    cleanups.push(() => connection.destroy());
    const subscriber = await RedisConnection.open(proxy.url, log, 'answers', 300);
    cleanups.push(() => subscriber.destroy());
    const messages: string[] = [];
    await subscriber.subscribe('channel', (m) => messages.push(m));
    const publisher = await RedisConnection.open(redis.url, log, 'publisher', 300);
    cleanups.push(() => publisher.destroy());
    expect(await connection.sendCommand(['PING'])).toBe('PONG');

    proxy.blackhole();
    const sent = Date.now();
    await expect(connection.sendCommand(['GET', 'key'])).rejects.toBeInstanceOf(RedisTimeoutError);
    expect(Date.now() - sent).toBeLessThan(2_000);
    expect(log.lines.join('\n')).toContain('redis.down');

    proxy.heal();
    await vi.waitFor(async () => expect(await connection.sendCommand(['PING'])).toBe('PONG'), {
      timeout: 5_000,
      interval: 100,
    });
    // The subscriber, silent too, was found out by its heartbeat: it listens again on a new connection.
    await vi.waitFor(
      async () => {
        await publisher.sendCommand(['PUBLISH', 'channel', 'bonjour']);
        expect(messages).toContain('bonjour');
      },
      { timeout: 5_000, interval: 200 },
    );
  });
});
