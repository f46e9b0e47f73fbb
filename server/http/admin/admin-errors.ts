/**
 * The HTTP answer to what the services behind the admin API refuse: the account rules, and the
 * feeds' and moderation's errors. `InputError` → 400 (its message names the field),
 * `NotFoundError` → 404, `ConflictError` → 409; anything else is a fault (500, logged).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AccountError, type AccountProblem } from '../../auth/accounts.js';
import { ConflictError, InputError, NotFoundError } from '../../errors.js';
import { jsonError } from '../errors.js';

const ACCOUNT_STATUS: Record<AccountProblem, 404 | 409> = {
  'not-found': 404,
  exists: 409,
  'last-admin': 409,
  'setup-done': 409,
};

function statusOf(err: Error): ContentfulStatusCode | undefined {
  if (err instanceof AccountError) return ACCOUNT_STATUS[err.problem];
  if (err instanceof InputError || err instanceof NotFoundError || err instanceof ConflictError) return err.status;
  return undefined;
}

/** The admin API's `onError`: a refusal becomes its JSON answer; a fault goes on to the app's handler. */
export function answerRefusal(err: Error, c: Context): Response {
  const status = statusOf(err);
  if (status === undefined) throw err;
  return jsonError(c, status, err.message);
}
