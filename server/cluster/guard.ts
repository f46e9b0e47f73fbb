/**
 * What makes a source read only on the instance that leads. A poll (or compliance check) or a
 * stream starts only while the lease is trusted and Redis has taken the last batch (else it would
 * be read again); a stream already running is stopped when the lease is lost (`node.ts` steps
 * down), and a push that comes in after the lease ran out but before that (a process resumed after
 * a pause reads its sockets before its timers) is dropped: neither written nor committed, the next
 * leader reads it again from the committed cursor.
 */
import type { Logger } from '../log.js';
import { SourceError, type PushSink, type Source } from '../sources/source.js';

export interface LeaseCheck {
  /** This instance leads and may trust its lease now. */
  trusted(): boolean;
  /** A batch is waiting for Redis: nothing new should be read yet. */
  blocked(): boolean;
  log: Logger;
}

export function guardSource(source: Source, lease: LeaseCheck): Source {
  const check = () => {
    if (!lease.trusted() || lease.blocked())
      throw new SourceError('this instance does not hold the lease to poll', {
        state: 'standby',
        notBefore: Date.now() + 1_000,
        reported: true,
      });
  };
  const guarded = (sink: PushSink): PushSink => ({
    ...sink,
    posts: (posts, removals, cursor) => {
      if (lease.trusted()) return sink.posts(posts, removals, cursor);
      lease.log.warn('cluster.push_dropped', { posts: posts.length, removals: removals?.length ?? 0 });
    },
  });
  return {
    kind: source.kind,
    poll: async (cursor, signal) => (check(), source.poll(cursor, signal)),
    stream: source.stream && (async (sink, signal) => (check(), source.stream!(guarded(sink), signal))),
    complianceCheck:
      source.complianceCheck && (async (cursor, signal) => (check(), source.complianceCheck!(cursor, signal))),
    health: source.health && ((view) => source.health!(view)),
    resume: source.resume && (() => source.resume!()),
    close: source.close && (() => source.close!()),
  };
}
