/** JSON error answers: every HTTP error is `{"error":{"status","message"}}` with the right status. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiError } from '../contract.js';
import { ERROR_HEADERS, type HeaderSet } from './headers.js';

export function jsonError(c: Context, status: ContentfulStatusCode, message: string, headers?: HeaderSet): Response {
  const body: ApiError = { error: { status, message } };
  return c.json(body, status, { ...ERROR_HEADERS, ...headers });
}
