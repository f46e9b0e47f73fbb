/**
 * A fake of the admin API for the console's browser tests: the routes of
 * docs/admin-api.md, kept in memory, with real decisions, undo and audit
 * entries, so that a test can tap through a whole flow. Its answers are typed
 * with the server's own answer types (through the console's api-types.ts), so
 * the compiler holds the fake to what the server sends. Every request is
 * recorded; `answer()` replaces a route's answer (errors, validation).
 */
import type { Alert, Post } from '../../../../server/contract.js';
import type {
  AdminHealth,
  AlertAnswer,
  AnnouncementAnswer,
  AnnouncementsAnswer,
  AuditAnswer,
  AuditEntry,
  DecisionAction,
  DecisionResult,
  FeedAnswer,
  FeedsAnswer,
  FeedSummary,
  OrganiserAccount,
  QueueAnswer,
  QueueItem,
  SetupStatus,
  SignedInUser,
} from '../../../../widget/console/api-types.js';
import { NOW } from '../../helpers/fixture-feed.js';

export interface RecordedAdminRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

type Handler = (request: RecordedAdminRequest) => Response | Promise<Response>;

/** A JSON answer; `T` names the server's type of it, so that the fake cannot drift from the server. */
export function json<T = unknown>(body: T, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function apiError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return json({ error: { status, message } }, status, headers);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The organisers' health of a server with these sources and no X feed, as `GET /api/admin/health` answers. */
export function adminHealth(feeds: AdminHealth['feeds'] = [], x: AdminHealth['x'] = null): AdminHealth {
  const stale = feeds.some((f) => f.stale);
  return {
    status: stale ? 'degraded' : 'ok',
    view: 'operator',
    uptimeSeconds: 3_600,
    viewers: 0,
    droppedViewers: 0,
    store: { skippedRows: 0 },
    feeds,
    x,
  };
}

export class FakeAdminApi {
  /** Who the session cookie belongs to; null: no session. */
  session: SignedInUser | null = null;
  passwords = new Map<string, string>();
  users: OrganiserAccount[] = [];
  setupStatus: SetupStatus = { needsFirstAdmin: false, tokenConfigured: true };
  adminToken = 'jeton-de-test';
  feeds: FeedSummary[] = [];
  queues = new Map<string, QueueItem[]>();
  audit: AuditEntry[] = [];
  alert: Alert | null = null;
  health: AdminHealth = adminHealth();
  /** When true, every request fails like a network error. */
  offline = false;
  readonly requests: RecordedAdminRequest[] = [];
  private readonly overrides = new Map<string, Handler>();
  private nextAuditId = 1;

  /** Replaces the answer of `METHOD /path` (path without the query). */
  answer(route: string, handler: Handler): void {
    this.overrides.set(route, handler);
  }

  /** Requests to `METHOD /path`, oldest first. */
  requestsTo(route: string): RecordedAdminRequest[] {
    return this.requests.filter((request) => `${request.method} ${request.path}` === route);
  }

  fetch = async (input: string, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input, location.href);
    const text = typeof init.body === 'string' ? init.body : '';
    const request: RecordedAdminRequest = {
      method: init.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: new Headers(init.headers),
      body: text ? JSON.parse(text) : undefined,
    };
    this.requests.push(request);
    if (this.offline) throw new TypeError('Failed to fetch');
    const override = this.overrides.get(`${request.method} ${request.path}`);
    if (override) return override(request);
    return this.route(request);
  };

  private route(request: RecordedAdminRequest): Response {
    const { method, path } = request;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const rest = path.replace(/^\/api\/admin/, '');
    if (method === 'POST' && rest === '/login') {
      const user = this.users.find((u) => u.username === body.username);
      if (!user || this.passwords.get(user.username) !== body.password) {
        return apiError(401, "nom d'utilisateur ou mot de passe incorrect");
      }
      this.session = { username: user.username, displayName: user.displayName, role: user.role };
      return json({ user: this.session });
    }
    if (rest === '/setup') return method === 'GET' ? json(this.setupStatus) : this.setup(body);
    if (!this.session) return apiError(401, 'authentication required');
    if (method === 'GET' && rest === '/session') return json({ user: this.session });
    if (method === 'POST' && rest === '/logout') {
      this.session = null;
      return new Response(null, { status: 204 });
    }
    if (method === 'GET' && rest === '/feeds') return json<FeedsAnswer>({ feeds: this.feeds });
    if (method === 'POST' && rest === '/feeds') return this.createFeed(body);
    if (method === 'GET' && rest === '/health') return json<AdminHealth>(this.health);
    if (method === 'GET' && rest === '/users') return json({ users: this.users });
    const feed = /^\/feeds\/([^/]+)(\/.*)?$/.exec(rest);
    if (feed) return this.feedRoute(request, decodeURIComponent(feed[1]!), feed[2] ?? '');
    return apiError(404, `no route ${method} ${path}`);
  }

  private setup(body: Record<string, unknown>): Response {
    if (body.token !== this.adminToken) return apiError(403, "jeton d'administration incorrect");
    const user: OrganiserAccount = {
      username: String(body.username),
      displayName: String(body.displayName ?? body.username),
      role: 'admin',
      createdAt: iso(NOW),
      disabledAt: null,
    };
    this.users.push(user);
    this.setupStatus = { ...this.setupStatus, needsFirstAdmin: false };
    this.session = { username: user.username, displayName: user.displayName, role: 'admin' };
    return json({ user: this.session }, 201);
  }

  private feedRoute(request: RecordedAdminRequest, feedId: string, rest: string): Response {
    const { method } = request;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const items = this.queues.get(feedId) ?? [];
    if (method === 'GET' && rest === '/queue') {
      const wanted = (request.query.get('visibility') ?? 'held,shown,hidden,filtered').split(',');
      return json<QueueAnswer>({ items: items.filter((item) => wanted.includes(item.visibility)) });
    }
    if (method === 'GET' && rest === '/audit') return json<AuditAnswer>({ entries: [...this.audit].reverse() });
    const decision = /^\/posts\/([^/]+)\/decision$/.exec(rest);
    if (method === 'POST' && decision) {
      const item = items.find((i) => i.post.id === decodeURIComponent(decision[1]!));
      if (!item) return apiError(404, 'unknown post');
      return json<DecisionResult>(this.decide(feedId, item, body.action as DecisionAction));
    }
    const undo = /^\/audit\/(\d+)\/undo$/.exec(rest);
    if (method === 'POST' && undo) {
      const entry = this.audit.find((e) => e.id === Number(undo[1]));
      const item = items.find((i) => i.post.id === entry?.postId);
      if (!entry || !item || !entry.undoable) return apiError(409, 'cannot be undone');
      Object.assign(item, this.before.get(entry.id));
      const auditId = this.log('undo', item.post.id, `Annulé : ${entry.summary}`, false);
      entry.undoneBy = auditId;
      entry.undoable = false;
      return json<DecisionResult>({ item, auditId });
    }
    if (method === 'GET' && rest === '/announcements') {
      const announcements = items
        .filter((item) => item.post.source === 'organisers' && item.visibility === 'shown')
        .map((item) => item.post);
      return json<AnnouncementsAnswer>({ announcements });
    }
    if (method === 'POST' && rest === '/announcements') {
      return json<AnnouncementAnswer>({ announcement: this.announce(feedId, body) }, 201);
    }
    const announcement = /^\/announcements\/([^/]+)$/.exec(rest);
    const announced = announcement && items.find((i) => i.post.id === decodeURIComponent(announcement[1]!));
    if (announcement && !announced) return apiError(404, 'unknown announcement');
    if (method === 'PUT' && announced) {
      announced.post = { ...announced.post, html: String(body.html), text: String(body.html).replace(/<[^>]*>/g, '') };
      return json<AnnouncementAnswer>({ announcement: announced.post });
    }
    if (method === 'DELETE' && announced) {
      this.queues.set(
        feedId,
        items.filter((i) => i !== announced),
      );
      return new Response(null, { status: 204 });
    }
    if (method === 'GET' && rest === '/alert') return json<AlertAnswer>({ alert: this.alert });
    if (method === 'POST' && rest === '/alert') {
      this.alert = { id: `a${this.nextAuditId}`, text: String(body.text), createdAt: iso(NOW), lang: 'fr' };
      if (typeof body.expiresAt === 'string') this.alert.expiresAt = body.expiresAt;
      this.log('alert.raise', null, `Alerte déclenchée : ${this.alert.text}`, false);
      return json<AlertAnswer>({ alert: this.alert }, 201);
    }
    if (method === 'DELETE' && rest === '/alert') {
      this.alert = null;
      return new Response(null, { status: 204 });
    }
    const summary = this.feeds.find((f) => f.settings.id === feedId);
    if (method === 'PUT' && rest === '' && summary) {
      summary.settings = body as unknown as FeedSummary['settings'];
      Object.assign(summary, { origin: 'console', updatedAt: iso(NOW), updatedBy: this.session!.username });
      return json<FeedAnswer>({ feed: summary });
    }
    if (method === 'POST' && rest === '/state' && summary) {
      summary.settings = { ...summary.settings, state: body.state as FeedSummary['settings']['state'] };
      return json<FeedAnswer>({ feed: summary });
    }
    return apiError(404, `no route ${method} ${request.path}`);
  }

  private createFeed(body: Record<string, unknown>): Response {
    const feed: FeedSummary = {
      settings: body as unknown as FeedSummary['settings'],
      origin: 'console',
      updatedAt: iso(NOW),
      updatedBy: this.session!.username,
      fileAppliedAt: null,
      counts: { shown: 0, held: 0, hidden: 0 },
      health: { stale: false, updatedAt: iso(NOW) },
    };
    this.feeds.push(feed);
    return json<FeedAnswer>({ feed }, 201);
  }

  /** The state each audit entry changed, to undo it. */
  private readonly before = new Map<number, Partial<QueueItem>>();

  private decide(feedId: string, item: QueueItem, action: DecisionAction) {
    const before = { visibility: item.visibility, decision: item.decision, post: item.post };
    const by = this.session!.username;
    if (action === 'approve') Object.assign(item, { visibility: 'shown', decision: 'approved' });
    if (action === 'hide') Object.assign(item, { visibility: 'hidden', decision: 'hidden' });
    if (action === 'unhide') Object.assign(item, { visibility: 'shown', decision: 'approved' });
    if (action === 'pin') item.post = { ...item.post, pinnedAt: iso(NOW) };
    if (action === 'unpin') {
      const { pinnedAt: _pinned, ...post } = item.post;
      item.post = post;
    }
    Object.assign(item, { decidedBy: by, decidedAt: iso(NOW), reason: null });
    const auditId = this.log(action, item.post.id, `${action} ${item.post.id}`, true);
    this.before.set(auditId, before);
    this.queues.set(feedId, this.queues.get(feedId) ?? []);
    return { item, auditId };
  }

  private announce(feedId: string, body: Record<string, unknown>): Post {
    const post: Post = {
      id: `ann-${this.nextAuditId}`,
      source: 'organisers',
      url: '',
      createdAt: typeof body.at === 'string' ? body.at : iso(NOW),
      author: { name: 'Mairie', handle: '', avatarUrl: '', profileUrl: '' },
      text: String(body.html).replace(/<[^>]*>/g, ''),
      html: String(body.html),
      entities: { hashtags: [], mentions: [], links: [] },
      media: [],
      ...(body.pinned ? { pinnedAt: iso(NOW) } : {}),
    };
    const items = this.queues.get(feedId) ?? [];
    items.unshift({
      post,
      visibility: 'shown',
      reason: 'organiser',
      decision: null,
      decidedBy: null,
      decidedAt: null,
      storedAt: iso(NOW),
    });
    this.queues.set(feedId, items);
    this.log('announcement.create', post.id, 'Annonce publiée', false);
    return post;
  }

  private log(action: string, postId: string | null, summary: string, undoable: boolean): number {
    const id = this.nextAuditId++;
    const actor = this.session?.username ?? 'admin-token';
    this.audit.push({ id, at: iso(NOW), actor, action, postId, reason: null, summary, undoneBy: null, undoable });
    return id;
  }
}
