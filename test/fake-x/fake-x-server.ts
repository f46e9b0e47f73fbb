/**
 * A fake X API v2 over real HTTP (node:http on 127.0.0.1, port 0), scriptable per test.
 *
 * It answers the endpoints commune-feed reads, in X's documented shapes:
 * `GET /2/users/by/username/:u`, `/2/users/:id/tweets`, `/2/tweets/search/recent`
 * and `/2/tweets?ids=`, with rate-limit headers, pagination, field selection,
 * injectable faults, and a log of every call.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { XMedia, XTweet, XUser, XUrlEntity } from '../../server/sources/x/api-types.js';

export type FakeEndpoint = 'users/by/username' | 'users/tweets' | 'search/recent' | 'tweets';

export const FAKE_ENDPOINTS: FakeEndpoint[] = ['users/by/username', 'users/tweets', 'search/recent', 'tweets'];

export type FakeFault =
  | { kind: 'rate-limit'; resetInSeconds?: number }
  | { kind: 'usage-cap' }
  | { kind: 'unauthorized' }
  | { kind: 'forbidden' }
  | { kind: 'bad-request'; message?: string }
  | { kind: 'unavailable'; status?: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'partial-errors' }
  | { kind: 'empty' }
  | { kind: 'malformed' }
  /** A 200 whose body is not JSON at all (an HTML error page from a proxy). */
  | { kind: 'garbage' }
  /** The connection is cut before any answer (ECONNRESET). */
  | { kind: 'reset' }
  /** The real answer, one byte every `everyMs` milliseconds. */
  | { kind: 'drip'; everyMs: number }
  /** Headers and the start of a body, then nothing, the connection left open. */
  | { kind: 'stall' }
  /** A gateway that echoes the bearer token, lower- and upper-cased, in its error body (default status 401). */
  | { kind: 'echo-token'; status?: number };

export interface FakeCall {
  method: string;
  path: string;
  endpoint: FakeEndpoint | 'unknown';
  query: Record<string, string>;
  /** The fake's clock when the call arrived (ms). */
  at: number;
  status: number;
}

export interface FakeRateLimit {
  limit: number;
  remaining: number;
  /** Unix seconds. */
  reset: number;
}

export interface FakeXState {
  token: string;
  users: Map<string, XUser>;
  /** All posts, any order; answers sort newest first by id. */
  tweets: Map<string, XTweet>;
  media: Map<string, XMedia>;
  /** Ids X no longer serves (deleted posts). */
  deleted: Set<string>;
  /** Faults waiting per endpoint, consumed in order. */
  faults: Map<FakeEndpoint, { fault: FakeFault; times: number }[]>;
  rateLimits: Map<FakeEndpoint, FakeRateLimit>;
  /** Default limits per 15 minutes, per endpoint (app auth, 2026 documentation). */
  limits: Record<FakeEndpoint, number>;
  /** How far back search/recent reaches (7 days); older `since_id`/`start_time` are rejected as X does. */
  searchWindowMs: number;
}

export interface FakeX {
  baseUrl: string;
  state: FakeXState;
  calls: FakeCall[];
  /** Calls to one endpoint. */
  callsTo(endpoint: FakeEndpoint): FakeCall[];
  addUser(user: Partial<XUser> & { username: string }): XUser;
  addTweet(tweet: XTweet, media?: XMedia[]): XTweet;
  /** Make the next `times` calls to `endpoint` ('*' = every endpoint) fail or misbehave. */
  fault(endpoint: FakeEndpoint | '*', fault: FakeFault, times?: number): void;
  clearFaults(): void;
  /** Cuts every open connection (kept-alive ones included), as a restart of X's front end would. */
  dropConnections(): void;
  close(): Promise<void>;
}

export interface FakeXOptions {
  /** The bearer token the fake accepts (default "test-token"). */
  token?: string;
  /** The fake's clock in ms (default Date.now); rate-limit resets derive from it. */
  now?: () => number;
  limits?: Partial<Record<FakeEndpoint, number>>;
}

// ---------------------------------------------------------------------------
// Building X-shaped posts

/** X's snowflake epoch: ids carry their creation time in ms since then, shifted left by 22 bits. */
const SNOWFLAKE_EPOCH = 1288834974657;
/** Fake ids are minted one second apart from this instant on (tests' clocks start later that morning). */
let lastFakeMs = Date.parse('2026-10-10T07:00:00.000Z');

