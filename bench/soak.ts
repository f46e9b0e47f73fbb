/**
 * `npm run soak [-- --minutes N | --hours N] [--viewers N]`: the real server (its own process) under
 * a realistic evening: a fake X, Mastodon and Bluesky (with its streaming API and Jetstream)
 * answering posts and, now and then, faults (bench/soak-upstreams.ts); the demo feed releasing a
 * post every second; thousands of live viewers joining and leaving; snapshot readers with and
 * without ETag; an organiser hiding posts. The server's memory, file descriptors and event-loop
 * delay and the delivery latency are sampled over time into docs/soak.md and docs/soak.svg.
 * Acceptance: nothing grows without bound, and no viewer misses a post or a removal.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSoak, type SoakReport, type SoakSample } from './soak-report.js';
import { startSoakUpstreams } from './soak-upstreams.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : Number(process.argv[i + 1]);
};
const durationMs = (arg('hours') ?? 0) * 3_600_000 + (arg('minutes') ?? (arg('hours') ? 0 : 3)) * 60_000;
const VIEWERS = arg('viewers') ?? 2000;
const SAMPLE_MS = durationMs > 30 * 60_000 ? 10_000 : 2_000;
const ADMIN_TOKEN = 'soak-admin-token-0123456789abcdef';
const FEEDS = ['demo', 'fete'] as const;

// --- the fake X, Mastodon and Bluesky, posting and failing now and then -----------------------
const upstreams = await startSoakUpstreams();

// --- the server, as an operator starts it, with the probe --------------------------------------
const dir = mkdtempSync(path.join(os.tmpdir(), 'soak-'));
const probeFile = path.join(dir, 'probe.jsonl');
const configFile = path.join(dir, 'config.json');
writeFileSync(
  configFile,
  JSON.stringify({
    x: { slowPollSeconds: 3, fastPollSeconds: 3 },
    feeds: [
      {
        id: 'demo',
        title: 'Démo',
        source: 'demo',
        paceSeconds: 1,
        accounts: ['saint_etienne_'],
        hashtags: ['FeteDuLivre'],
      },
      { id: 'fete', title: 'Fête', sources: upstreams.sources, hashtags: ['FeteDuLivre'] },
    ],
  }),
);
const child = spawn(process.execPath, ['--import', 'tsx', '--import', './bench/soak-probe.ts', 'server/main.ts'], {
  cwd: ROOT,
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: path.join(dir, 'data'),
    COMMUNE_FEED_CONFIG: configFile,
    ...upstreams.env,
    ADMIN_TOKEN,
    MAX_VIEWERS: String(VIEWERS * 2),
    SOAK_PROBE_FILE: probeFile,
  },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
const url = await new Promise<string>((resolve, reject) => {
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
    const live = /commune-feed is live: (\S+)/.exec(stderr);
    if (live) resolve(live[1]!);
  });
  child.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${stderr}`)));
});
const port = Number(new URL(url).port);

// --- viewers ------------------------------------------------------------------------------------
interface Viewer {
  feed: string;
  socket: net.Socket;
  joinedAt: number;
  leftAt?: number;
  ok: boolean;
  refused?: boolean;
  buffer: string;
  posts: Set<string>;
  removes: Set<string>;
}
const viewers = new Set<Viewer>();
const everyViewer: Viewer[] = [];
/** Per feed, what a viewer that never leaves received, and when. */
const reference = new Map<string, { key: string; at: number }[]>();
let refused = 0;
let dropped = 0;
let connectFailures = 0;
let latencies: number[] = [];
const allLatencies: number[] = [];
const hiddenAt = new Map<string, number>();
let removalLatencies: number[] = [];
let opened = 0;

function frame(v: Viewer, block: string, isReference: boolean) {
  const event = /^event: (\w+)$/m.exec(block)?.[1];
  const data = /^data: (.*)$/m.exec(block)?.[1];
  if (!event || !data || (event !== 'post' && event !== 'remove')) return;
  const now = Date.now();
  const body = JSON.parse(data) as { id: string; createdAt?: string };
  const key = `${event}:${body.id}`;
  if (event === 'post') {
    v.posts.add(body.id);
    if (v.feed === 'demo' && body.createdAt) latencies.push(now - Date.parse(body.createdAt));
  } else {
    v.removes.add(body.id);
    const hid = hiddenAt.get(body.id);
    if (hid) removalLatencies.push(now - hid);
  }
  if (isReference) reference.get(v.feed)!.push({ key, at: now });
}

