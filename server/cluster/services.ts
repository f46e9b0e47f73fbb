/** What the cluster drives once the services exist (made by `server.ts`). */
import type { RelayDelivery } from './relay.js';
import type { FeedRuntime } from '../engine/feed-runtime.js';
import type { FeedRegistry } from '../feeds/registry.js';
import type { ModerationService } from '../moderation/service.js';
import type { Store } from '../store/store.js';

export interface ClusterServices {
  store: Store;
  registry: FeedRegistry;
  runtime: FeedRuntime;
  moderation: ModerationService;
  delivery: RelayDelivery;
  /** Applies the config file's feeds (the leader does, when it takes over). */
  seed(): void;
  /** Runs a request through the app, with the client's address (forwarded writes). */
  handle(request: Request, peer: string | undefined): Promise<Response>;
}
