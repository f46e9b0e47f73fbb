import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../server/config.js';
import { parseFeedSettings } from '../../server/feeds/settings.js';

/** Every JSON example of the README: config files (with `feeds`) and single feeds (with `id`). */
const examples = [...readFileSync('README.md', 'utf8').matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('the README configuration examples', () => {
  it('are all valid, in the older single-source form and in the full form', () => {
    const files = examples.filter((e) => e.includes('"feeds"'));
    const feeds = examples.filter((e) => !e.includes('"feeds"') && e.includes('"id"'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(feeds.length).toBeGreaterThanOrEqual(1);
    for (const text of files) expect(() => parseConfigFile(text, 'README')).not.toThrow();
    for (const text of feeds) expect(parseFeedSettings(JSON.parse(text)).id).toBeTruthy();
  });
});
