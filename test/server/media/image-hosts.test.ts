import { describe, expect, it } from 'vitest';
import type { FeedListener, FeedRecord } from '../../../server/feeds/registry.js';
import { parseFeedSettings } from '../../../server/feeds/settings.js';
import { followImageHosts } from '../../../server/media/image-hosts.js';

/** A registry of feeds as the media proxy sees it: their list, read how often, and its listeners. */
function fakeRegistry(...instances: string[]) {
  const record = (instance: string): FeedRecord => ({
    settings: parseFeedSettings({
      id: 'f',
      title: 'F',
      hashtags: ['Fete'],
      sources: [{ network: 'mastodon', instance }],
    }),
    origin: 'console',
    updatedAt: '2026-11-30T10:00:00.000Z',
    updatedBy: 'alex',
    fileAppliedAt: null,
  });
  let records = instances.map(record);
  const listeners: FeedListener[] = [];
  const registry = {
    reads: 0,
    list: () => (registry.reads++, records),
    listen: (listener: FeedListener) => void listeners.push(listener),
    /** Another instance changed the feed, and this one reloaded it. */
    reloaded(instance: string) {
      const previous = records[0];
      records = [record(instance)];
      for (const listener of listeners) listener(records[0]!, previous, 'reload');
    },
  };
  return registry;
}

describe('followImageHosts', () => {
  it('derives the image hosts once per change of the feeds, not on each image asked for', () => {
    const registry = fakeRegistry('https://ville.example');
    const isImageHost = followImageHosts(registry);
    for (let i = 0; i < 100; i++) expect(isImageHost('ville.example')).toBe(true);
    expect(isImageHost('autre.example')).toBe(false);
    expect(registry.reads).toBe(1);

    registry.reloaded('https://autre.example');
    expect(registry.reads).toBe(2);
    expect(isImageHost('autre.example')).toBe(true);
    expect(isImageHost('ville.example')).toBe(false);
    expect(registry.reads).toBe(2);
  });
});
