import { afterEach, expect, it } from 'vitest';
import { startRedis } from '../../helpers/redis-server.js';
import { CountingUpstream, startInstance } from '../../helpers/cluster.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

it('smoke', async () => {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  const up = new CountingUpstream();
  const a = await startInstance(redis.url, up, 'a');
  cleanups.push(() => a.close());
  const b = await startInstance(redis.url, up, 'b');
  cleanups.push(() => b.close());
  await new Promise((r) => setTimeout(r, 2000));
  const sa = await (await fetch(`${a.url}/api/feeds/saint-etienne`)).json();
  const sb = await (await fetch(`${b.url}/api/feeds/saint-etienne`)).json();
  console.log(sa.revision, sb.revision, sa.posts.length, sb.posts.length, up.polls.length, up.overlaps, new Set(up.polls.map(p=>p.instance)));
  console.log(await (await fetch(`${b.url}/api/ready`)).text());
  expect(sa.revision).toBe(sb.revision);
}, 30_000);