/** The snowflake id of a post created at `ms`. */
export function snowflakeAt(ms: number): string {
  return (BigInt(Math.floor(ms) - SNOWFLAKE_EPOCH) << 22n).toString();
}

/** When a snowflake id was minted (ms since the Unix epoch). */
export function snowflakeTime(id: string): number {
  return Number(BigInt(id) >> 22n) + SNOWFLAKE_EPOCH;
}

/** A fresh, increasing snowflake id (as a string), one second after the previous one. */
export function fakeId(): string {
  lastFakeMs += 1000;
  return snowflakeAt(lastFakeMs);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function fakeUser(input: Partial<XUser> & { username: string }): XUser {
  return {
    id: input.id ?? fakeId(),
    name: input.name ?? input.username,
    username: input.username,
    profile_image_url: input.profile_image_url ?? `https://pbs.twimg.com/profile_images/1/${input.username}_normal.jpg`,
    verified: input.verified ?? false,
    ...(input.protected !== undefined ? { protected: input.protected } : {}),
    ...(input.created_at !== undefined ? { created_at: input.created_at } : {}),
  };
}

export interface FakeLink {
  /** The t.co URL as it appears in the raw text. */
  url: string;
  expanded: string;
  display: string;
}

export interface FakeTweetInput {
  id?: string;
  author: XUser;
  /** The text as the author wrote it (unescaped); may contain t.co links listed in `links`. */
  text?: string;
  createdAt?: string;
  links?: FakeLink[];
  /** Photos / videos / GIFs attached (their media objects are returned by `fakeTweet` too). */
  media?: XMedia[];
  /** A repost of this post (text becomes "RT @user: ..." cut to 140 code points). */
  retweetOf?: { tweet: XTweet; author: XUser };
  quoteOf?: { tweet: XTweet; author: XUser; link?: string };
  replyTo?: XTweet;
  /** A long post: the full text (top-level `text` becomes its first 280 code points). */
  longText?: string;
  /** Earlier versions, oldest first (this post's id is appended as the newest). */
  editedFrom?: string[];
  lang?: string;
  sensitive?: boolean;
  withheld?: XTweet['withheld'];
}

/** Entities of an escaped text, offsets in code points, as X computes them. */
export function fakeEntities(escaped: string, links: FakeLink[] = [], mediaLinks: Map<string, string> = new Map()) {
  const points = Array.from(escaped);
  // Map UTF-16 index → code point index.
  const cpIndex: number[] = [];
  let cp = 0;
  for (let i = 0; i < escaped.length;) {
    cpIndex[i] = cp;
    const code = escaped.codePointAt(i)!;
    i += code > 0xffff ? 2 : 1;
    cp++;
  }
  cpIndex[escaped.length] = points.length;
  const at = (i: number) => cpIndex[i]!;
  const hashtags = [...escaped.matchAll(/(?<![\p{L}\p{N}_&])#([\p{L}\p{N}_]+)/gu)].map((m) => ({
    start: at(m.index),
    end: at(m.index + m[0].length),
    tag: m[1]!,
  }));
  const mentions = [...escaped.matchAll(/(?<![\p{L}\p{N}_])@([A-Za-z0-9_]{1,15})/gu)].map((m) => ({
    start: at(m.index),
    end: at(m.index + m[0].length),
    username: m[1]!,
  }));
  const urls: XUrlEntity[] = [...escaped.matchAll(/https:\/\/t\.co\/[A-Za-z0-9]+/g)].map((m) => {
    const link = links.find((l) => l.url === m[0]);
    const mediaKey = mediaLinks.get(m[0]);
    const entity: XUrlEntity = {
      start: at(m.index),
      end: at(m.index + m[0].length),
      url: m[0],
      expanded_url: link?.expanded ?? m[0],
      display_url: link?.display ?? m[0].replace('https://', ''),
    };
    if (mediaKey !== undefined) entity.media_key = mediaKey;
    return entity;
  });
  const entities: Record<string, unknown> = {};
  if (hashtags.length) entities.hashtags = hashtags;
  if (mentions.length) entities.mentions = mentions;
  if (urls.length) entities.urls = urls;
  return Object.keys(entities).length ? entities : undefined;
}

