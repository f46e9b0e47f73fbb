/** Builds a Config for tests, with a fresh data directory. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config, FeedConfig } from '../../server/config.js';
import { feedSchema } from '../../server/config.js';

export function tempDir(prefix = 'commune-feed-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function testFeed(overrides: Record<string, unknown> = {}): FeedConfig {
  return feedSchema.parse({
    id: 'saint-etienne',
    title: 'Fête du livre',
    source: 'demo',
    accounts: ['saint_etienne_'],
    hashtags: ['FeteDuLivre'],
    ...overrides,
  });
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: tempDir(),
    feeds: [testFeed()],
    x: {},
    maxViewers: 10_000,
    maxViewersPerAddress: 10_000,
    maxConnections: 20_000,
    trustProxy: 0,
    retentionDays: 30,
    snapshotSize: 100,
    logFormat: 'text',
    archiveRetentionDays: 365,
    archiveSize: 200,
    timeZone: 'Europe/Paris',
    ...overrides,
  };
}
