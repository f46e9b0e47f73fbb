/**
 * Figures of a feed for its organisers and its archive, computed from the stored posts, never
 * from visitors: posts per hour, top hashtags and accounts, the share of posts held or hidden (by
 * the organisers, by the rules), counts per network.
 *
 * Pure functions over rows, and one reader of the store (`feedStats`). Posts deleted by retention are counted on in a tally (`FiguresTally`),
 * so that the figures of an archive do not change when its held and hidden posts are deleted; posts
 * deleted on their network (compliance) leave the figures with the post. Top hashtags and accounts
 * come from the posts shown now only: a hidden troll never makes the public list.
 */
import type { FeedSettings } from '../feeds/settings.js';
import type { Store } from '../store/store.js';
import { foldText } from './text-match.js';
import type { FeedStats, StatsRow, Visibility } from './types.js';

const HOUR_MS = 3_600_000;
/** Entries of each top list. */
export const TOP_SIZE = 10;
/** Hours of `postsPerHour` at most (31 days): a longer range keeps its last hours. */
export const MAX_HOURS = 31 * 24;

/** What the figures keep of posts that retention deleted. JSON, stored with the feed. */
export interface FiguresTally {
  posts: Record<Visibility, number>;
  hiddenByOrganisers: number;
  approvedByOrganisers: number;
  announcements: number;
  /** Per network: posts, and those shown. */
  networks: Record<string, { total: number; shown: number }>;
  /** Posts that matched the feed (shown, held or hidden) per hour start (ms, as a string key). */
  hours: Record<string, number>;
  /** Creation times of the first and last of those posts (ms). */
  firstMs: number | null;
  lastMs: number | null;
}

export function emptyTally(): FiguresTally {
  return {
    posts: { shown: 0, held: 0, hidden: 0, filtered: 0 },
    hiddenByOrganisers: 0,
    approvedByOrganisers: 0,
    announcements: 0,
    networks: {},
    hours: {},
    firstMs: null,
    lastMs: null,
  };
}

const min = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Adds `rows` to `into` (in place) and returns it. */
export function tally(rows: Iterable<StatsRow>, into: FiguresTally = emptyTally()): FiguresTally {
  for (const row of rows) {
    if (row.post.source === 'organisers') {
      into.announcements++;
      continue;
    }
    into.posts[row.visibility]++;
    if (row.visibility === 'hidden' && row.decision === 'hidden') into.hiddenByOrganisers++;
    if (row.visibility === 'shown' && row.decision === 'approved') into.approvedByOrganisers++;
    const network = (into.networks[row.post.source] ??= { total: 0, shown: 0 });
    network.total++;
    if (row.visibility === 'shown') network.shown++;
    if (row.visibility === 'filtered') continue;
    const at = Date.parse(row.post.createdAt);
    if (Number.isNaN(at)) continue;
    const hour = String(Math.floor(at / HOUR_MS) * HOUR_MS);
    into.hours[hour] = (into.hours[hour] ?? 0) + 1;
    into.firstMs = min(into.firstMs, at);
    into.lastMs = max(into.lastMs, at);
  }
  return into;
}

/** The sum of two tallies (a new object). */
export function addTallies(a: FiguresTally, b: FiguresTally): FiguresTally {
  const sum = structuredClone(a);
  for (const key of Object.keys(sum.posts) as Visibility[]) sum.posts[key] += b.posts[key] ?? 0;
  sum.hiddenByOrganisers += b.hiddenByOrganisers;
  sum.approvedByOrganisers += b.approvedByOrganisers;
  sum.announcements += b.announcements;
  for (const [network, counts] of Object.entries(b.networks)) {
    const into = (sum.networks[network] ??= { total: 0, shown: 0 });
    into.total += counts.total;
    into.shown += counts.shown;
  }
  for (const [hour, count] of Object.entries(b.hours)) sum.hours[hour] = (sum.hours[hour] ?? 0) + count;
  sum.firstMs = min(sum.firstMs, b.firstMs);
  sum.lastMs = max(sum.lastMs, b.lastMs);
  return sum;
}

/** A tally read back from storage, or an empty one when it cannot be read. */
export function readTally(value: unknown): FiguresTally {
  const base = emptyTally();
  if (!value || typeof value !== 'object') return base;
  const v = value as Partial<FiguresTally>;
  const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);
  for (const key of Object.keys(base.posts) as Visibility[]) base.posts[key] = count(v.posts?.[key]);
  base.hiddenByOrganisers = count(v.hiddenByOrganisers);
  base.approvedByOrganisers = count(v.approvedByOrganisers);
  base.announcements = count(v.announcements);
  for (const [network, c] of Object.entries(v.networks ?? {}))
    base.networks[network] = { total: count(c?.total), shown: count(c?.shown) };
  for (const [hour, c] of Object.entries(v.hours ?? {})) if (/^\d+$/.test(hour)) base.hours[hour] = count(c);
  const time = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : null);
  base.firstMs = time(v.firstMs);
  base.lastMs = time(v.lastMs);
  return base;
}

type Ranked<T> = { value: T; key: string; count: number };

/** Most counted first; ties by key, so the same posts always give the same list. */
function top<T>(counts: Map<string, Ranked<T>>): Ranked<T>[] {
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, TOP_SIZE);
}

function count<T>(counts: Map<string, Ranked<T>>, key: string, value: T): void {
  const entry = counts.get(key);
  if (entry) entry.count++;
  else counts.set(key, { value, key, count: 1 });
}

