/**
 * The list of faults the server is held to, each with what it must do and the tests that prove it.
 * `npm run reliability` runs every proof and writes docs/reliability.md from this list and their
 * results; test/docs/reliability.test.ts fails when the committed table no longer matches this list.
 */

export interface Proof {
  /** The test file, from the repository root. */
  file: string;
  /** The test's own title, exactly as in its `it(…)`. */
  test: string;
}

export interface Fault {
  area: Area;
  /** Where it happens: a network, the database, the process, the HTTP front. */
  where: string;
  fault: string;
  outcome: string;
  proofs: Proof[];
}

export type Area = 'Upstream networks' | 'Storage' | 'Process' | 'Redis (several instances)' | 'Abuse' | 'Security';

export const AREAS: Area[] = [
  'Upstream networks',
  'Storage',
  'Process',
  'Redis (several instances)',
  'Abuse',
  'Security',
];

/** What every upstream fault must leave true (the columns say what is specific). */
export const STALE_OUTCOME =
  'no crash; the last good posts served, flagged stale; recovery with no operator; nothing committed lost';

const X_FAULTS = 'test/server/faults/x-upstream.test.ts';
const STORAGE = 'test/server/faults/storage.test.ts';
const PROCESS = 'test/server/faults/process.test.ts';
const CLOCK = 'test/server/faults/clock-jumps.test.ts';
const X_SOURCE = 'test/server/sources/x/x-source.test.ts';
const MASTODON = 'test/server/sources/mastodon/client.test.ts';
const MASTODON_STREAM = 'test/server/sources/mastodon/stream.test.ts';
const BLUESKY = 'test/server/sources/bluesky/client.test.ts';
const JETSTREAM = 'test/server/sources/bluesky/jetstream.test.ts';
const MAIN = 'test/server/main.test.ts';
const FUZZ = 'test/server/faults/request-fuzz.test.ts';
const ABUSE = 'test/server/faults/abuse.test.ts';
const SECRETS = 'test/server/faults/secrets.test.ts';
const NODE_SERVER = 'test/server/http/node-server.test.ts';
const SSE_HUB = 'test/server/delivery/sse-hub.test.ts';
const RATE_LIMIT = 'test/server/http/rate-limit.test.ts';
const REDIS = 'test/server/faults/redis.test.ts';
const INSTANCES = 'test/server/cluster/instances.test.ts';
/** What an instance does when it can no longer trust its file: `main.ts` exits for its supervisor to start it again. */
const RESTART = 'it exits for its supervisor, which starts it again';

const x = (test: string): Proof => ({ file: X_FAULTS, test });

