import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderReference } from '../../docs/widget-reference.js';

describe('the widget reference', () => {
  it('custom-elements.json matches the JSDoc of the widget, and the README matches custom-elements.json', () => {
    // The analyzer resolves --outdir against the working directory.
    const out = mkdtempSync(path.join(tmpdir(), 'cem-'));
    execFileSync(
      'npx',
      [
        'cem',
        'analyze',
        '--config',
        'docs/custom-elements-manifest.config.mjs',
        '--outdir',
        path.relative(process.cwd(), out),
      ],
      { stdio: 'pipe' },
    );
    const fresh = readFileSync(path.join(out, 'custom-elements.json'), 'utf8');
    const committed = readFileSync('custom-elements.json', 'utf8');
    expect(JSON.parse(committed), 'custom-elements.json is out of date: run npm run docs').toEqual(JSON.parse(fresh));
    const reference = renderReference(JSON.parse(fresh));
    expect(readFileSync('README.md', 'utf8').includes(reference), 'README.md is out of date: run npm run docs').toBe(
      true,
    );
    expect(reference).toContain('`feed`');
    expect(reference).toContain('`commune-feed-update`');
  }, 60_000);
});
