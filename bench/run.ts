/**
 * `npm run bench`: every benchmark in order, each printing its figures and one
 * PASS/FAIL line per target; then a summary table and bench/results.json.
 * Exits 1 if a target fails, 2 if the run itself breaks or overruns.
 *
 *   npm run bench                       all of them (about 3 minutes)
 *   npm run bench -- --only=sse,polls   some of them (snapshot, sse, polls, bundle, moderation, networks, cluster)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchBundle } from './bench-bundle.js';
import { benchCluster, CLUSTER_DEFAULTS } from './bench-cluster.js';
import { benchModeration, MODERATION_DEFAULTS } from './bench-moderation.js';
import { benchNetworks, NETWORKS_DEFAULTS } from './bench-networks.js';
import { benchPolls, POLL_DEFAULTS } from './bench-polls.js';
import { benchSnapshot, SNAPSHOT_DEFAULTS } from './bench-snapshot.js';
import { benchSse, SSE_DEFAULTS } from './bench-sse.js';
import { BENCH_DIR, liveChildren, ROOT } from './ipc.js';
import type { BenchOutcome, TargetResult } from './report.js';

const ALL = ['snapshot', 'sse', 'polls', 'bundle', 'moderation', 'networks', 'cluster'] as const;
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const selected = onlyArg ? onlyArg.slice('--only='.length).split(',') : [...ALL];
const unknown = selected.filter((s) => !(ALL as readonly string[]).includes(s));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose among ${ALL.join(', ')}`);
  process.exit(2);
}

// Every store the children open lives in here; removed at the end whatever happened.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'commune-feed-bench-run-'));
process.env.BENCH_TMPDIR = scratch;
const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
process.once('exit', removeScratch);

/** The whole run is bounded: past this, every child is killed and the run fails. */
const DEADLINE_MS = 8 * 60_000;

async function killChildren(): Promise<void> {
  await Promise.all(liveChildren().map((c) => c.kill()));
}

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${DEADLINE_MS / 60_000} min, stopping`);
  void killChildren().finally(() => process.exit(2));
}, DEADLINE_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void killChildren().finally(() => process.exit(130));
  });
}

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

const meta = {
  date: new Date().toISOString(),
  node: process.version,
  commit: git('rev-parse', '--short', 'HEAD'),
  uncommittedFiles: git('status', '--porcelain').split('\n').filter(Boolean).length,
  nproc: os.availableParallelism(),
  cpu: os.cpus()[0]?.model ?? 'unknown',
  loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  openFilesLimit: (() => {
    try {
      return (
        execFileSync('/bin/sh', ['-c', 'ulimit -n; ulimit -Hn'], { encoding: 'utf8' })
          .trim()
          .split('\n')
          .join(' soft / ') + ' hard'
      );
    } catch {
      return 'unknown';
    }
  })(),
  command: 'npm run bench' + (onlyArg ? ` -- ${onlyArg}` : ''),
};

console.log(
  `commune-feed benchmarks: ${meta.date}, Node ${meta.node}, commit ${meta.commit}${meta.uncommittedFiles ? ` (+${meta.uncommittedFiles} uncommitted files)` : ''}, ${meta.nproc} CPUs (${meta.cpu}), load average ${meta.loadAverageAtStart.join(' ')}`,
);

const runners: Record<(typeof ALL)[number], { title: string; run: () => Promise<BenchOutcome> | BenchOutcome }> = {
  snapshot: {
    title: '1-2. Cached snapshot and 304, real server vs minimal node:http (same bytes)',
    run: () => benchSnapshot(SNAPSHOT_DEFAULTS),
  },
  sse: {
    title: `3. ${SSE_DEFAULTS.viewers} SSE viewers: memory, one broadcast, abrupt disconnects (hub vs node:http)`,
    run: () => benchSse(SSE_DEFAULTS),
  },
  polls: {
    title: `4. Source polls with 1 viewer vs ${POLL_DEFAULTS.viewers} viewers and hammering readers`,
    run: () => benchPolls(POLL_DEFAULTS),
  },
  bundle: { title: '5. Widget bundle size', run: () => benchBundle() },
  moderation: {
    title: `6. One moderation decision (hide) reaches ${MODERATION_DEFAULTS.viewers} SSE viewers`,
    run: () => benchModeration(MODERATION_DEFAULTS),
  },
  networks: {
    title: `7. Mastodon and Bluesky: upstream calls with 1 vs ${NETWORKS_DEFAULTS.viewers} viewers, a pushed post to ${NETWORKS_DEFAULTS.deliveryViewers} viewers`,
    run: () => benchNetworks(NETWORKS_DEFAULTS),
  },
  cluster: {
    title: `8. Several instances through Redis: polls with 1 and ${CLUSTER_DEFAULTS.instances} instances, one post to ${CLUSTER_DEFAULTS.viewers} viewers over them`,
    run: () => benchCluster(CLUSTER_DEFAULTS),
  },
};

const outcomes: BenchOutcome[] = [];
for (const name of ALL) {
  if (!selected.includes(name)) continue;
  const { title, run } = runners[name];
  console.log(`\n${title}`);
  const t0 = performance.now();
  let outcome: BenchOutcome;
  try {
    outcome = await run();
  } catch (err) {
    console.error(err);
    outcome = {
      name,
      figures: { error: err instanceof Error ? err.message : String(err) },
      targets: [{ name: `${name}: benchmark ran to the end`, value: 0, unit: '', target: 'completes', pass: false }],
    };
  }
  await killChildren();
  outcome.seconds = Math.round((performance.now() - t0) / 100) / 10;
  for (const t of outcome.targets)
    console.log(
      `  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value}${t.unit ? ' ' + t.unit : ''} (target ${t.target})`,
    );
  outcomes.push(outcome);
}

const targets: TargetResult[] = outcomes.flatMap((o) => o.targets);
const width = Math.min(100, Math.max(...targets.map((t) => t.name.length)));
console.log('\nSummary');
console.log(`  ${'target'.padEnd(width)}  ${'value'.padStart(10)}  ${'goal'.padEnd(12)}  result`);
for (const t of targets) {
  const name = t.name.length > width ? t.name.slice(0, width - 1) + '…' : t.name;
  console.log(
    `  ${name.padEnd(width)}  ${`${t.value}${t.unit ? ' ' + t.unit : ''}`.padStart(10)}  ${t.target.padEnd(12)}  ${t.pass ? 'PASS' : 'FAIL'}`,
  );
}
const failed = targets.filter((t) => !t.pass).length;
const seconds = Math.round(performance.now() / 1000);
console.log(`\n${targets.length - failed} passed, ${failed} failed, ${seconds} s`);

// Only a full run replaces bench/results.json (the figures bench/README.md quotes).
if (!onlyArg) {
  const file = path.join(BENCH_DIR, 'results.json');
  writeFileSync(file, JSON.stringify({ meta: { ...meta, seconds }, passed: failed === 0, outcomes }, null, 2) + '\n');
  console.log(`figures written to ${path.relative(ROOT, file)}`);
} else {
  console.log('partial run (--only): bench/results.json left as it was');
}

clearTimeout(watchdog);
process.exitCode = failed ? 1 : 0;
