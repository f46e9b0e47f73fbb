/**
 * The console's test bench: a fake admin API with a feed of Saint-Étienne's
 * 14 July, organisers of both roles, a fake event stream and a fake clock.
 */
import { fixture, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import type { Post } from '../../../../server/contract.js';
import { ConsoleApi } from '../../../../widget/console/api.js';
import type { ConsoleEnvironment } from '../../../../widget/console/api.js';
import type { FeedSettings, FeedSummary, QueueItem, SourceHealth } from '../../../../widget/console/api-types.js';
import { CommuneConsole } from '../../../../widget/console/commune-console.js';
import '../../../../widget/console/define.js';
import { browserEnvironment } from '../../../../widget/feed-connection.js';
import { FakeEventSource, FakeTimers } from '../../helpers/fakes.js';
import { NOW, fireworks, makePost } from '../../helpers/fixture-feed.js';
import { FakeAdminApi } from './fake-admin-api.js';

export { NOW };

export const PASSWORD = 'mot de passe de test';

export function feedSettings(overrides: Partial<FeedSettings> = {}): FeedSettings {
  return {
    id: 'saint-etienne',
    title: 'Fête du livre',
    lang: 'fr',
    state: 'active',
    hashtags: ['FeteDuLivre'],
    sources: [{ network: 'x', accounts: ['saint_etienne_'] }],
    display: { languages: [], reposts: true, replies: false },
    moderation: {
      mode: 'post',
      trustedAccounts: ['saint_etienne_'],
      blockedAccounts: [],
      blockedTerms: ['abruti'],
      sensitiveMedia: 'blur',
      minAccountAgeDays: null,
    },
    organiserName: 'Mairie de Saint-Étienne',
    ...overrides,
  };
}

export function feedSummary(overrides: Partial<FeedSummary> = {}): FeedSummary {
  return {
    settings: feedSettings(),
    origin: 'file',
    updatedAt: new Date(NOW - 3 * 3_600_000).toISOString(),
    updatedBy: 'config-file',
    fileAppliedAt: null,
    health: { stale: false, updatedAt: new Date(NOW - 60_000).toISOString() },
    counts: { shown: 2, held: 1, hidden: 0 },
    ...overrides,
  };
}

/** One source of the feed as `GET /api/admin/health` reports it: fresh, never failed, not billed. */
export function sourceHealth(overrides: Partial<SourceHealth> = {}): SourceHealth {
  return {
    feed: 'saint-etienne',
    source: 'demo',
    state: 'active',
    stale: false,
    lastSuccessAt: new Date(NOW).toISOString(),
    lastError: null,
    consecutiveFailures: 0,
    nextPollAt: null,
    viewers: 0,
    monthReads: null,
    ...overrides,
  };
}

export function queueItem(post: Post, overrides: Partial<QueueItem> = {}): QueueItem {
  return {
    post,
    visibility: 'shown',
    reason: null,
    decision: null,
    decidedBy: null,
    decidedAt: null,
    storedAt: post.createdAt,
    ...overrides,
  };
}

/** A held post from a young account, a shown one, and an older shown one. */
export function sampleQueue(): QueueItem[] {
  return [
    queueItem(fireworks),
    queueItem(makePost('2001', '2026-07-14T12:30:00Z', 'Premier message de ce compte'), {
      visibility: 'held',
      reason: 'young-account',
    }),
    queueItem(makePost('2000', '2026-07-14T11:00:00Z', 'Le défilé commence')),
  ];
}

export interface ConsoleBench {
  api: FakeAdminApi;
  timers: FakeTimers;
  environment: ConsoleEnvironment;
  /** A client of the fake API, as screens get it from <commune-console>. */
  client: ConsoleApi;
  unauthorized: number;
}

/** Installs a fresh fake API, stream and clock before each test; puts the browser back after. */
export function useConsoleBench(): ConsoleBench {
  const bench = {} as ConsoleBench;
  beforeEach(() => {
    FakeEventSource.reset();
    history.replaceState(null, '', location.pathname + location.search);
    localStorage.clear();
    document.documentElement.lang = 'fr';
    const api = new FakeAdminApi();
    api.users = [
      {
        username: 'marie',
        displayName: 'Marie Dupont',
        role: 'admin',
        createdAt: '2026-07-01T08:00:00Z',
        disabledAt: null,
      },
      {
        username: 'paul',
        displayName: 'Paul Martin',
        role: 'moderator',
        createdAt: '2026-07-02T08:00:00Z',
        disabledAt: null,
      },
    ];
    api.passwords.set('marie', PASSWORD).set('paul', PASSWORD);
    api.feeds = [feedSummary()];
    api.queues.set('saint-etienne', sampleQueue());
    bench.api = api;
    bench.timers = new FakeTimers(NOW);
    bench.environment = {
      fetch: api.fetch,
      EventSource: FakeEventSource,
      now: () => bench.timers.now,
      setTimeout: bench.timers.setTimeout,
      clearTimeout: bench.timers.clearTimeout,
      random: () => 0.5,
      isOnline: () => true,
    };
    bench.unauthorized = 0;
    bench.client = new ConsoleApi(() => bench.environment, { onUnauthorized: () => bench.unauthorized++ });
    CommuneConsole.environment = bench.environment;
  });
  afterEach(() => {
    CommuneConsole.environment = browserEnvironment;
    document.documentElement.lang = 'fr';
    history.replaceState(null, '', location.pathname + location.search);
  });
  return bench;
}

/** Signs `username` in on the fake API (as a cookie would carry it). */
export function signIn(bench: ConsoleBench, username = 'marie'): void {
  const user = bench.api.users.find((u) => u.username === username)!;
  bench.api.session = { username: user.username, displayName: user.displayName, role: user.role };
}

export function shadowOf(element: Element): ShadowRoot {
  if (!element.shadowRoot) throw new Error(`${element.localName} has no shadow root`);
  return element.shadowRoot;
}

/** The element `selector` names inside `host`'s shadow root, waited for. */
export async function inside<T extends Element = HTMLElement>(host: Element, selector: string): Promise<T> {
  await waitUntil(() => shadowOf(host).querySelector(selector), `${selector} in <${host.localName}>`);
  return shadowOf(host).querySelector<T>(selector)!;
}

/** Renders <commune-console> and waits until it has left "starting". */
export async function renderConsole(): Promise<CommuneConsole> {
  const element = await fixture<CommuneConsole>('<commune-console></commune-console>' as unknown as TemplateResult);
  await waitUntil(() => !shadowOf(element).querySelector('[aria-busy="true"]'), 'the console starts');
  return element;
}

/** The focused element, inside shadow roots too. */
export function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Resolves after pending promise callbacks and one macrotask. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
