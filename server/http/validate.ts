/**
 * zod validation of JSON bodies, query strings and path parameters for Hono
 * routes: a bad input is answered 400 with a message naming the field
 * (`{"error":{"status":400,"message":"password: must be at least 12 characters"}}`);
 * the route reads the parsed value with `c.req.valid('json')`, `c.req.valid('query')`
 * or `c.req.valid('param')`.
 */
import type { Context, Env, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { inputErrorOf } from '../errors.js';
import { jsonError } from './errors.js';

type Target = 'json' | 'query' | 'param';

const WHOLE: Record<Target, string> = { json: 'body', query: 'query', param: 'path' };

/** `field: reason` for the first issue zod found; unknown keys are named one by one. */
export function issueMessage(error: z.ZodError, target: Target): string {
  return inputErrorOf(error.issues, WHOLE[target]).message;
}

async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const text = await c.req.text();
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, message: 'body: must be valid JSON' };
  }
}

function readQuery(c: Context): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
}

/**
 * Validates the JSON body (an empty body counts as `{}`), the query string or
 * the path parameters with `schema`; answers 400 naming the field when it does not fit.
 */
export function validate<T extends Target, S extends z.ZodType, E extends Env = Env, P extends string = string>(
  target: T,
  schema: S,
): MiddlewareHandler<E, P, { in: { [K in T]: z.input<S> }; out: { [K in T]: z.output<S> } }> {
  return async function validate(c, next) {
    let input: unknown;
    if (target === 'json') {
      const read = await readJson(c);
      if (!read.ok) return jsonError(c, 400, read.message);
      input = read.value;
    } else {
      input = target === 'query' ? readQuery(c) : c.req.param();
    }
    const result = await schema.safeParseAsync(input);
    if (!result.success) return jsonError(c, 400, issueMessage(result.error, target));
    c.req.addValidatedData(target, result.data as object);
    await next();
  };
}
