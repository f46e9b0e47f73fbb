/**
 * A fake of the admin API for the console's browser tests: the routes of
 * SPEC-9 section 8, kept in memory, with real decisions, undo and audit
 * entries, so that a test can tap through a whole flow. Every request is
 * recorded; `answer()` replaces a route's answer (errors, validation).
 */
import type { Alert, FeedSnapshot, Post } from '../../../../server/contract.js';
import type {
  AdminHealth,
  AuditEntry,
  DecisionAction,
  FeedSummary,
  OrganiserAccount,
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

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function apiError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return json({ error: { status, message } }, status, headers);
}

const iso = (ms: number) => new Date(ms).toISOString();

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
  health: AdminHealth = { feeds: [] };
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
    if (path.startsWith('/api/feeds/')) return json(this.snapshot());
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
    if (method === 'GET' && rest === '/feeds') return json(this.feeds);
    if (method === 'GET' && rest === '/health') return json(this.health);
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
      return json({ items: items.filter((item) => wanted.includes(item.visibility)) });
    }
    if (method === 'GET' && rest === '/audit') return json({ entries: [...this.audit].reverse() });
    const decision = /^\/posts\/([^/]+)\/decision$/.exec(rest);
    if (method === 'POST' && decision) {
      const item = items.find((i) => i.post.id === decodeURIComponent(decision[1]!));
      if (!item) return apiError(404, 'unknown post');
      return json(this.decide(feedId, item, body.action as DecisionAction));
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
      return json({ item, auditId });
    }
    if (method === 'POST' && rest === '/announcements') return json(this.announce(feedId, body), 201);
    if (method === 'POST' && rest === '/alert') {
      this.alert = { id: `a${this.nextAuditId}`, text: String(body.text), createdAt: iso(NOW), lang: 'fr' };
      if (typeof body.expiresAt === 'string') this.alert.expiresAt = body.expiresAt;
      this.log('alert.raise', null, `Alerte déclenchée : ${this.alert.text}`, false);
      return json(this.alert, 201);
    }
    if (method === 'DELETE' && rest === '/alert') {
      this.alert = null;
      return new Response(null, { status: 204 });
    }
    if (method === 'PUT' && rest === '') {
      const summary = this.feeds.find((f) => f.settings.id === feedId);
      if (summary) summary.settings = body as unknown as FeedSummary['settings'];
      return json(summary);
    }
    return apiError(404, `no route ${method} ${request.path}`);
  }

  /** The state each audit entry changed, to undo it. */
  private readonly before = new Map<number, Partial<QueueItem>>();

  private decide(feedId: string, item: QueueItem, action: DecisionAction) {
    const before = { visibility: item.visibility, decision: item.decision, post: item.post };
    const by = this.session!.username;
    if (action === 'approve') Object.assign(item, { visibility: 'shown', decision: 'approved' });
    if (action === 'hide') Object.assign(item, { visibility: 'hidden', decision: 'hidden' });
    if (action === 'unhide') Object.assign(item, { visibility: 'shown', decision: null });
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

  private snapshot(): FeedSnapshot {
    return {
      feed: { id: 'saint-etienne', title: 'Fête du livre', hashtags: [], accounts: [] },
      posts: [],
      updatedAt: iso(NOW),
      stale: false,
      alert: this.alert,
      revision: 1,
    };
  }
}
