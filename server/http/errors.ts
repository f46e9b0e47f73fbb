/** JSON error answers: every HTTP error is `{"error":{"status","message"}}` with the right status. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiError } from '../contract.js';

export function jsonError(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  headers?: Record<string, string>,
): Response {
  const body: ApiError = { error: { status, message } };
  return c.json(body, status, { 'cache-control': 'no-store', ...headers });
}
