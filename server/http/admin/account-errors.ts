/** The HTTP answer to a change the account rules refuse. */
import type { Context } from 'hono';
import { AccountError, type AccountProblem } from '../../auth/accounts.js';
import { jsonError } from '../errors.js';

const STATUS: Record<AccountProblem, 404 | 409> = {
  'not-found': 404,
  exists: 409,
  'last-admin': 409,
  'setup-done': 409,
};

/** Runs `change`; an `AccountError` becomes 404 or 409 with its message, anything else is thrown on. */
export async function answeringAccountErrors(
  c: Context,
  change: () => Promise<Response> | Response,
): Promise<Response> {
  try {
    return await change();
  } catch (err) {
    if (err instanceof AccountError) return jsonError(c, STATUS[err.problem], err.message);
    throw err;
  }
}