let tcoCounter = 0;
function fakeTco(): string {
  tcoCounter++;
  return `https://t.co/m${tcoCounter.toString(36).padStart(8, '0')}`;
}

export function fakePhoto(input: Partial<XMedia> = {}): XMedia {
  const key = input.media_key ?? `3_${fakeId()}`;
  return {
    media_key: key,
    type: 'photo',
    url: input.url ?? `https://pbs.twimg.com/media/${key}.jpg`,
    alt_text: input.alt_text,
    width: input.width ?? 1200,
    height: input.height ?? 800,
    ...input,
  };
}

export function fakeVideo(input: Partial<XMedia> = {}): XMedia {
  const key = input.media_key ?? `7_${fakeId()}`;
  return {
    media_key: key,
    type: 'video',
    preview_image_url: `https://pbs.twimg.com/ext_tw_video_thumb/${key}/pu/img/x.jpg`,
    width: 1280,
    height: 720,
    variants: [
      { content_type: 'application/x-mpegURL', url: `https://video.twimg.com/${key}/pl/playlist.m3u8` },
      { content_type: 'video/mp4', bit_rate: 256000, url: `https://video.twimg.com/${key}/vid/480x270/low.mp4` },
      { content_type: 'video/mp4', bit_rate: 2176000, url: `https://video.twimg.com/${key}/vid/1280x720/high.mp4` },
      { content_type: 'video/mp4', bit_rate: 832000, url: `https://video.twimg.com/${key}/vid/640x360/mid.mp4` },
    ],
    ...input,
  };
}

function cut(text: string, max: number): string {
  const points = Array.from(text);
  return points.length > max ? points.slice(0, max - 1).join('') + '…' : text;
}

/**
 * An X-shaped post: HTML-escaped text, code-point entity offsets, the trailing
 * media link with its `media_key`, reposts as "RT @user: …", long posts in
 * `note_tweet`, edit history.
 */
export function fakeTweet(input: FakeTweetInput): { tweet: XTweet; media: XMedia[] } {
  const id = input.id ?? fakeId();
  const media = input.media ?? [];
  let raw = input.text ?? '';
  const links = [...(input.links ?? [])];
  const mediaLinks = new Map<string, string>();
  const tweet: XTweet = {
    id,
    text: '',
    author_id: input.author.id,
    created_at: input.createdAt ?? new Date(snowflakeTime(id)).toISOString(),
    lang: input.lang ?? 'fr',
    possibly_sensitive: input.sensitive ?? false,
    conversation_id: input.replyTo?.conversation_id ?? id,
    edit_history_tweet_ids: [...(input.editedFrom ?? []), id],
  };
  if (input.retweetOf) {
    const original = input.retweetOf.tweet;
    const originalText = original.note_tweet?.text ?? original.text;
    // The RT text is cut from the original's *unescaped* text, then escaped again.
    raw = `RT @${input.retweetOf.author.username}: ${cut(unescape(originalText), 140)}`;
    tweet.referenced_tweets = [{ type: 'retweeted', id: original.id }];
  } else {
    if (input.quoteOf) {
      const link = input.quoteOf.link ?? fakeTco();
      links.push({
        url: link,
        expanded: `https://twitter.com/${input.quoteOf.author.username}/status/${input.quoteOf.tweet.id}`,
        display: `x.com/${input.quoteOf.author.username}/s…`,
      });
      raw = `${raw} ${link}`;
      tweet.referenced_tweets = [{ type: 'quoted', id: input.quoteOf.tweet.id }];
    }
    if (input.replyTo)
      tweet.referenced_tweets = [...(tweet.referenced_tweets ?? []), { type: 'replied_to', id: input.replyTo.id }];
    if (media.length > 0) {
      const link = fakeTco();
      const kind = media[0]!.type === 'photo' ? 'photo' : 'video';
      links.push({
        url: link,
        expanded: `https://x.com/${input.author.username}/status/${id}/${kind}/1`,
        display: `pic.x.com/${link.slice(-8)}`,
      });
      mediaLinks.set(link, media[0]!.media_key);
      raw = `${raw} ${link}`;
      tweet.attachments = { media_keys: media.map((m) => m.media_key) };
    }
  }
  if (input.longText !== undefined) {
    const full = escapeHtml(input.longText);
    tweet.note_tweet = { text: full };
    const noteEntities = fakeEntities(full, links);
    if (noteEntities) tweet.note_tweet.entities = noteEntities;
    raw = cut(input.longText, 280);
  }
  tweet.text = escapeHtml(raw);
  const entities = fakeEntities(tweet.text, links, mediaLinks);
  if (entities) tweet.entities = entities;
  if (input.withheld) tweet.withheld = input.withheld;
  return { tweet, media };
}

