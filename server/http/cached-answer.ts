/** Answers a request with one of a body's cached encoded forms: 304 when the client holds it. */
import type { Context } from 'hono';
import { etagMatches } from '../delivery/etag.js';
import { negotiateEncoding, type EncodedBody, type EncodedForms } from '../delivery/snapshot-cache.js';
import type { HeaderSet } from './headers.js';

/** `headersOf` gives the answer's headers for the form picked (from `headers.ts`). */
export function answerCached(
  c: Context,
  forms: EncodedForms,
  headersOf: (body: EncodedBody, notModified: boolean) => HeaderSet,
): Response {
  const body = forms.body(negotiateEncoding(c.req.header('accept-encoding')));
  const notModified = etagMatches(c.req.header('if-none-match'), body.etag);
  const headers = { ...headersOf(body, notModified) };
  return notModified ? c.body(null, 304, headers) : c.body(new Uint8Array(body.bytes), 200, headers);
}
