/**
 * Feeds at run time: any organiser lists them (settings, where they come from, posts waiting,
 * state); admins create one, replace its settings, pause, archive or reactivate it. The settings
 * are validated by the feeds' one schema (`FeedRegistry`): a refusal names the field.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { requireRole, type AdminEnv } from '../../auth/middleware.js';
import type { Delivery } from '../../delivery/delivery.js';
import type { FeedRecord, FeedRegistry } from '../../feeds/registry.js';
import { FEED_STATES } from '../../feeds/settings.js';
import type { ModerationService } from '../../moderation/service.js';
import { validate } from '../validate.js';
import type { FeedAnswer, FeedsAnswer, FeedSummary } from './admin-contract.js';

export interface FeedRouteOptions {
  registry: FeedRegistry;
  moderation: ModerationService;
  delivery: Delivery;
}

/** Any JSON object: the registry validates it as settings, and names the wrong field. */
const settingsBody = z.record(z.string(), z.unknown(), { error: 'must be a JSON object of feed settings' });

const stateBody = z
  .object({
    state: z.enum(FEED_STATES, { error: `must be one of ${FEED_STATES.map((s) => `"${s}"`).join(', ')}` }),
  })
  .strict();

export function createFeedRoutes({ registry, moderation, delivery }: FeedRouteOptions) {
  const routes = new Hono<AdminEnv>();

  const summary = (record: FeedRecord): FeedSummary => {
    const id = record.settings.id;
    const { shown, held, hidden } = moderation.counts(id);
    const health = delivery.snapshot(id)?.status ?? { stale: false, updatedAt: record.updatedAt };
    return { ...record, counts: { shown, held, hidden }, health };
  };

  routes.get('/', (c) => c.json<FeedsAnswer>({ feeds: registry.list().map(summary) }));

  routes.post('/', requireRole('admin'), validate('json', settingsBody), (c) => {
    const record = registry.create(c.req.valid('json'), c.get('actor'));
    return c.json<FeedAnswer>({ feed: summary(record) }, 201);
  });

  routes.put('/:id', requireRole('admin'), validate('json', settingsBody), (c) => {
    const record = registry.update(c.req.param('id'), c.req.valid('json'), c.get('actor'));
    return c.json<FeedAnswer>({ feed: summary(record) });
  });

  routes.post('/:id/state', requireRole('admin'), validate('json', stateBody), (c) => {
    const record = registry.setState(c.req.param('id'), c.req.valid('json').state, c.get('actor'));
    return c.json<FeedAnswer>({ feed: summary(record) });
  });

  return routes;
}
