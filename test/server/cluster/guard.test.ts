import { describe, expect, it } from 'vitest';
import { guardSource } from '../../../server/cluster/guard.js';
import { memoryLogger } from '../../../server/log.js';
import { SourceError, type PushSink } from '../../../server/sources/source.js';
import { testPost } from '../../helpers/posts.js';
import { StreamingSource } from '../../helpers/scripted-source.js';

function setup() {
  const lease = { trusted: true, blocked: false };
  const source = new StreamingSource();
  const log = memoryLogger();
  const guarded = guardSource(source, { trusted: () => lease.trusted, blocked: () => lease.blocked, log });
  const pushed: string[] = [];
  const sink: PushSink = {
    posts: (posts) => pushed.push(...posts.map((p) => p.id)),
    live: () => {},
    cursor: () => null,
  };
  return { lease, source, guarded, pushed, sink, log };
}

describe('a source read under the lease', () => {
  it('polls only while the lease is trusted and Redis has taken the last batch', async () => {
    const { lease, source, guarded } = setup();
    const signal = new AbortController().signal;
    await guarded.poll(null, signal);
    lease.blocked = true;
    await expect(guarded.poll(null, signal)).rejects.toBeInstanceOf(SourceError);
    lease.blocked = false;
    lease.trusted = false;
    await expect(guarded.poll(null, signal)).rejects.toMatchObject({ state: 'standby' });
    expect(source.polls).toBe(1);
  });

  it('drops a push that comes in after the lease ran out, before the stream is stopped', async () => {
    const { lease, source, guarded, pushed, sink, log } = setup();
    void guarded.stream!(sink, new AbortController().signal);
    source.pushPosts([testPost(1)]);
    // Woken from a pause: the socket is read before the step-down runs.
    lease.trusted = false;
    source.pushPosts([testPost(2)]);
    expect(pushed).toEqual([testPost(1).id]);
    expect(log.lines.some((l) => l.includes('cluster.push_dropped'))).toBe(true);
  });

  it('starts no stream without the lease', async () => {
    const { lease, source, guarded, sink } = setup();
    lease.trusted = false;
    await expect(guarded.stream!(sink, new AbortController().signal)).rejects.toBeInstanceOf(SourceError);
    expect(source.streams).toBe(0);
  });
});
