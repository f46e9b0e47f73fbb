/**
 * The console's client of the admin API. Every request sends
 * `content-type: application/json` (the server's cross-site check needs it;
 * the browser adds `Origin`) and the session cookie (same origin). A 401 on a
 * signed-in route sends the console back to sign-in; a network failure of a
 * request that is safe to repeat is retried with backoff and jitter.
 */
import { backoffMs } from '../../server/pacing/backoff.js';
import type { FeedEnvironment } from '../feed-connection.js';
import type {
  AccountChanges,
  AdminHealth,
  Alert,
  AlertAnswer,
  AlertInput,
  AnnouncementAnswer,
  AnnouncementInput,
  AnnouncementsAnswer,
  AuditAnswer,
  AuditEntry,
  DecisionAction,
  DecisionResult,
  FeedAnswer,
  FeedSettings,
  FeedsAnswer,
  FeedState,
  FeedSummary,
  NewAccount,
  OrganiserAccount,
  Post,
  QueueAnswer,
  QueueItem,
  SetupStatus,
  SignedInUser,
  Visibility,
} from './api-types.js';

/** What the console needs from the browser: the widget's own environment (fetch, EventSource, clock, timers). */
export type ConsoleEnvironment = FeedEnvironment;

/** The admin API's root, on the console's own origin. */
export const ADMIN_API = '/api/admin';

/** Waits between tries after a network failure: 1 s doubling up to 15 s, with jitter. */
const NETWORK_BACKOFF = { baseMs: 1_000, capMs: 15_000 };
/** Tries of a repeatable request before the failure is shown with a button to try again. */
const NETWORK_ATTEMPTS = 4;

/** A failed request: `status` 0 when the server could not be reached. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    /** Seconds the server asked to wait (429 `Retry-After`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** True when the server was not reached at all. */
  get network(): boolean {
    return this.status === 0;
  }

  /**
   * The field a 400 names (`moderation.blockedTerms[3]`, `password`): the
   * server answers `"<field>: <reason>"`, the field named as the body's path.
   */
  get field(): string | undefined {
    if (this.status !== 400) return undefined;
    const match = /^([A-Za-z_][\w.[\]]*): /.exec(this.message);
    return match?.[1];
  }

  /** The reason, without the field's name. */
  get reason(): string {
    const field = this.field;
    return field ? this.message.slice(field.length + 2) : this.message;
  }
}

export interface ConsoleApiHooks {
  /** A signed-in route answered 401: the session ended. */
  onUnauthorized(): void;
  /** The server could not be reached; the request is tried again after `delayMs`. */
  onRetry?(attempt: number, delayMs: number): void;
  /** A request that had to be retried went through. */
  onRecovered?(): void;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** False for sign-in and setup, whose 401/403 say something else than "session ended". */
  signedIn?: boolean;
  /** Whether a network failure may be retried by itself (default: GET, and requests that set a state). */
  repeatable?: boolean;
}

function queueQuery(filter: { visibility?: Visibility[]; before?: string; limit?: number }): string {
  const params = new URLSearchParams();
  if (filter.visibility?.length) params.set('visibility', filter.visibility.join(','));
  if (filter.before) params.set('before', filter.before);
  if (filter.limit) params.set('limit', String(filter.limit));
  const query = params.toString();
  return query ? `?${query}` : '';
}

const feedPath = (feedId: string) => `/feeds/${encodeURIComponent(feedId)}`;

/** The admin API, one method per route. */
export class ConsoleApi {
  private readonly environment: () => ConsoleEnvironment;
  private readonly hooks: ConsoleApiHooks;

  constructor(environment: () => ConsoleEnvironment, hooks: ConsoleApiHooks) {
    this.environment = environment;
    this.hooks = hooks;
  }

  // --- session and accounts ---------------------------------------------------

  async session(): Promise<SignedInUser> {
    return (await this.request<{ user: SignedInUser }>('/session')).user;
  }

  async login(username: string, password: string): Promise<SignedInUser> {
    const body = { username, password };
    return (await this.request<{ user: SignedInUser }>('/login', { method: 'POST', body, signedIn: false })).user;
  }

  async logout(): Promise<void> {
    await this.request('/logout', { method: 'POST', signedIn: false, repeatable: true });
  }

  setupStatus(): Promise<SetupStatus> {
    return this.request<SetupStatus>('/setup', { signedIn: false });
  }

  async setup(input: { token: string; username: string; displayName?: string; password: string }) {
    return (await this.request<{ user: SignedInUser }>('/setup', { method: 'POST', body: input, signedIn: false }))
      .user;
  }

  async users(): Promise<OrganiserAccount[]> {
    return (await this.request<{ users: OrganiserAccount[] }>('/users')).users;
  }

  async addUser(account: NewAccount): Promise<OrganiserAccount> {
    return (await this.request<{ user: OrganiserAccount }>('/users', { method: 'POST', body: account })).user;
  }

  async changeUser(username: string, changes: AccountChanges): Promise<OrganiserAccount> {
    const path = `/users/${encodeURIComponent(username)}`;
    const repeatable = changes.password === undefined;
    return (await this.request<{ user: OrganiserAccount }>(path, { method: 'PATCH', body: changes, repeatable })).user;
  }

  // --- feeds ------------------------------------------------------------------

  async feeds(): Promise<FeedSummary[]> {
    return (await this.request<FeedsAnswer>('/feeds')).feeds;
  }

  async createFeed(settings: FeedSettings): Promise<FeedSummary> {
    return (await this.request<FeedAnswer>('/feeds', { method: 'POST', body: settings })).feed;
  }

