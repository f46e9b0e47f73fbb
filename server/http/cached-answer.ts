/** Answers a request with one of a body's cached encoded forms: 304 when the client holds it. */
import type { Context } from 'hono';
import { etagMatches } from '../delivery/etag.js';
import { negotiateEncoding, type EncodedForms } from '../delivery/snapshot-cache.js';

export function answerCached(c: Context, forms: EncodedForms): Response {
  const body = forms.body(negotiateEncoding(c.req.header('accept-encoding')));
  if (etagMatches(c.req.header('if-none-match'), body.etag)) return c.body(null, 304, body.notModifiedHeaders);
  return c.body(new Uint8Array(body.bytes), 200, body.headers);
}
