/**
 * What the OpenAPI description's paths share: the components (the wire contract's zod schemas,
 * from `contract-schema.ts`), the error answers, the feed parameter and the security scheme.
 */
import { z } from 'zod';
import { apiErrorSchema, FEED_EVENTS, feedListSchema, feedSnapshotSchema } from '../contract-schema.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The components, as zod writes them for the schemas that carry an `id`. */
export function componentSchemas(): Record<string, JsonObject> {
  // Referencing the schemas loads contract-schema.ts, which registers them (with their ids).
  void [apiErrorSchema, feedListSchema, feedSnapshotSchema, FEED_EVENTS];
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
  });
  const out: Record<string, JsonObject> = {};
  for (const [id, schema] of Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))) {
    out[id] = open(schema as JsonObject);
  }
  return out;
}

/**
 * A component as OpenAPI wants it: no `$schema` nor `$id` of its own, and open to new fields
 * (clients must ignore what they do not know: the contract grows by adding optional fields).
 */
function open(schema: JsonObject): JsonObject {
  const walk = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$schema' || key === '$id' || (key === 'additionalProperties' && value === false)) continue;
      out[key] = walk(value);
    }
    return out;
  };
  return walk(schema) as JsonObject;
}

export const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
export const json = (id: string) => ({ 'application/json': { schema: ref(id) } });
export const error = (description: string) => ({ description, content: json('ApiError') });
/** A refusal that says when to come back (429, 503). */
export const refusal = (description: string) => ({
  ...error(description),
  headers: { 'Retry-After': { schema: { type: 'integer' } } },
});

export const feedId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The feed, as the `feed` attribute of `<commune-feed>` names it.',
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
};

export const CORS_NOTE =
  'Any site may read it from a browser (CORS), unless the feed lists `allowedOrigins`: then only those origins are granted, preflight included.';

/** The operators' token, for the routes that take it. */
export const SECURITY_SCHEMES = {
  operatorToken: { type: 'http', scheme: 'bearer', description: 'The `ADMIN_TOKEN` of the server.' },
};
