/**
 * Delivery in Redis mode. The engine, the moderation service and the registry hand their changes
 * to delivery as they always do; here those calls are not shown to viewers at once but recorded,
 * in order, into the next batch of the change log. Viewers see them when the batch comes back
 * from Redis, committed, on every instance alike (`replay`), so that every instance shows the same
 * changes with the same revisions, and none shows a change Redis refused.
 */
import type { FeedStatus } from '../contract.js';
import { AdminStream } from '../delivery/admin-stream.js';
import { Delivery, type FragmentSettings } from '../delivery/delivery.js';
import type { SseHub } from '../delivery/sse-hub.js';
import type { AuditEntry } from '../moderation/types.js';
import type { FeedChange, QueueChange } from '../store/types.js';
import type { RelayedEvent } from './change-log.js';

/** Where recorded calls go, and whether calls are being replayed (then they reach viewers). */
export interface Recorder {
  replaying: boolean;
  record(event: RelayedEvent): void;
}

class RelayAdminStream extends AdminStream {
  readonly #recorder: Recorder;

  constructor(recorder: Recorder, options: ConstructorParameters<typeof AdminStream>[0]) {
    super(options);
    this.#recorder = recorder;
  }

  override queue(feedId: string, changes: readonly QueueChange[]): void {
    if (this.#recorder.replaying) super.queue(feedId, changes);
    else if (changes.length) this.#recorder.record({ m: 'queue', f: feedId, q: [...changes] });
  }

  override audit(feedId: string, entry: AuditEntry): void {
    if (this.#recorder.replaying) super.audit(feedId, entry);
    else this.#recorder.record({ m: 'audit', f: feedId, a: entry });
  }
}

export class RelayDelivery extends Delivery {
  readonly #recorder: Recorder;

  constructor(
    recorder: Recorder,
    hub: SseHub,
    snapshotSize: number,
    fragment?: FragmentSettings,
    adminOptions: ConstructorParameters<typeof AdminStream>[0] = {},
  ) {
    super(hub, snapshotSize, new RelayAdminStream(recorder, adminOptions), fragment);
    this.#recorder = recorder;
  }

  override apply(feedId: string, changes: readonly FeedChange[]): void {
    if (this.#recorder.replaying) super.apply(feedId, changes);
    else if (changes.length) this.#recorder.record({ m: 'apply', f: feedId, c: [...changes] });
  }

  override setStatus(feedId: string, status: FeedStatus): void {
    if (this.#recorder.replaying) super.setStatus(feedId, status);
    else this.#recorder.record({ m: 'status', f: feedId, s: status });
  }

  /** Shows committed events to this instance's viewers. A change already shown (a batch sent twice) is skipped. */
  replay(events: readonly RelayedEvent[]): void {
    this.#recorder.replaying = true;
    try {
      for (const event of events) {
        switch (event.m) {
          case 'apply': {
            const shown = this.snapshot(event.f)?.revision ?? Infinity;
            const fresh = (event.c as FeedChange[]).filter((c) => c.revision > shown);
            this.apply(event.f, fresh);
            break;
          }
          case 'status':
            this.setStatus(event.f, event.s as FeedStatus);
            break;
          case 'queue':
            this.admin.queue(event.f, event.q as QueueChange[]);
            break;
          case 'audit':
            this.admin.audit(event.f, event.a as AuditEntry);
            break;
        }
      }
    } finally {
      this.#recorder.replaying = false;
    }
  }
}
