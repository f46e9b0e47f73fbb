/**
 * docs/admin-api.md lists every route of the admin API with the role it needs, so that the
 * reference cannot fall behind the code: the routes are read from the real app, the roles from the
 * route cases that the authentication matrix (test/server/http/admin/admin-api.test.ts) enforces.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { adminServices } from '../helpers/admin.js';
import { routeCases } from '../server/http/admin/route-cases.js';

const ADMIN = '/api/admin';
const doc = readFileSync('docs/admin-api.md', 'utf8');

/** The rows of the doc's route table: `| \`GET /feeds\` | any organiser | \`200\` |`. */
const documented = new Map(
  [...doc.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) ([^`]+)` \| ([^|]+?) \|/gm)].map((m) => [
    `${m[1]} ${m[2]}`,
    m[3]!,
  ]),
);

let services: ReturnType<typeof adminServices> | undefined;
afterEach(() => services?.close());

/** Every route the admin API answers, as `METHOD /path` under `/api/admin` (Hono's own list, middleware left out). */
function codeRoutes(): string[] {
  services = adminServices();
  const routes = services.app.routes
    .filter((r) => r.path.startsWith(`${ADMIN}/`) && r.method !== 'ALL')
    .map((r) => `${r.method} ${r.path.slice(ADMIN.length)}`);
  return [...new Set(routes)].sort();
}

describe('the admin API reference', () => {
  it('finds the routes of the code and the rows of the doc', () => {
    const routes = codeRoutes();
    expect(routes).toEqual(expect.arrayContaining(['POST /login', 'GET /feeds/:id/queue', 'GET /media/:host/*']));
    expect(documented.get('POST /feeds')).toBe('admin');
  });

  it('lists every route of the code, and no route the code does not have', () => {
    expect([...documented.keys()].sort()).toEqual(codeRoutes());
  });

  it('gives each route the role the server enforces', () => {
    const roles = new Map(
      routeCases(() => services!).map((c) => [
        c.route.replace('/<host>/…', '/:host/*'),
        c.role === 'admin' ? 'admin' : 'any organiser',
      ]),
    );
    for (const [route, role] of documented) expect([route, role]).toEqual([route, roles.get(route) ?? 'public']);
    // The public routes are those before the session check: sign-in and the first admin.
    expect([...documented].filter(([, role]) => role === 'public').map(([route]) => route)).toEqual([
      'POST /login',
      'GET /setup',
      'POST /setup',
    ]);
  });

  it('has a section for every route', () => {
    const missing = [...documented.keys()].filter((route) => !doc.includes(`### \`${route}\``));
    expect(missing).toEqual([]);
  });
});