/** Top hashtags and accounts of the posts shown now. */
function tops(rows: readonly StatsRow[]) {
  const tags = new Map<string, Ranked<string>>();
  const accounts = new Map<string, Ranked<{ network: string; handle: string; name: string; profileUrl: string }>>();
  for (const { post, visibility } of rows) {
    if (visibility !== 'shown' || post.source === 'organisers') continue;
    for (const tag of new Set(post.entities.hashtags.map((h) => h.tag))) count(tags, foldText(tag), tag);
    if (post.author.handle)
      count(accounts, `${post.source}:${post.author.handle.toLowerCase()}`, {
        network: post.source,
        handle: post.author.handle,
        name: post.author.name,
        profileUrl: post.author.profileUrl,
      });
  }
  return {
    topHashtags: top(tags).map(({ value, count }) => ({ tag: value, count })),
    topAccounts: top(accounts).map(({ value, count }) => ({ ...value, count })),
  };
}

/** The hours the figures cover: the event window (up to now) when there is one, else the posts' span. */
function hourRange(
  hours: number[],
  window: { start: string; end: string } | undefined,
  nowMs: number,
): FeedStats['range'] {
  const floor = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
  let start: number;
  let end: number;
  let basis: 'event-window' | 'posts';
  const windowStart = window ? Date.parse(window.start) : NaN;
  const windowEnd = window ? Math.min(Date.parse(window.end), nowMs) : NaN;
  if (!Number.isNaN(windowStart) && !Number.isNaN(windowEnd) && windowEnd > windowStart) {
    start = floor(windowStart);
    // The hour in which the window ends is covered only if some of it lies inside the window.
    end = floor(windowEnd - 1);
    basis = 'event-window';
  } else if (hours.length > 0) {
    start = Math.min(...hours);
    end = Math.max(...hours);
    basis = 'posts';
  } else {
    return null;
  }
  start = Math.max(start, end - (MAX_HOURS - 1) * HOUR_MS);
  return { start: new Date(start).toISOString(), end: new Date(end + HOUR_MS).toISOString(), basis };
}

export interface FiguresInput {
  feedId: string;
  /** The posts stored now, with where they stand. */
  rows: readonly StatsRow[];
  /** What the figures keep of posts deleted by retention. */
  carried?: FiguresTally | undefined;
  /** The feed's event window, if any. */
  eventWindow?: { start: string; end: string } | undefined;
  nowMs: number;
}

/** The figures of a feed. Pure. */
export function computeStats({ feedId, rows, carried, eventWindow, nowMs }: FiguresInput): FeedStats {
  const all = carried ? addTallies(carried, tally(rows)) : tally(rows);
  const { shown, held, hidden, filtered } = all.posts;
  const matched = shown + held + hidden;
  const share = (n: number) => (matched === 0 ? 0 : n / matched);
  const hourStarts = Object.keys(all.hours).map(Number);
  const range = hourRange(hourStarts, eventWindow, nowMs);
  const postsPerHour: FeedStats['postsPerHour'] = [];
  let outsideRange = 0;
  if (range) {
    const start = Date.parse(range.start);
    const end = Date.parse(range.end);
    for (let hour = start; hour < end; hour += HOUR_MS)
      postsPerHour.push({ hour: new Date(hour).toISOString(), count: all.hours[String(hour)] ?? 0 });
    for (const [hour, n] of Object.entries(all.hours))
      if (Number(hour) < start || Number(hour) >= end) outsideRange += n;
  }
  const peak = postsPerHour.reduce<FeedStats['peakHour']>((best, h) => (h.count > (best?.count ?? 0) ? h : best), null);
  return {
    feedId,
    computedAt: new Date(nowMs).toISOString(),
    posts: { total: matched + filtered, shown, held, hidden, filtered },
    moderation: {
      held,
      hiddenByOrganisers: all.hiddenByOrganisers,
      hiddenByRules: hidden - all.hiddenByOrganisers,
      approvedByOrganisers: all.approvedByOrganisers,
    },
    shares: {
      held: share(held),
      hiddenByOrganisers: share(all.hiddenByOrganisers),
      hiddenByRules: share(hidden - all.hiddenByOrganisers),
    },
    heldOrHiddenShare: share(held + hidden),
    announcements: all.announcements,
    networks: Object.entries(all.networks)
      .map(([network, c]) => ({ network, ...c }))
      .sort((a, b) => b.total - a.total || (a.network < b.network ? -1 : 1)),
    range,
    postsPerHour,
    outsideRange,
    peakHour: peak,
    ...tops(rows),
    firstPostAt: all.firstMs === null ? null : new Date(all.firstMs).toISOString(),
    lastPostAt: all.lastMs === null ? null : new Date(all.lastMs).toISOString(),
  };
}

/** Where a feed's tally of posts deleted by retention is kept (the store's key/value state). */
export function figuresState(store: Store, feedId: string) {
  const state = store.sourceState(`${feedId}:figures`);
  return {
    retained: (): FiguresTally => readTally(state.get('retained')),
    retain: (rows: Iterable<StatsRow>) => state.set('retained', tally(rows, readTally(state.get('retained')))),
  };
}

/** The figures of a feed from what the store holds now. */
export function feedStats(store: Store, settings: FeedSettings, nowMs: number): FeedStats {
  return computeStats({
    feedId: settings.id,
    rows: [...store.posts.scan(settings.id)],
    carried: figuresState(store, settings.id).retained(),
    eventWindow: settings.eventWindow,
    nowMs,
  });
}
