/**
 * Every route of the admin API behind the session, with the role it needs, the status of a
 * success, and a request that succeeds (preparing what it acts on). The authentication matrix and
 * the cross-site check run over this one list, so a route added to the API is added here.
 */
import type { Post } from '../../../../server/contract.js';
import { addOrganiser, adminServices, TEST_PASSWORD, type AdminRequestInit } from '../../../helpers/admin.js';
import { testFeed } from '../../../helpers/config.js';
import { testPost } from '../../../helpers/posts.js';
import type { ScriptedSource } from '../../../helpers/scripted-source.js';

export type Services = ReturnType<typeof adminServices>;

export interface RouteCase {
  route: string;
  role: 'any' | 'admin';
  success: number;
  /** The request, given a fresh number for what it creates. */
  request(n: number): Promise<AdminRequestInit & { path: string }>;
}

export const FEED = 'saint-etienne';
/** The image of the feed's held post, as the X source rewrites X's images. */
export const HELD_IMAGE = '/media/pbs.twimg.com/media/a.jpg?name=small';
const resident = { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: '', profileUrl: '' };
const camille = { username: 'camille', role: 'moderator' } as const;

/** A post of a resident (not a trusted account): held in `pre` mode. */
export function residentPost(n: number, overrides: Partial<Post> = {}): Post {
  return testPost(n, { author: resident, ...overrides });
}

/** Brings posts into the feed through its source, as a poll does. */
export async function poll(s: Services, posts: Post[]): Promise<void> {
  const engine = s.engines.get(FEED)!;
  (engine.source as ScriptedSource).posts(posts);
  await engine.pollNow();
}

/** The admin services on a `pre` feed, with a held post `p1` that shows HELD_IMAGE, fetched from `imageHost`. */
export async function matrixServices(imageHost: string): Promise<Services> {
  const s = adminServices({
    config: { feeds: [testFeed({ moderation: { mode: 'pre' } })] },
    deps: { mediaUpstream: () => imageHost },
  });
  const photo = { kind: 'photo' as const, url: HELD_IMAGE, previewUrl: HELD_IMAGE, alt: '', width: 1, height: 1 };
  await poll(s, [residentPost(1, { media: [photo] })]);
  return s;
}

export function routeCases(services: () => Services): RouteCase[] {
  const feed = (rest = '') => `feeds/${FEED}${rest}`;
  return [
    { route: 'GET /session', role: 'any', success: 200, request: async () => ({ path: 'session' }) },
    { route: 'POST /logout', role: 'any', success: 204, request: async () => ({ path: 'logout', method: 'POST' }) },
    { route: 'GET /users', role: 'admin', success: 200, request: async () => ({ path: 'users' }) },
    {
      route: 'POST /users',
      role: 'admin',
      success: 201,
      request: async (n) => ({
        path: 'users',
        body: { username: `new-${n}`, role: 'moderator', password: TEST_PASSWORD },
      }),
    },
    {
      route: 'PATCH /users/:username',
      role: 'admin',
      success: 200,
      request: async (n) => ({ path: 'users/mona', method: 'PATCH', body: { displayName: `Mona ${n}` } }),
    },
    {
      route: 'DELETE /users/:username',
      role: 'admin',
      success: 204,
      request: async (n) => {
        await addOrganiser(services().auth, 'moderator', `gone-${n}`);
        return { path: `users/gone-${n}`, method: 'DELETE' };
      },
    },
    { route: 'GET /feeds', role: 'any', success: 200, request: async () => ({ path: 'feeds' }) },
    {
      route: 'POST /feeds',
      role: 'admin',
      success: 201,
      request: async (n) => ({
        path: 'feeds',
        body: { id: `fete-${n}`, title: `Fête ${n}`, sources: [{ network: 'demo', accounts: [] }] },
      }),
    },
    {
      route: 'PUT /feeds/:id',
      role: 'admin',
      success: 200,
      request: async (n) => {
        const { settings } = services().registry.require(FEED);
        return { path: feed(), method: 'PUT', body: { ...settings, title: `Fête du livre ${n}` } };
      },
    },
    {
      route: 'POST /feeds/:id/state',
      role: 'admin',
      success: 200,
      request: async (n) => ({ path: feed('/state'), body: { state: n % 2 ? 'paused' : 'active' } }),
    },
    { route: 'GET /feeds/:id/queue', role: 'any', success: 200, request: async () => ({ path: feed('/queue') }) },
    {
      route: 'POST /feeds/:id/posts/:postId/decision',
      role: 'any',
      success: 200,
      request: async (n) => ({ path: feed('/posts/p1/decision'), body: { action: n % 2 ? 'pin' : 'unpin' } }),
    },
    {
      route: 'POST /feeds/:id/audit/:auditId/undo',
      role: 'any',
      success: 200,
      request: async (n) => {
        await poll(services(), [residentPost(1000 + n)]);
        const { auditId } = services().moderation.decide(FEED, `p${1000 + n}`, 'hide', camille);
        return { path: feed(`/audit/${auditId}/undo`), method: 'POST' };
      },
    },
    { route: 'GET /feeds/:id/audit', role: 'any', success: 200, request: async () => ({ path: feed('/audit') }) },
    { route: 'GET /feeds/:id/stats', role: 'any', success: 200, request: async () => ({ path: feed('/stats') }) },
    {
      route: 'GET /feeds/:id/announcements',
      role: 'any',
      success: 200,
      request: async () => ({ path: feed('/announcements') }),
    },
    {
      route: 'POST /feeds/:id/announcements',
      role: 'any',
      success: 201,
      request: async (n) => ({ path: feed('/announcements'), body: { html: `<p>Annonce ${n}</p>`, pinned: true } }),
    },
    {
      route: 'PUT /feeds/:id/announcements/:postId',
      role: 'any',
      success: 200,
      request: async (n) => {
        const { id } = services().moderation.announce(FEED, { html: '<p>Avant</p>', pinned: false }, camille);
        return { path: feed(`/announcements/${id}`), method: 'PUT', body: { html: `<p>Après ${n}</p>`, pinned: true } };
      },
    },
    {
      route: 'DELETE /feeds/:id/announcements/:postId',
      role: 'any',
      success: 204,
      request: async () => {
        const { id } = services().moderation.announce(FEED, { html: '<p>À retirer</p>', pinned: false }, camille);
        return { path: feed(`/announcements/${id}`), method: 'DELETE' };
      },
    },
    { route: 'GET /feeds/:id/alert', role: 'any', success: 200, request: async () => ({ path: feed('/alert') }) },
    {
      route: 'POST /feeds/:id/alert',
      role: 'any',
      success: 201,
      request: async (n) => ({ path: feed('/alert'), body: { text: `Orage ${n} : le site est évacué` } }),
    },
    {
      route: 'DELETE /feeds/:id/alert',
      role: 'any',
      success: 204,
      request: async () => ({ path: feed('/alert'), method: 'DELETE' }),
    },
    // `app.request()` gives the route no Node response to stream to: past the session check, it says so (501).
    // The stream itself is tested over a socket (stream-routes.test.ts).
    { route: 'GET /feeds/:id/events', role: 'any', success: 501, request: async () => ({ path: feed('/events') }) },
    { route: 'GET /health', role: 'any', success: 200, request: async () => ({ path: 'health' }) },
    {
      route: 'GET /media/<host>/…',
      role: 'any',
      success: 200,
      request: async () => ({ path: `/api/admin${HELD_IMAGE}` }),
    },
  ];
}
