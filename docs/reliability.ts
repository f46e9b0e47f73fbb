/**
 * `npm run reliability`: runs every test the fault catalogue names, keeps their results in
 * docs/reliability-results.json and writes docs/reliability.md from them. With test files as
 * arguments, runs only those and keeps the earlier results of the others.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAULTS } from '../test/server/faults/catalogue.js';
import {
  proofFiles,
  proofKey,
  renderReliability,
  type ProofResult,
  type ReliabilityResults,
} from '../test/server/faults/reliability-table.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(os.tmpdir(), `reliability-${process.pid}.json`);
/** Test files given as arguments: run only those, keep the earlier results of the others. */
const only = process.argv.slice(2).map((file) => path.relative(ROOT, path.resolve(file)));

interface VitestJson {
  testResults: { name: string; assertionResults: { title: string; status: string; duration?: number }[] }[];
}

const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    ...(only.length ? only : proofFiles()),
    '--no-file-parallelism',
    '--testTimeout=120000',
    '--reporter=json',
    `--outputFile=${out}`,
  ],
  {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
const json = JSON.parse(readFileSync(out, 'utf8')) as VitestJson;
rmSync(out, { force: true });

const found = new Map<string, ProofResult>();
for (const file of json.testResults) {
  const rel = path.relative(ROOT, file.name);
  for (const t of file.assertionResults) {
    const status = t.status === 'passed' || t.status === 'failed' ? t.status : 'skipped';
    found.set(`${rel} › ${t.title}`, { status, durationMs: Math.round(t.duration ?? 0) });
  }
}
const results: ReliabilityResults = {
  ranAt: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  machine: `${os.cpus().length} CPU, Node ${process.versions.node}, ${os.platform()}`,
  results: {},
};
const resultsFile = path.join(ROOT, 'docs/reliability-results.json');
const earlier = only.length ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as ReliabilityResults).results : {};
for (const proof of FAULTS.flatMap((f) => f.proofs)) {
  const key = proofKey(proof);
  const rerun = only.length === 0 || only.includes(proof.file);
  results.results[key] = (rerun ? found.get(key) : earlier[key]) ?? { status: 'missing', durationMs: 0 };
}
writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
writeFileSync(path.join(ROOT, 'docs/reliability.md'), renderReliability(results));
const bad = Object.entries(results.results).filter(([, r]) => r.status !== 'passed');
for (const [key, r] of bad) console.error(`${r.status}: ${key}`);
console.log(
  `docs/reliability.md: ${Object.keys(results.results).length - bad.length} of ${Object.keys(results.results).length} proofs passed`,
);
process.exit(bad.length > 0 || run.status !== 0 ? 1 : 0);
