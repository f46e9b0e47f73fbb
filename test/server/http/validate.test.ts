import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { z } from 'zod';
import { validate } from '../../../server/http/validate.js';

const body = z
  .object({
    title: z.string({ error: 'is required' }).min(1, 'must not be empty'),
    sources: z.array(z.object({ accounts: z.array(z.string().max(15, 'must be at most 15 characters')) }).strict()),
  })
  .strict();
const query = z.object({ limit: z.coerce.number().int().min(1, 'must be at least 1').max(100).default(50) }).strict();

function app() {
  const app = new Hono();
  app.post('/things', validate('json', body), (c) => c.json({ got: c.req.valid('json') }));
  app.get('/things', validate('query', query), (c) => c.json({ got: c.req.valid('query') }));
  return app;
}

async function post(json: string) {
  const res = await app().request('/things', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: json,
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

describe('validate()', () => {
  it('hands the parsed body to the route', async () => {
    expect(await post(JSON.stringify({ title: 'Fête', sources: [{ accounts: ['ville'] }] }))).toEqual({
      status: 200,
      body: { got: { title: 'Fête', sources: [{ accounts: ['ville'] }] } },
    });
  });

  it.each([
    [{ sources: [] }, 'title: is required'],
    [{ title: '', sources: [] }, 'title: must not be empty'],
    [
      { title: 'Fête', sources: [{ accounts: ['ville', 'x'.repeat(16)] }] },
      'sources[0].accounts[1]: must be at most 15 characters',
    ],
    [{ title: 'Fête', sources: [], colour: 'red' }, 'colour: is not a known field'],
    [{ title: 'Fête', sources: [{ accounts: [], network: 'x' }] }, 'sources[0].network: is not a known field'],
  ])('answers 400 naming the field of %j', async (input, message) => {
    expect(await post(JSON.stringify(input))).toEqual({ status: 400, body: { error: { status: 400, message } } });
  });

  it('answers 400 to a body that is not JSON, or not an object', async () => {
    expect(await post('{"title": ')).toEqual({
      status: 400,
      body: { error: { status: 400, message: 'body: must be valid JSON' } },
    });
    const array = await post('[]');
    expect(array.status).toBe(400);
    expect((array.body as { error: { message: string } }).error.message).toMatch(/^body: /);
  });

  it('validates the query string the same way', async () => {
    const ok = await app().request('/things?limit=20');
    expect(await ok.json()).toEqual({ got: { limit: 20 } });
    const bad = await app().request('/things?limit=0');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { status: 400, message: 'limit: must be at least 1' } });
    const unknown = await app().request('/things?page=2');
    expect(await unknown.json()).toEqual({ error: { status: 400, message: 'page: is not a known field' } });
  });
});
