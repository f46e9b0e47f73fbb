/**
 * Moderation of a feed, for any organiser: the queue, one-tap decisions and their undo, the audit
 * log and the figures. Each route calls the moderation service, which writes the decision and
 * hands its changes to every open widget and console.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AdminEnv } from '../../auth/middleware.js';
import type { ModerationService } from '../../moderation/service.js';
import { DECISION_ACTIONS } from '../../moderation/types.js';
import { validate } from '../validate.js';
import type { AuditAnswer, DecisionResult, FeedStats, QueueAnswer } from './admin-contract.js';

/** Longest reason an organiser may give for a decision, in characters. */
export const REASON_MAX_LENGTH = 500;

/** Most items a page of the queue or the audit log holds. */
export const PAGE_MAX = 200;

const VISIBILITY_LIST = /^(shown|held|hidden|filtered)(,(shown|held|hidden|filtered))*$/;

/** A whole number from `min` to `max` (default: any), written in a query string or a path. */
function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  const bounds =
    max === Number.MAX_SAFE_INTEGER
      ? `must be a whole number of at least ${min}`
      : `must be a whole number from ${min} to ${max}`;
  return z
    .string({ error: bounds })
    .regex(/^\d{1,15}$/, bounds)
    .transform(Number)
    .pipe(z.number().min(min, bounds).max(max, bounds));
}

const queueQuery = z
  .object({
    visibility: z
      .string({ error: 'must be given once' })
      .regex(VISIBILITY_LIST, 'must list some of shown, held, hidden, filtered, separated by commas')
      .transform((list) => list.split(',') as ('shown' | 'held' | 'hidden' | 'filtered')[])
      .optional(),
    before: z.string({ error: 'must be given once' }).min(1).max(200, 'must be a post id').optional(),
    limit: wholeNumber(1, PAGE_MAX).optional(),
  })
  .strict();

const auditQuery = z
  .object({
    before: wholeNumber(1).optional(),
    limit: wholeNumber(1, PAGE_MAX).optional(),
  })
  .strict();

const decisionBody = z
  .object({
    action: z.enum(DECISION_ACTIONS, { error: `must be one of ${DECISION_ACTIONS.join(', ')}` }),
    reason: z
      .string({ error: 'must be a string' })
      .trim()
      .max(REASON_MAX_LENGTH, `must be at most ${REASON_MAX_LENGTH} characters`)
      .optional()
      .transform((reason) => reason || undefined),
  })
  .strict();

const undoPath = z.object({ auditId: wholeNumber(1) });

export function createModerationRoutes(moderation: ModerationService) {
  const routes = new Hono<AdminEnv>();

  routes.get('/feeds/:id/queue', validate('query', queueQuery), (c) =>
    c.json<QueueAnswer>({ items: moderation.queue(c.req.param('id'), c.req.valid('query')) }),
  );

  routes.post('/feeds/:id/posts/:postId/decision', validate('json', decisionBody), (c) => {
    const { action, reason } = c.req.valid('json');
    const result = moderation.decide(c.req.param('id'), c.req.param('postId'), action, c.get('actor'), reason);
    return c.json<DecisionResult>(result);
  });

  routes.post('/feeds/:id/audit/:auditId/undo', validate('param', undoPath), (c) => {
    const result = moderation.undo(c.req.param('id'), c.req.valid('param').auditId, c.get('actor'));
    return c.json<DecisionResult>(result);
  });

  routes.get('/feeds/:id/audit', validate('query', auditQuery), (c) =>
    c.json<AuditAnswer>({ entries: moderation.audit(c.req.param('id'), c.req.valid('query')) }),
  );

  routes.get('/feeds/:id/stats', (c) => c.json<FeedStats>(moderation.stats(c.req.param('id'))));

  return routes;
}