function unescape(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (m) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>' })[m] ?? m);
}

// ---------------------------------------------------------------------------
// Search query parsing: `#tag`, `from:user`, `-is:retweet`, `-is:reply`,
// `OR`, parentheses, implicit AND, bare keywords.

type Predicate = (tweet: XTweet, users: Map<string, XUser>) => boolean;

export function parseQuery(query: string): Predicate {
  const tokens = query.match(/\(|\)|"[^"]*"|[^\s()]+/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  function expr(): Predicate {
    const terms = [and()];
    while (peek() === 'OR') {
      i++;
      terms.push(and());
    }
    return (t, u) => terms.some((p) => p(t, u));
  }
  function and(): Predicate {
    const factors: Predicate[] = [];
    while (i < tokens.length && peek() !== ')' && peek() !== 'OR') factors.push(factor());
    if (factors.length === 0) throw new Error('empty group');
    return (t, u) => factors.every((p) => p(t, u));
  }
  function factor(): Predicate {
    const token = tokens[i++]!;
    if (token === '(') {
      const inner = expr();
      if (tokens[i++] !== ')') throw new Error('missing )');
      return inner;
    }
    if (token.startsWith('-') && token.length > 1) {
      tokens[i - 1] = token.slice(1);
      i--;
      const inner = factor();
      return (t, u) => !inner(t, u);
    }
    return atom(token);
  }
  function atom(token: string): Predicate {
    const lower = token.toLowerCase();
    if (lower.startsWith('#')) {
      const tag = lower.slice(1);
      return (t) =>
        (t.entities?.hashtags ?? []).some((h) => h.tag.toLowerCase() === tag) ||
        (t.note_tweet?.entities?.hashtags ?? []).some((h) => h.tag.toLowerCase() === tag);
    }
    if (lower.startsWith('from:')) {
      const name = lower.slice(5).replace(/^@/, '');
      return (t, users) => users.get(t.author_id ?? '')?.username.toLowerCase() === name;
    }
    if (lower === 'is:retweet') return (t) => (t.referenced_tweets ?? []).some((r) => r.type === 'retweeted');
    if (lower === 'is:reply') return (t) => (t.referenced_tweets ?? []).some((r) => r.type === 'replied_to');
    if (lower === 'is:quote') return (t) => (t.referenced_tweets ?? []).some((r) => r.type === 'quoted');
    if (lower === 'has:media') return (t) => (t.attachments?.media_keys?.length ?? 0) > 0;
    if (lower.startsWith('lang:')) return (t) => t.lang === lower.slice(5);
    const word = lower.replace(/^"|"$/g, '');
    return (t) =>
      unescape(t.note_tweet?.text ?? t.text)
        .toLowerCase()
        .includes(word);
  }
  const predicate = expr();
  if (i !== tokens.length) throw new Error(`unexpected "${tokens[i]}"`);
  return predicate;
}

// ---------------------------------------------------------------------------
// The server

const DEFAULT_TWEET_FIELDS = new Set(['id', 'text', 'edit_history_tweet_ids']);
const DEFAULT_USER_FIELDS = new Set(['id', 'name', 'username']);
const DEFAULT_MEDIA_FIELDS = new Set(['media_key', 'type']);

function pick<T extends object>(obj: T, fields: Set<string>): T {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => fields.has(k))) as T;
}

function fieldSet(defaults: Set<string>, param: string | undefined): Set<string> {
  return new Set([...defaults, ...(param ? param.split(',') : [])]);
}

function compareIdsDesc(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x === y ? 0 : x > y ? -1 : 1;
}

const PROBLEMS = 'https://api.twitter.com/2/problems';

// X's error bodies, as documented and seen in real answers.

