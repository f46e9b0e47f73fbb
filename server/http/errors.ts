/** JSON error answers: every HTTP error is `{"error":{"status","message"}}` with the right status. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiError } from '../contract.js';
import { ERROR_HEADERS, type HeaderSet } from './headers.js';

export function jsonError(c: Context, status: ContentfulStatusCode, message: string, headers?: HeaderSet): Response {
  const body: ApiError = { error: { status, message } };
  return c.json(body, status, { ...ERROR_HEADERS, ...headers });
}

/**
 * The answer to a request the adapter could not turn into a `Request` (a backslash in the path, an
 * invalid Host or URL): a JSON 400 like every other error, instead of an empty body.
 */
export function unreadableRequest(err: unknown): Response {
  const unreadable = err instanceof Error && err.name === 'RequestError';
  const status = unreadable ? 400 : 500;
  const message = unreadable ? `bad request: ${err.message.toLowerCase()}` : 'internal error';
  const body: ApiError = { error: { status, message } };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
