/**
 * Bluesky pushed live for one feed: Jetstream's posts that match the feed's hashtags and accounts,
 * hydrated through the public AppView into posts the wall can show, and deletions passed on. The
 * cursor to store never runs ahead of a post still being hydrated, so that a restart loses none.
 */
import type { Post } from '../../contract.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { BlueskyClient } from './client.js';
import { Hydrator, type HydratorOptions } from './hydrator.js';
import { openJetstream, type JetstreamOptions, type JetstreamStatus } from './jetstream.js';
import { postIdToUri } from './normalize.js';

export interface BlueskyLiveOptions {
  client: Pick<BlueskyClient, 'getPosts'>;
  /** The feed's hashtags (with or without `#`). */
  hashtags: readonly string[];
  /** The dids of the feed's accounts (resolve handles with `client.resolveHandle`). */
  dids: readonly string[];
  /** Jetstream's `/subscribe` URL (default Bluesky's). */
  url?: string;
  /** The cursor stored last time (Unix microseconds), to resume from; none: from now. */
  cursorUs?: number | null;
  clock: Clock;
  log: Logger;
  onPost(post: Post): void;
  onRemoval(id: string): void;
  /** Whether the feed shows a post id (its deletion is then passed on). */
  isKnown?(id: string): boolean;
  onState?(status: JetstreamStatus): void;
  /** Fine-tuning of the stream and of hydration (tests). */
  jetstream?: Pick<JetstreamOptions, 'silenceMs' | 'pingEveryMs' | 'rewindUs' | 'backoff' | 'random'>;
  hydrate?: Pick<HydratorOptions, 'batchMs' | 'attempts' | 'retry' | 'maxPending' | 'random'>;
}

export interface BlueskyLive {
  /** The stream's state, with the cursor to store. */
  status(): JetstreamStatus & { hydrating: number };
  /** The cursor to store: the last event seen, or earlier while a post is still being hydrated. */
  cursorUs(): number | null;
  close(): void;
}

export function openBlueskyLive(options: BlueskyLiveOptions): BlueskyLive {
  const { clock, log } = options;
  const hydrator = new Hydrator({
    client: options.client,
    clock,
    log,
    onPost: options.onPost,
    onRemoval: options.onRemoval,
    ...options.hydrate,
  });
  const stream = openJetstream({
    hashtags: options.hashtags,
    dids: options.dids,
    ...(options.url ? { url: options.url } : {}),
    cursorUs: options.cursorUs ?? null,
    clock,
    log,
    onPost: (post) => hydrator.add(post.uri, post.timeUs),
    onDelete: (id) => {
      const uri = postIdToUri(id);
      if (uri) hydrator.cancel(uri);
      options.onRemoval(id);
    },
    ...(options.isKnown ? { isKnown: options.isKnown } : {}),
    ...(options.onState ? { onState: options.onState } : {}),
    ...options.jetstream,
  });
  const cursorUs = () => {
    const seen = stream.status().cursorUs;
    const waiting = hydrator.oldestTimeUs();
    return waiting === null || seen === null ? seen : Math.min(seen, waiting - 1);
  };
  return {
    status: () => ({ ...stream.status(), cursorUs: cursorUs(), hydrating: hydrator.size }),
    cursorUs,
    close() {
      stream.close();
      hydrator.close();
    },
  };
}