/** A partial error: the resource is gone (deleted post, unknown user). */
export function notFoundError(resourceType: 'tweet' | 'user', parameter: string, value: string) {
  const what = resourceType === 'tweet' ? 'tweet' : 'user';
  return {
    value,
    detail: `Could not find ${what} with ${parameter}: [${value}].`,
    title: 'Not Found Error',
    resource_type: resourceType,
    parameter,
    resource_id: value,
    type: `${PROBLEMS}/resource-not-found`,
  };
}

/** A partial error: the author is protected (or suspended). */
export function authorizationError(parameter: string, value: string) {
  return {
    value,
    detail: `Sorry, you are not authorized to see the Tweet with ${parameter}: [${value}].`,
    title: 'Authorization Error',
    resource_type: 'tweet',
    parameter,
    resource_id: value,
    type: `${PROBLEMS}/not-authorized-for-resource`,
  };
}

function invalidRequest(parameter: string, value: string, message: string) {
  return {
    status: 400,
    body: {
      errors: [{ parameters: { [parameter]: [value] }, message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: `${PROBLEMS}/invalid-request`,
    },
  };
}

const TOO_MANY_REQUESTS = { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 };
const USAGE_CAPPED = {
  title: 'UsageCapExceeded',
  detail: 'Usage cap exceeded: Monthly product cap',
  type: `${PROBLEMS}/usage-capped`,
  period: 'Monthly',
  scope: 'Product',
  status: 429,
};
const UNAUTHORIZED = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };
const CLIENT_FORBIDDEN = {
  client_id: '1',
  detail:
    'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.',
  registration_url: 'https://developer.x.com/en/docs/projects/overview',
  title: 'Client Forbidden',
  required_enrollment: 'Appropriate Level of API Access',
  reason: 'client-not-enrolled',
  type: `${PROBLEMS}/client-forbidden`,
};

export async function startFakeX(options: FakeXOptions = {}): Promise<FakeX> {
  const now = options.now ?? Date.now;
  const state: FakeXState = {
    token: options.token ?? 'test-token',
    users: new Map(),
    tweets: new Map(),
    media: new Map(),
    deleted: new Set(),
    faults: new Map(),
    rateLimits: new Map(),
    searchWindowMs: 7 * 24 * 3_600_000,
    limits: {
      'search/recent': 450,
      'users/tweets': 10_000,
      'users/by/username': 300,
      tweets: 3_500,
      ...options.limits,
    },
  };
  const calls: FakeCall[] = [];

  function rateLimitFor(endpoint: FakeEndpoint): FakeRateLimit {
    const nowSec = Math.floor(now() / 1000);
    let rl = state.rateLimits.get(endpoint);
    if (!rl || rl.reset <= nowSec) {
      rl = { limit: state.limits[endpoint], remaining: state.limits[endpoint], reset: nowSec + 900 };
      state.rateLimits.set(endpoint, rl);
    }
    return rl;
  }

  function takeFault(endpoint: FakeEndpoint): FakeFault | undefined {
    const queue = state.faults.get(endpoint);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.times--;
    if (head.times <= 0) queue.shift();
    return head.fault;
  }

  function includesFor(tweets: XTweet[], query: Record<string, string>) {
    const expansions = new Set((query.expansions ?? '').split(',').filter(Boolean));
    const userFields = fieldSet(DEFAULT_USER_FIELDS, query['user.fields']);
    const tweetFields = fieldSet(DEFAULT_TWEET_FIELDS, query['tweet.fields']);
    const mediaFields = fieldSet(DEFAULT_MEDIA_FIELDS, query['media.fields']);
    const users = new Map<string, XUser>();
    const refs = new Map<string, XTweet>();
    const media = new Map<string, XMedia>();
    const errors: Record<string, unknown>[] = [];
    const addUser = (id: string | undefined) => {
      const u = id ? state.users.get(id) : undefined;
      if (u) users.set(u.id, pick(u, userFields));
    };
    const addMedia = (t: XTweet, expansion: string) => {
      if (!expansions.has(expansion)) return;
      for (const key of t.attachments?.media_keys ?? []) {
        const m = state.media.get(key);
        if (m) media.set(key, pick(m, mediaFields));
      }
    };
    for (const t of tweets) {
      if (expansions.has('author_id')) addUser(t.author_id);
      addMedia(t, 'attachments.media_keys');
      for (const ref of t.referenced_tweets ?? []) {
        if (!expansions.has('referenced_tweets.id')) continue;
        const target = state.tweets.get(ref.id);
        if (!target || state.deleted.has(ref.id)) {
          errors.push(notFoundError('tweet', 'referenced_tweets.id', ref.id));
          continue;
        }
        const author = state.users.get(target.author_id ?? '');
        if (author?.protected) {
          errors.push(authorizationError('referenced_tweets.id', ref.id));
          continue;
        }
        refs.set(target.id, pick(target, tweetFields));
        if (expansions.has('referenced_tweets.id.author_id')) addUser(target.author_id);
        addMedia(target, 'referenced_tweets.id.attachments.media_keys');
      }
    }
    const includes: Record<string, unknown[]> = {};
    if (users.size) includes.users = [...users.values()];
    if (refs.size) includes.tweets = [...refs.values()];
    if (media.size) includes.media = [...media.values()];
    return { includes: Object.keys(includes).length ? includes : undefined, errors };
  }

  function visible(t: XTweet): boolean {
    if (state.deleted.has(t.id)) return false;
    return !state.users.get(t.author_id ?? '')?.protected;
  }

  function page(all: XTweet[], query: Record<string, string>, min: number, tokenParam: string) {
    const max = Math.min(100, Math.max(min, Number(query.max_results ?? 10)));
    const since = query.since_id;
    const token = query[tokenParam];
    let list = all.filter(visible).sort((a, b) => compareIdsDesc(a.id, b.id));
    for (const p of ['since_id', 'until_id'] as const) {
      if (query[p] !== undefined && !/^\d{1,19}$/.test(query[p]!)) {
        return invalidRequest(p, query[p]!, `The \`${p}\` query parameter value [${query[p]}] is not valid`);
      }
    }
    if (since) list = list.filter((t) => BigInt(t.id) > BigInt(since));
    if (query.until_id) list = list.filter((t) => BigInt(t.id) < BigInt(query.until_id!));
    if (token) {
      const before = Buffer.from(token, 'base64url').toString();
      if (!/^\d+$/.test(before)) {
        return invalidRequest(tokenParam, token, `The \`${tokenParam}\` query parameter value [${token}] is not valid`);
      }
      list = list.filter((t) => BigInt(t.id) < BigInt(before));
    }
    const data = list.slice(0, max);
    const tweetFields = fieldSet(DEFAULT_TWEET_FIELDS, query['tweet.fields']);
    if (data.length === 0) return { status: 200, body: { meta: { result_count: 0 } } };
    const { includes, errors } = includesFor(data, query);
    const meta: Record<string, unknown> = {
      newest_id: data[0]!.id,
      oldest_id: data[data.length - 1]!.id,
      result_count: data.length,
    };
    if (list.length > max) meta.next_token = Buffer.from(data[data.length - 1]!.id).toString('base64url');
    const body: Record<string, unknown> = { data: data.map((t) => pick(t, tweetFields)) };
    if (includes) body.includes = includes;
    if (errors.length) body.errors = errors;
    body.meta = meta;
    return { status: 200, body };
  }

  function route(
    pathname: string,
    query: Record<string, string>,
  ): { endpoint: FakeEndpoint | 'unknown'; answer: () => { status: number; body: unknown } } {
    let m: RegExpExecArray | null;
    if ((m = /^\/2\/users\/by\/username\/([^/]+)$/.exec(pathname))) {
      const username = decodeURIComponent(m[1]!);
      return {
        endpoint: 'users/by/username',
        answer: () => {
          if (!/^[A-Za-z0-9_]{1,15}$/.test(username)) {
            return invalidRequest('username', username, 'The `username` query parameter value is not valid');
          }
          const user = [...state.users.values()].find((u) => u.username.toLowerCase() === username.toLowerCase());
          if (!user) {
            return { status: 200, body: { errors: [notFoundError('user', 'username', username)] } };
          }
          return { status: 200, body: { data: pick(user, fieldSet(DEFAULT_USER_FIELDS, query['user.fields'])) } };
        },
      };
    }
    if ((m = /^\/2\/users\/([0-9]+)\/tweets$/.exec(pathname))) {
      const userId = m[1]!;
      return {
        endpoint: 'users/tweets',
        answer: () => {
          const exclude = new Set((query.exclude ?? '').split(','));
          const mine = [...state.tweets.values()].filter((t) => {
            if (t.author_id !== userId) return false;
            const refs = t.referenced_tweets ?? [];
            if (exclude.has('replies') && refs.some((r) => r.type === 'replied_to')) return false;
            if (exclude.has('retweets') && refs.some((r) => r.type === 'retweeted')) return false;
            return true;
          });
          return page(mine, query, 5, 'pagination_token');
        },
      };
    }
    if (pathname === '/2/tweets/search/recent') {
      return {
        endpoint: 'search/recent',
        answer: () => {
          const q = query.query ?? '';
          let predicate: Predicate;
          try {
            if (q.length === 0 || q.length > 512) throw new Error(`query length ${q.length}`);
            predicate = parseQuery(q);
          } catch (err) {
            return invalidRequest('query', q, `Invalid query: ${(err as Error).message}`);
          }
          const oldest = now() - state.searchWindowMs;
          if (query.since_id && /^\d+$/.test(query.since_id) && snowflakeTime(query.since_id) < oldest) {
            const after = new Date(oldest).toISOString().slice(0, 16) + 'Z';
            return invalidRequest(
              'since_id',
              query.since_id,
              `'since_id' must be a tweet id created after ${after}. Please use a 'since_id' that is larger than ${snowflakeAt(oldest + 60_000)}`,
            );
          }
          const startTime = query.start_time ? Date.parse(query.start_time) : oldest;
          if (Number.isNaN(startTime) || startTime < oldest - 60_000) {
            return invalidRequest(
              'start_time',
              query.start_time ?? '',
              `Invalid 'start_time':'${query.start_time}'. 'start_time' must be on or after ${new Date(oldest).toISOString()}`,
            );
          }
          const matching = [...state.tweets.values()].filter(
            (t) => snowflakeTime(t.id) >= Math.max(startTime, oldest) && predicate(t, state.users),
          );
          return page(matching, query, 10, 'next_token');
        },
      };
    }
    if (pathname === '/2/tweets') {
      return {
        endpoint: 'tweets',
        answer: () => {
          const ids = (query.ids ?? '').split(',').filter(Boolean);
          if (ids.length === 0 || ids.length > 100) {
            return invalidRequest('ids', query.ids ?? '', 'ids: 1 to 100 ids');
          }
          const tweetFields = fieldSet(DEFAULT_TWEET_FIELDS, query['tweet.fields']);
          const found: XTweet[] = [];
          const errors: Record<string, unknown>[] = [];
          for (const id of ids) {
            const t = state.tweets.get(id);
            if (!t || state.deleted.has(id)) {
              errors.push(notFoundError('tweet', 'ids', id));
            } else if (state.users.get(t.author_id ?? '')?.protected) {
              errors.push(authorizationError('ids', id));
            } else found.push(t);
          }
          const body: Record<string, unknown> = {};
          if (found.length) body.data = found.map((t) => pick(t, tweetFields));
          const inc = includesFor(found, query);
          if (inc.includes) body.includes = inc.includes;
          if (errors.length || inc.errors.length) body.errors = [...errors, ...inc.errors];
          return { status: 200, body };
        },
      };
    }
    return {
      endpoint: 'unknown',
      answer: () => ({
        status: 404,
        body: { title: 'Not Found Error', detail: 'Not Found', type: 'about:blank', status: 404 },
      }),
    };
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const { endpoint, answer } = route(url.pathname, query);
    const call: FakeCall = { method: req.method ?? 'GET', path: url.pathname, endpoint, query, at: now(), status: 0 };
    calls.push(call);

    const send = (status: number, body: unknown, headers: Record<string, string> = {}, raw?: string) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(raw ?? JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { title: 'Method Not Allowed', status: 405 });
    if (req.headers.authorization !== `Bearer ${state.token}`) {
      return send(401, UNAUTHORIZED);
    }
    if (endpoint === 'unknown') {
      const { status, body } = answer();
      return send(status, body);
    }
    const rl = rateLimitFor(endpoint);
    const rlHeaders = () => ({
      'x-rate-limit-limit': String(rl.limit),
      'x-rate-limit-remaining': String(rl.remaining),
      'x-rate-limit-reset': String(rl.reset),
    });
    const fault = takeFault(endpoint);
    const proceed = () => {
      if (fault?.kind === 'rate-limit') {
        rl.remaining = 0;
        if (fault.resetInSeconds !== undefined) rl.reset = Math.floor(now() / 1000) + fault.resetInSeconds;
      }
      if (rl.remaining <= 0) {
        return send(429, TOO_MANY_REQUESTS, rlHeaders());
      }
      rl.remaining--;
      switch (fault?.kind) {
        case 'usage-cap':
          return send(429, USAGE_CAPPED, rlHeaders());
        case 'unauthorized':
          return send(401, UNAUTHORIZED, rlHeaders());
        case 'forbidden':
          return send(403, CLIENT_FORBIDDEN, rlHeaders());
        case 'bad-request': {
          const { body } = invalidRequest('query', '', fault.message ?? 'Invalid Request');
          return send(400, body, rlHeaders());
        }
        case 'unavailable':
          return send(
            fault.status ?? 503,
            {
              title: 'Service Unavailable',
              detail: 'Service Unavailable',
              type: 'about:blank',
              status: fault.status ?? 503,
            },
            rlHeaders(),
          );
        case 'echo-token': {
          const status = fault.status ?? 401;
          const body = {
            title: `Gateway refused bearer ${state.token.toLowerCase()}`,
            detail: `TOKEN ${state.token.toUpperCase()} IS NOT VALID HERE`,
            reason: `token=${state.token.toLowerCase()}`,
            type: 'about:blank',
            status,
          };
          return send(status, body, rlHeaders());
        }
        case 'empty':
          return send(200, { meta: { result_count: 0 } }, rlHeaders());
        case 'malformed':
          return send(200, undefined, rlHeaders(), '{"data":[{"id":"1","text":"trunc');
        case 'garbage':
          return send(200, undefined, rlHeaders(), '<html><body>\u0000\ufffd Bad Gateway</body></html>');
        case 'reset':
          return req.socket.destroy();
        case 'stall':
          call.status = 200;
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...rlHeaders() });
          return res.write('{"data":[');
        default:
          break;
      }
      let status: number;
      let body: unknown;
      try {
        ({ status, body } = answer());
      } catch (err) {
        status = 500;
        body = { title: 'Internal Error', detail: String(err), type: 'about:blank', status: 500 };
      }
      if (fault?.kind === 'drip') return drip(status, JSON.stringify(body), rlHeaders(), fault.everyMs);
      if (fault?.kind === 'partial-errors' && body && typeof body === 'object') {
        const b = body as Record<string, unknown>;
        b.errors = [
          ...((b.errors as unknown[]) ?? []),
          notFoundError('tweet', 'referenced_tweets.id', '1'),
          authorizationError('referenced_tweets.id', '2'),
        ];
      }
      return send(status, body, rlHeaders());
    };
    const drip = (status: number, text: string, headers: Record<string, string>, everyMs: number) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      const bytes = Buffer.from(text);
      let i = 0;
      const timer = setInterval(() => {
        if (i >= bytes.length) {
          clearInterval(timer);
          res.end();
        } else res.write(bytes.subarray(i, ++i));
      }, everyMs);
      res.on('close', () => clearInterval(timer));
    };
    if (fault?.kind === 'delay') {
      const timer = setTimeout(proceed, fault.ms);
      res.on('close', () => clearTimeout(timer));
    } else proceed();
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    state,
    calls,
    callsTo: (endpoint) => calls.filter((c) => c.endpoint === endpoint),
    addUser(input) {
      const user = fakeUser(input);
      state.users.set(user.id, user);
      return user;
    },
    addTweet(tweet, media = []) {
      state.tweets.set(tweet.id, tweet);
      for (const m of media) state.media.set(m.media_key, m);
      return tweet;
    },
    fault(endpoint, fault, times = 1) {
      for (const e of endpoint === '*' ? FAKE_ENDPOINTS : [endpoint]) {
        const queue = state.faults.get(e) ?? [];
        queue.push({ fault, times });
        state.faults.set(e, queue);
      }
    },
    clearFaults: () => state.faults.clear(),
    dropConnections: () => sockets.forEach((s) => s.destroy()),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
