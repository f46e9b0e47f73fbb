import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FAULTS } from '../server/faults/catalogue.js';
import { proofKey, renderReliability, type ReliabilityResults } from '../server/faults/reliability-table.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describe('the reliability table (docs/reliability.md)', () => {
  it('names only tests that exist, by their exact title', () => {
    for (const proof of FAULTS.flatMap((f) => f.proofs)) {
      const source = read(proof.file);
      const quoted = [`'${proof.test}'`, `"${proof.test}"`, `\`${proof.test}\``].some((q) => source.includes(q));
      expect(quoted, `${proofKey(proof)} is not a test title`).toBe(true);
    }
  });

  it('is up to date with the list of faults, and every proof passed when it was written', () => {
    const results = JSON.parse(read('docs/reliability-results.json')) as ReliabilityResults;
    for (const proof of FAULTS.flatMap((f) => f.proofs)) {
      expect(results.results[proofKey(proof)]?.status, `${proofKey(proof)}: run npm run reliability`).toBe('passed');
    }
    expect(read('docs/reliability.md'), 'docs/reliability.md is out of date: run npm run reliability').toBe(
      renderReliability(results),
    );
  });
});