export const FAULTS: Fault[] = [
  // --- X, through the real server ------------------------------------------------------------
  {
    area: 'Upstream networks',
    where: 'X',
    fault: '429 rate limit',
    outcome: `${STALE_OUTCOME}; no call before the announced reset, even after a restart`,
    proofs: [
      x('serves the last good posts when X answers 429 (rate limit), and reads again after the reset'),
      { file: X_SOURCE, test: 'makes no call to a rate-limited endpoint before its reset, even after a restart' },
    ],
  },
  {
    area: 'Upstream networks',
    where: 'X',
    fault: '429 usage cap (monthly)',
    outcome: `${STALE_OUTCOME}; every X feed paused until the next UTC month`,
    proofs: [
      x('serves the last good posts when X answers 429 (usage cap), and reads again the next month'),
      {
        file: 'test/server/sources/x/status.test.ts',
        test: 'pauses every X feed on the usage cap until the next month, waking hourly for a resume',
      },
    ],
  },
  {
    area: 'Upstream networks',
    where: 'X',
    fault: '401 token refused',
    outcome: `${STALE_OUTCOME}; reported as misconfigured, retried slowly`,
    proofs: [
      x('serves the last good posts when X answers 401, and reads again once the token works'),
      { file: X_SOURCE, test: 'reports a wrong token (rejected by X) as misconfigured' },
    ],
  },
  {
    area: 'Upstream networks',
    where: 'X',
    fault: '403 client forbidden',
    outcome: `${STALE_OUTCOME}; reported as misconfigured`,
    proofs: [x('serves the last good posts when X answers 403, and reads again once access is back')],
  },
  {
    area: 'Upstream networks',
    where: 'X',
    fault: '500',
    outcome: `${STALE_OUTCOME}; growing, jittered backoff`,
    proofs: [x('serves the last good posts when X answers 500')],
  },
  {
    area: 'Upstream networks',
    where: 'X',
    fault: '503',
    outcome: `${STALE_OUTCOME}; growing, jittered backoff`,
    proofs: [
      x('serves the last good posts when X answers 503'),
      {
        file: 'test/server/engine/schedule.test.ts',
        test: 'waits until the time the source named, else backs off with jitter on the network policy',
      },
    ],
  },
  {
    area: 'Upstream networks',
    where: 'X',
    fault: 'no answer (timeout)',
    outcome: `${STALE_OUTCOME}; the poll abandoned at its timeout`,
    proofs: [x('serves the last good posts when X never answers (poll timeout)')],
  },
  {
    area: 'Upstream networks',
    where: 'X',
    fault: 'connection reset',
    outcome: STALE_OUTCOME,
    proofs: [x('serves the last good posts when X cuts the connection (reset)')],
  },
  {
    area: 'Upstream networks',
    where: 'X',
    fault: 'truncated JSON',
    outcome: STALE_OUTCOME,
    proofs: [
      x('serves the last good posts when X sends truncated JSON'),
      {
        file: X_SOURCE,
        test: 'treats a 503, a timeout and a truncated body as unavailable, leaving the backoff to the engine',
      },
    ],
  },
  {
    area: 'Upstream networks',
    where: 'X',
    fault: 'garbage instead of JSON',
    outcome: STALE_OUTCOME,
    proofs: [x('serves the last good posts when X sends garbage instead of JSON')],
  },
  {
    area: 'Upstream networks',
    where: 'X',
    fault: 'answer dripped one byte at a time',
    outcome: `${STALE_OUTCOME}; the poll abandoned at its timeout`,
    proofs: [x('serves the last good posts when X drips its answer one byte at a time')],
  },
  {
    area: 'Upstream networks',
    where: 'X',
    fault: 'answer stops mid-body without closing',
    outcome: `${STALE_OUTCOME}; the poll abandoned at its timeout`,
    proofs: [x('serves the last good posts when X stops sending mid-answer without closing')],
  },
  {
    area: 'Upstream networks',
    where: 'X',
    fault: 'DNS failure',
    outcome: `${STALE_OUTCOME}; the log and /api/health give the reason "dns", the log the name that did not resolve`,
    proofs: [
      x('serves the last good posts when the name of X does not resolve (DNS failure)'),
      {
        file: 'test/server/sources/x/client.test.ts',
        test: 'names a DNS failure (ENOTFOUND, EAI_AGAIN) with the reason "dns" and the host that did not resolve',
      },
    ],
  },
  // --- Mastodon and Bluesky: their clients and streams against their fakes (not yet wired into the server) ---
  {
    area: 'Upstream networks',
    where: 'Mastodon',
    fault: '429 rate limit',
    outcome: 'a rate-limit error with its reset; what was read before it is kept',
    proofs: [
      { file: MASTODON, test: 'reports the rate limit of every answer, and a 429 with its reset time' },
      { file: MASTODON, test: 'keeps what was read when the limit runs out mid-read, with the limit the 429 told' },
    ],
  },
  {
    area: 'Upstream networks',
    where: 'Mastodon',
    fault: '401 without a token',
    outcome: 'says a login is needed',
    proofs: [
      { file: MASTODON, test: 'says that a login is needed when a hashtag timeline answers 401 without a token' },
    ],
  },
  {
    area: 'Upstream networks',
    where: 'Mastodon',
    fault: '5xx, garbage, truncated JSON',
    outcome: 'classified as unavailable (retried with backoff)',
    proofs: [{ file: MASTODON, test: 'classifies 5xx, garbage and lists that are not lists as unavailable' }],
  },
  {
    area: 'Upstream networks',
    where: 'Mastodon',
    fault: 'timeout, oversized answer',
    outcome: 'given up on at the timeout or the size bound',
    proofs: [{ file: MASTODON, test: 'gives up on an answer that takes too long, or is too large' }],
  },
  {
    area: 'Upstream networks',
    where: 'Mastodon',
    fault: 'host unreachable',
    outcome: 'a clear failure',
    proofs: [{ file: MASTODON, test: 'fails clearly when nothing listens' }],
  },
  {
    area: 'Upstream networks',
    where: 'Mastodon',
    fault: 'stream silent without closing; stream dropped',
    outcome: 'cut and reopened; reconnects with backoff',
    proofs: [
      { file: MASTODON_STREAM, test: 'cuts and reopens a connection that went silent without closing' },
      { file: MASTODON_STREAM, test: 'reconnects with backoff after a drop, and subscribes again' },
    ],
  },
  {
    area: 'Upstream networks',
    where: 'Bluesky',
    fault: '429, 5xx, 403 from a CDN',
    outcome: 'rate limit with its reset; unavailable; an auth failure without the page',
    proofs: [
      { file: BLUESKY, test: 'reports a 429 as a rate limit with its reset time' },
      { file: BLUESKY, test: 'reports a 5xx as unavailable' },
      { file: BLUESKY, test: 'reports a CDN’s HTML 403 as an auth failure, without its page' },
    ],
  },
  {
    area: 'Upstream networks',
    where: 'Bluesky',
    fault: 'garbage, truncated JSON, timeout, unreachable',
    outcome: 'classified as unavailable',
    proofs: [
      { file: BLUESKY, test: 'reports garbage and cut-short answers as unavailable' },
      { file: BLUESKY, test: 'gives up on a slow answer after the timeout' },
      { file: BLUESKY, test: 'reports a host that cannot be reached as unavailable' },
    ],
  },
  {
    area: 'Upstream networks',
    where: 'Bluesky',
    fault: 'Jetstream silent without closing; dropped',
    outcome: 'declared dead and reopened; resumes from the last event, losing and repeating nothing',
    proofs: [
      { file: JETSTREAM, test: 'declares a silent stream dead, pinging first, and connects again' },
      {
        file: JETSTREAM,
        test: 'resumes after a drop from the last event seen, less a margin, losing no post and repeating none',
      },
    ],
  },
  // --- Storage ------------------------------------------------------------------------------------
  {
    area: 'Storage',
    where: 'SQLite, running',
    fault: 'busy (another writer holds the lock past the busy timeout)',
    outcome: `${STALE_OUTCOME}; visitors answered meanwhile (a write waits for the lock 200 ms at most); an organiser's write answered 503 with Retry-After; timers' writes tried again later`,
    proofs: [
      {
        file: STORAGE,
        test: 'serves the last good posts while another process holds SQLite busy past the busy timeout',
      },
      {
        file: 'test/server/http/app.test.ts',
        test: "answers an organiser's write with a JSON 503 and Retry-After, stores nothing, and stores it once free",
      },
      {
        file: 'test/server/auth/sessions.test.ts',
        test: 'keeps the organiser signed in when the last-seen time cannot be written now, and writes it later',
      },
      {
        file: 'test/server/moderation/notices.test.ts',
        test: 'expire shortly after their time when the database was busy at that time',
      },
      {
        file: 'test/server/store/retention-schedule.test.ts',
        test: 'says so and sweeps again at the next time when a sweep cannot be stored (the database busy)',
      },
    ],
  },
  {
    area: 'Storage',
    where: 'SQLite, running',
    fault: 'database read-only',
    outcome: STALE_OUTCOME,
    proofs: [
      {
        file: STORAGE,
        test: 'serves the last good posts while the database is read-only, and catches up once writable',
      },
    ],
  },
  {
    area: 'Storage',
    where: 'SQLite, running',
    fault: 'disk full (SQLITE_FULL)',
    outcome: STALE_OUTCOME,
    proofs: [
      { file: STORAGE, test: 'serves the last good posts while the disk is full, and catches up once there is room' },
    ],
  },
  {
    area: 'Storage',
    where: 'start',
    fault: 'disk full at start (file-size limit)',
    outcome: 'exit 3 with one line; no half-made database; starts once there is room',
    proofs: [
      { file: MAIN, test: 'says the disk is full, leaves no half-made database behind, and starts once there is room' },
    ],
  },
  {
    area: 'Storage',
    where: 'start',
    fault: 'data file overwritten with garbage, or truncated',
    outcome: 'exit 4 with one line saying what to do; the file left untouched; never a silent empty start',
    proofs: [
      { file: MAIN, test: 'refuses a file that is not a database, and one cut short' },
      { file: MAIN, test: 'refuses a damaged database, leaves it untouched, and says how to restore or move it aside' },
      { file: MAIN, test: 'refuses an empty database file instead of taking it for a fresh start' },
    ],
  },
  {
    area: 'Storage',
    where: 'start',
    fault: 'one unreadable post row',
    outcome: 'the other posts served; the row reported once and counted in /api/health',
    proofs: [
      {
        file: MAIN,
        test: 'serves the other posts, reports the row once in the log and in /api/health, and stops with 0 on SIGTERM',
      },
    ],
  },
  {
    area: 'Storage',
    where: 'start',
    fault: 'a second process on the same data folder',
    outcome: 'refused, naming the folder and the holder',
    proofs: [
      {
        file: 'test/server/store/data-folder.test.ts',
        test: 'refuses the second one, naming the folder and the process that holds it',
      },
    ],
  },
  // --- Process --------------------------------------------------------------------------------------
  {
    area: 'Process',
    where: 'kill -9',
    fault: 'during a poll',
    outcome: 'the next start serves what was committed, then reads what the killed poll was reading',
    proofs: [
      {
        file: PROCESS,
        test: 'during a poll: the next start serves what was committed, then reads what the killed poll was reading',
      },
    ],
  },
  {
    area: 'Process',
    where: 'kill -9',
    fault: 'during organisers’ decisions',
    outcome: 'every decision acknowledged before the kill is in force after the restart',
    proofs: [
      {
        file: PROCESS,
        test: 'during organisers’ decisions: every decision acknowledged before the kill is still in force',
      },
    ],
  },
  {
    area: 'Process',
    where: 'kill -9',
    fault: 'during a retention sweep',
    outcome: 'the file whole; the next start finishes the sweep and keeps every recent post',
    proofs: [
      {
        file: PROCESS,
        test: 'during a retention sweep: the next start finishes it, keeps every recent post, and the file is whole',
      },
    ],
  },
  {
    area: 'Process',
    where: 'kill -9',
    fault: 'in the middle of a write; the data-folder lock',
    outcome: 'nothing committed lost, nothing half-written; the folder freed by itself',
    proofs: [
      {
        file: 'test/server/store/store.test.ts',
        test: 'loses nothing committed and corrupts nothing when the process is killed with SIGKILL mid-write',
      },
      {
        file: 'test/server/store/data-folder.test.ts',
        test: 'frees the folder by itself when the holder is killed with SIGKILL',
      },
    ],
  },
  {
    area: 'Process',
    where: 'clock',
    fault: 'wall clock jumps two hours forwards',
    outcome: 'polls keep their pace (no burst to X); the wall stays fresh',
    proofs: [
      { file: CLOCK, test: 'keeps polling at its pace and stays fresh when the clock jumps two hours forwards' },
    ],
  },
  {
    area: 'Process',
    where: 'clock',
    fault: 'wall clock jumps two hours backwards',
    outcome: 'polls keep their pace (none forgotten); the wall stays fresh',
    proofs: [
      { file: CLOCK, test: 'keeps polling at its pace and stays fresh when the clock jumps two hours backwards' },
    ],
  },
  {
    area: 'Process',
    where: 'clock',
    fault: 'wall clock a year ahead for an hour',
    outcome: 'that hour’s retention sweep skipped and logged: the wall is not emptied',
    proofs: [
      {
        file: CLOCK,
        test: 'keeps its recent posts when the clock jumps a year forwards for an hour, skipping that sweep',
      },
    ],
  },
  {
    area: 'Process',
    where: 'timers',
    fault: 'delays past 24.8 days (Node’s 32-bit timers)',
    outcome: 'fired on time, never early: X is not hammered',
    proofs: [
      { file: 'test/server/clock.test.ts', test: 'fires a 30-day delay at the right time and not before' },
      {
        file: 'test/server/long-delays.test.ts',
        test: 'makes no second call to X soon after the first with the longest slow interval allowed',
      },
    ],
  },
  // --- Redis, with several instances --------------------------------------------------------------
  {
    area: 'Redis (several instances)',
    where: 'Redis',
    fault: 'stopped, then restarted with its append-only file, the lease outlasting the outage',
    outcome:
      'every instance serves its last snapshot, flagged stale; nobody polls; after the restart nothing committed is lost and polling resumes from the same cursor',
    proofs: [
      {
        file: INSTANCES,
        test: 'with Redis away every instance serves its last snapshot flagged stale and nobody polls; after a restart nothing committed is lost',
      },
    ],
  },
  {
    area: 'Redis (several instances)',
    where: 'Redis',
    fault: 'stopped longer than the lease, then restarted with its append-only file',
    outcome: `every instance serves its last snapshot, flagged stale; nobody polls past the lease; after the restart one leader polls, nothing committed is lost, no post shown twice; an old leader that wrote what Redis never took starts again from Redis (${RESTART})`,
    proofs: [
      {
        file: REDIS,
        test: 'Redis stopped longer than the lease: every instance serves its last snapshot flagged stale and nobody polls; restarted, nothing committed is lost and one leader polls',
      },
    ],
  },
  {
    area: 'Redis (several instances)',
    where: 'Redis',
    fault: 'restarted empty (no persistence)',
    outcome: `no instance takes the empty Redis for the truth: each starts again (${RESTART}), the first copies its file into Redis, the others start from it; nothing committed lost, nothing read twice`,
    proofs: [
      {
        file: REDIS,
        test: 'Redis restarted empty (no persistence): every instance asks to start again, the first copies its file into Redis, and nothing committed is lost',
      },
      {
        file: 'test/server/cluster/outbox.test.ts',
        test: 'replaces every table with rows in any order, an organiser’s session before their account',
      },
    ],
  },
  {
    area: 'Redis (several instances)',
    where: 'network to Redis',
    fault: 'the leader cut off from Redis (connections reset, new ones refused), then healed',
    outcome: `another instance polls within the lease; the cut one serves its last snapshot flagged stale and answers writes with a JSON 503, never acknowledging what Redis does not hold; healed, it rejoins (starting again from Redis if it wrote what Redis never took: ${RESTART}); no post or decision lost or repeated`,
    proofs: [
      {
        file: REDIS,
        test: 'the network between the leader and Redis cut: another instance polls within the lease, the cut one serves stale and refuses writes, then rejoins with no post or decision lost or repeated',
      },
      {
        file: 'test/server/cluster/committer.test.ts',
        test: 'rejects the commit an organiser waits on when Redis refused it because the lease changed hands',
      },
    ],
  },
  {
    area: 'Redis (several instances)',
    where: 'network to Redis',
    fault: 'the leader behind a silent network (blackholed: nothing answers, nothing closes), then healed',
    outcome:
      'the same, found by the deadline of every Redis command (2 s beyond its blocking time) and a probe of idle connections; healed, it rejoins on fresh connections, subscriptions included',
    proofs: [
      {
        file: REDIS,
        test: 'the network between the leader and Redis blackholed (nothing answers, nothing closes): another instance polls within the lease, the silent one serves stale and refuses writes, then rejoins on a fresh connection with no post or decision lost or repeated',
      },
      {
        file: 'test/server/cluster/connection.test.ts',
        test: 'fails a command left unanswered by a silent network at its deadline, then works on a fresh connection once the network heals, subscriptions included',
      },
    ],
  },
  // --- Abuse -------------------------------------------------------------------------------------------
  {
    area: 'Abuse',
    where: 'every public and admin route',
    fault:
      'fuzzed requests: odd methods, huge headers and bodies, bad UTF-8, encoded, double-encoded and overlong dot segments, query floods',
    outcome: 'never a 5xx, never a crash, always a JSON error on the API',
    proofs: [{ file: FUZZ, test: 'never get a 5xx nor crash it, and the API always answers errors in JSON' }],
  },
  {
    area: 'Abuse',
    where: 'HTTP front',
    fault: 'clients trickling their headers or their body (slowloris)',
    outcome: 'cut with a JSON 408 within a bounded time; open event streams undisturbed',
    proofs: [
      {
        file: ABUSE,
        test: 'drops 200 clients trickling their headers within a bounded time, while open streams get every post',
      },
      { file: NODE_SERVER, test: 'cuts a request whose body trickles in, once the time to receive a request is over' },
      { file: NODE_SERVER, test: 'keeps a live stream open well past the time to receive a request' },
    ],
  },
  {
    area: 'Abuse',
    where: 'HTTP front',
    fault: 'connection flood; malformed request lines; oversized headers',
    outcome: 'connections past MAX_CONNECTIONS closed at once; JSON 400 and 431',
    proofs: [
      {
        file: NODE_SERVER,
        test: 'closes connections beyond MAX_CONNECTIONS at once, logs it once, and accepts again when one leaves',
      },
      {
        file: NODE_SERVER,
        test: 'answers a malformed request line with a JSON 400, logs one short line, and keeps serving',
      },
      { file: NODE_SERVER, test: 'answers an oversized header with a JSON 431' },
    ],
  },
  {
    area: 'Abuse',
    where: 'live streams',
    fault: 'one address opening streams without end; a viewer that stops reading',
    outcome:
      'a cap of open streams and a rate of new ones per address (JSON 503 / 429 with Retry-After); a stalled reader dropped',
    proofs: [
      {
        file: SSE_HUB,
        test: 'caps the viewers of one address, lets other addresses in, and admits again once one leaves',
      },
      {
        file: RATE_LIMIT,
        test: 'refuses new live streams from one address past its rate with a JSON 429, and lets other addresses in',
      },
      { file: SSE_HUB, test: 'drops a viewer that stops reading once its unread bytes pass the bound' },
    ],
  },
  {
    area: 'Abuse',
    where: 'image proxy',
    fault: 'one address asking for images never fetched yet',
    outcome: 'a per-address rate of first fetches (JSON 429 with Retry-After); cached images always served',
    proofs: [
      {
        file: RATE_LIMIT,
        test: 'asks for admission only for an image fetched for the first time, and answers 429 when refused',
      },
    ],
  },
  {
    area: 'Abuse',
    where: 'HTML fragment',
    fault: 'one address asking for fragments of ever new shapes (limits, languages, host names), each a new render',
    outcome:
      'a per-address rate of renders (JSON 429 with Retry-After); a fragment already rendered since the last change always served',
    proofs: [
      {
        file: RATE_LIMIT,
        test: 'limits the HTML fragments rendered anew from one address, never one already rendered for the feed as it is',
      },
    ],
  },
  {
    area: 'Abuse',
    where: 'organisers’ login',
    fault: 'brute force: 300 parallel guesses from 30 addresses',
    outcome: 'at most 5 passwords checked, the rest refused with 429, even the right one; viewers served meanwhile',
    proofs: [
      {
        file: ABUSE,
        test: 'holds the login throttle under a brute force of 300 parallel guesses, and viewers are served meanwhile',
      },
      {
        file: 'test/server/auth/login-throttle.test.ts',
        test: 'counts attempts still being checked, so that parallel guesses cannot all slip through',
      },
    ],
  },
  // --- Security ------------------------------------------------------------------------------------------
  {
    area: 'Security',
    where: 'responses and logs',
    fault:
      'secrets planted: X token (echoed by X in other cases), Bluesky app password, Mastodon token, admin token, organiser password, session',
    outcome: 'none in any response nor any log line of the run, in any case, URL-encoded or base64',
    proofs: [
      { file: SECRETS, test: 'appear in no response and no log line, even when X echoes the token' },
      {
        file: 'test/server/sources/bluesky/client.test.ts',
        test: 'never lets the app password or a token through in an error',
      },
      { file: MASTODON, test: 'never echoes the token in an error, whatever its case' },
    ],
  },
  {
    area: 'Security',
    where: 'our pages',
    fault: 'framing, sniffing, injected scripts',
    outcome: 'nosniff on every answer; a strict CSP on the demo pages and the console; the console never framed',
    proofs: [
      {
        file: 'test/server/http/app.test.ts',
        test: 'is nosniff on every answer: every route, 304, preflight, refusals and operator errors',
      },
      { file: 'test/server/http/api.test.ts', test: 'serves the demo site with a strict Content-Security-Policy' },
      {
        file: 'test/server/http/assets.test.ts',
        test: 'serves the console page at /admin and /admin/, under its own strict policy, never framed',
      },
    ],
  },
  {
    area: 'Security',
    where: 'image proxy',
    fault:
      'used as an open proxy: other hosts, images of no post, redirects to a private address, huge or slow answers, non-images',
    outcome:
      'only images of posts on display, from X’s image host; no redirect followed; 8 MiB and 10 s caps; images only',
    proofs: [
      {
        file: 'test/server/media/media-proxy.test.ts',
        test: 'fetches only images that a post on display shows: it is no open proxy',
      },
      {
        file: 'test/server/faults/media-redirect.test.ts',
        test: 'follows no redirect of an image host, to a private address or anywhere',
      },
      {
        file: 'test/server/media/media-proxy.test.ts',
        test: 'refuses images past the size bound and gives up on a slow host',
      },
      {
        file: 'test/server/media/media-proxy.test.ts',
        test: 'answers JSON errors: other hosts, missing images, and answers that are not images',
      },
    ],
  },
];

/** Faults of the issue not covered by this suite, and why. */
export const NOT_COVERED: { fault: string; why: string }[] = [];