function join(feed: string, isReference = false): Viewer {
  const n = opened++;
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: `127.3.${(n >> 8) & 255}.${n & 255 || 1}` });
  const v: Viewer = { feed, socket, joinedAt: Date.now(), ok: false, buffer: '', posts: new Set(), removes: new Set() };
  socket.setEncoding('utf8');
  socket.on('connect', () =>
    socket.write(`GET /api/feeds/${feed}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`),
  );
  socket.on('data', (chunk: string) => {
    v.buffer += chunk;
    if (!v.ok) {
      const end = v.buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      if (!v.buffer.startsWith('HTTP/1.1 200')) {
        refused++;
        v.refused = true;
        socket.destroy();
        return;
      }
      v.ok = true;
      v.joinedAt = Date.now();
      v.buffer = v.buffer.slice(end + 4);
    }
    let cut: number;
    while ((cut = v.buffer.indexOf('\n\n')) !== -1) {
      frame(v, v.buffer.slice(0, cut), isReference);
      v.buffer = v.buffer.slice(cut + 2);
    }
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    viewers.delete(v);
    if (v.leftAt !== undefined) return;
    v.leftAt = Date.now();
    if (v.ok) dropped++;
    else if (!v.refused) {
      // Never connected (a full accept queue on a busy machine): EventSource tries again, so does this viewer.
      connectFailures++;
      setTimeout(() => join(feed, isReference), 1000);
    }
  });
  viewers.add(v);
  everyViewer.push(v);
  return v;
}

function leave(v: Viewer) {
  v.leftAt = Date.now();
  viewers.delete(v);
  v.socket.destroy();
}

for (const feed of FEEDS) {
  reference.set(feed, []);
  join(feed, true);
}
const references = [...viewers];
for (let i = 0; i < VIEWERS; i++) {
  join(FEEDS[i % 2]!);
  if (i % 200 === 199) await new Promise((r) => setTimeout(r, 100));
}

// Churn: 1% of the viewers leave and as many join every second.
const churnTimer = setInterval(() => {
  const pool = [...viewers].filter((v) => !references.includes(v));
  for (let i = 0; i < Math.ceil(VIEWERS / 100); i++) {
    const v = pool[Math.floor(Math.random() * pool.length)];
    if (v) leave(v);
    join(FEEDS[i % 2]!);
  }
}, 1000);

// --- snapshot readers, with and without ETag ----------------------------------------------------
const snapshots = { ok: 0, notModified: 0, failed: 0 };
const etags = new Map<string, string>();
const readerTimer = setInterval(() => {
  for (let i = 0; i < 10; i++) {
    const feed = FEEDS[i % 2]!;
    const etag = i % 3 === 0 ? undefined : etags.get(feed);
    fetch(`${url}/api/feeds/${feed}`, { headers: etag ? { 'if-none-match': etag } : {} })
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.status === 200) {
          snapshots.ok++;
          etags.set(feed, res.headers.get('etag') ?? '');
        } else if (res.status === 304) snapshots.notModified++;
        else snapshots.failed++;
      })
      .catch(() => snapshots.failed++);
  }
}, 200);

// --- an organiser hides a post of the demo feed every 5 s ---------------------------------------
let hides = 0;
const organiserTimer = setInterval(() => {
  const seen = reference
    .get('demo')!
    .filter((e) => e.key.startsWith('post:'))
    .map((e) => e.key.slice(5));
  const id = seen[seen.length - 3];
  if (!id || hiddenAt.has(id)) return;
  hiddenAt.set(id, Date.now());
  fetch(`${url}/api/admin/feeds/demo/posts/${encodeURIComponent(id)}/decision`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'hide', reason: 'soak' }),
  })
    .then((res) => res.status === 200 && hides++)
    .catch(() => {});
}, 5000);