  async updateFeed(feedId: string, settings: FeedSettings): Promise<FeedSummary> {
    return (await this.request<FeedAnswer>(feedPath(feedId), { method: 'PUT', body: settings, repeatable: true })).feed;
  }

  async setFeedState(feedId: string, state: FeedState): Promise<FeedSummary> {
    const path = `${feedPath(feedId)}/state`;
    return (await this.request<FeedAnswer>(path, { method: 'POST', body: { state }, repeatable: true })).feed;
  }

  // --- moderation -------------------------------------------------------------

  async queue(
    feedId: string,
    filter: { visibility?: Visibility[]; before?: string; limit?: number } = {},
  ): Promise<QueueItem[]> {
    return (await this.request<QueueAnswer>(`${feedPath(feedId)}/queue${queueQuery(filter)}`)).items;
  }

  decide(feedId: string, postId: string, action: DecisionAction, reason?: string): Promise<DecisionResult> {
    const path = `${feedPath(feedId)}/posts/${encodeURIComponent(postId)}/decision`;
    const body = reason ? { action, reason } : { action };
    return this.request<DecisionResult>(path, { method: 'POST', body, repeatable: true });
  }

  undo(feedId: string, auditId: number): Promise<DecisionResult> {
    return this.request<DecisionResult>(`${feedPath(feedId)}/audit/${auditId}/undo`, { method: 'POST' });
  }

  async audit(feedId: string, options: { before?: number; limit?: number } = {}): Promise<AuditEntry[]> {
    const params = new URLSearchParams();
    if (options.before !== undefined) params.set('before', String(options.before));
    if (options.limit !== undefined) params.set('limit', String(options.limit));
    const query = params.toString() ? `?${params}` : '';
    return (await this.request<AuditAnswer>(`${feedPath(feedId)}/audit${query}`)).entries;
  }

  // --- announcements and alerts -------------------------------------------------

  /** The feed's announcements on display, pinned first. */
  async announcements(feedId: string): Promise<Post[]> {
    return (await this.request<AnnouncementsAnswer>(`${feedPath(feedId)}/announcements`)).announcements;
  }

  async announce(feedId: string, input: AnnouncementInput): Promise<Post> {
    const path = `${feedPath(feedId)}/announcements`;
    return (await this.request<AnnouncementAnswer>(path, { method: 'POST', body: input })).announcement;
  }

  async editAnnouncement(feedId: string, postId: string, input: AnnouncementInput): Promise<Post> {
    const path = `${feedPath(feedId)}/announcements/${encodeURIComponent(postId)}`;
    return (await this.request<AnnouncementAnswer>(path, { method: 'PUT', body: input, repeatable: true }))
      .announcement;
  }

  async deleteAnnouncement(feedId: string, postId: string): Promise<void> {
    const path = `${feedPath(feedId)}/announcements/${encodeURIComponent(postId)}`;
    await this.request(path, { method: 'DELETE', repeatable: true });
  }

  /** The urgent alert in force, or null. */
  async currentAlert(feedId: string): Promise<Alert | null> {
    return (await this.request<AlertAnswer>(`${feedPath(feedId)}/alert`)).alert;
  }

  async raiseAlert(feedId: string, input: AlertInput): Promise<Alert | null> {
    return (await this.request<AlertAnswer>(`${feedPath(feedId)}/alert`, { method: 'POST', body: input })).alert;
  }

  async withdrawAlert(feedId: string): Promise<void> {
    await this.request(`${feedPath(feedId)}/alert`, { method: 'DELETE', repeatable: true });
  }

  health(): Promise<AdminHealth> {
    return this.request<AdminHealth>('/health');
  }

  /** The URL of the feed's organisers' stream (Server-Sent Events, same-origin cookie). */
  eventsUrl(feedId: string): string {
    return `${ADMIN_API}${feedPath(feedId)}/events`;
  }

  // --- plumbing -------------------------------------------------------------------

  private async request<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
    const method = options.method ?? 'GET';
    const repeatable = options.repeatable ?? method === 'GET';
    const url = `${ADMIN_API}${path}`;
    const init: RequestInit = {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    };
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.environment().fetch(url, init);
      } catch {
        if (!repeatable || attempt >= NETWORK_ATTEMPTS) {
          if (attempt > 1) this.hooks.onRecovered?.();
          throw new ApiError(0, 'network');
        }
        const delay = backoffMs(attempt, NETWORK_BACKOFF, () => this.environment().random());
        this.hooks.onRetry?.(attempt, delay);
        await new Promise<void>((resume) => this.environment().setTimeout(resume, delay));
        continue;
      }
      if (attempt > 1) this.hooks.onRecovered?.();
      return this.read<T>(response, options.signedIn ?? true);
    }
  }

  private async read<T>(response: Response, signedIn: boolean): Promise<T> {
    if (response.ok) {
      if (response.status === 204) return undefined as T;
      const text = await response.text();
      try {
        return (text ? JSON.parse(text) : undefined) as T;
      } catch {
        throw new ApiError(response.status, 'unreadable answer');
      }
    }
    let message = response.statusText;
    try {
      const body = (await response.json()) as { error?: { message?: unknown } };
      if (typeof body.error?.message === 'string') message = body.error.message;
    } catch {
      // Not our JSON error (a proxy's page): the status says enough.
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    const error = new ApiError(
      response.status,
      message,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
    if (response.status === 401 && signedIn) this.hooks.onUnauthorized();
    throw error;
  }
}