// --- sampling -----------------------------------------------------------------------------------
const start = Date.now();
const samples: SoakSample[] = [];
let probeLines = 0;
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const sampleTimer = setInterval(() => {
  const lines = existsSync(probeFile) ? readFileSync(probeFile, 'utf8').trim().split('\n') : [];
  const fresh = lines.slice(probeLines).map((l) => JSON.parse(l) as Record<string, number>);
  probeLines = lines.length;
  const last = fresh[fresh.length - 1];
  if (!last) return;
  samples.push({
    atS: Math.round((Date.now() - start) / 1000),
    viewers: viewers.size,
    rssMB: last.rssMB!,
    heapMB: last.heapMB!,
    fds: last.fds!,
    loopP99Ms: Math.max(...fresh.map((s) => s.loopP99Ms!)),
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
  });
  allLatencies.push(...latencies);
  latencies = [];
}, SAMPLE_MS);

console.log(`soak: ${VIEWERS} viewers for ${Math.round(durationMs / 60_000)} min against ${url}`);
await new Promise((r) => setTimeout(r, durationMs));
for (const t of [churnTimer, readerTimer, organiserTimer, sampleTimer]) clearInterval(t);
upstreams.stop();
// Let the last events arrive before counting.
await new Promise((r) => setTimeout(r, 3000));
const end = Date.now();

// --- did every viewer get every post and removal published while it watched? -------------------
const MARGIN_MS = 3000;
let missed = 0;
let checked = 0;
for (const v of everyViewer) {
  if (!v.ok || references.includes(v)) continue;
  const until = v.leftAt ?? end;
  for (const e of reference.get(v.feed)!) {
    if (e.at < v.joinedAt + MARGIN_MS || e.at > until - MARGIN_MS) continue;
    checked++;
    const [kind, id] = [e.key.slice(0, e.key.indexOf(':')), e.key.slice(e.key.indexOf(':') + 1)];
    if (!(kind === 'post' ? v.posts : v.removes).has(id)) missed++;
  }
}
/** The posts a feed's reference viewer received, per network (X's ids are X's own; the others carry their network). */
function countByNetwork(events: { key: string }[]): Record<string, number> {
  const counts: Record<string, number> = { x: 0, mastodon: 0, bluesky: 0 };
  for (const e of events.filter((e) => e.key.startsWith('post:'))) {
    const network = /^post:(mastodon|bluesky):/.exec(e.key)?.[1] ?? 'x';
    counts[network] = (counts[network] ?? 0) + 1;
  }
  return counts;
}
const errorLines = stderr.split('\n').filter((l) => / error /.test(l));
const report: SoakReport = {
  ranAt: new Date(start).toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  machine: `${os.cpus().length} CPU, Node ${process.versions.node}, load average ${os.loadavg()[0]!.toFixed(1)}`,
  minutes: Math.round((end - start) / 60_000),
  viewers: VIEWERS,
  viewerSessions: everyViewer.length,
  refused,
  connectFailures,
  dropped: dropped - references.filter((r) => r.leftAt !== undefined).length,
  deliveriesChecked: checked,
  missed,
  posts: Object.fromEntries(FEEDS.map((f) => [f, reference.get(f)!.filter((e) => e.key.startsWith('post:')).length])),
  removals: reference.get('demo')!.filter((e) => e.key.startsWith('remove:')).length,
  hides,
  removalP99Ms: percentile(removalLatencies, 99),
  latencyP50Ms: percentile(allLatencies, 50),
  latencyP99Ms: percentile(allLatencies, 99),
  snapshots,
  upstreams: upstreams.figures(),
  delivered: countByNetwork(reference.get('fete')!),
  errorLines: errorLines.length,
  samples,
};
removalLatencies = [];
const { markdown, svg, accepted } = renderSoak(report);
writeFileSync(path.join(ROOT, 'docs/soak.md'), markdown);
writeFileSync(path.join(ROOT, 'docs/soak.svg'), svg);
console.log(markdown.split('## Samples')[0]);
for (const v of viewers) v.socket.destroy();
child.kill('SIGTERM');
await upstreams.close();
process.exit(accepted ? 0 : 1);
