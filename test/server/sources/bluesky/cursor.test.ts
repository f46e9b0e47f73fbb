import { describe, expect, it } from 'vitest';
import {
  decodeBlueskyCursor,
  encodeBlueskyCursor,
  withJetstreamUs,
} from '../../../../server/sources/bluesky/cursor.js';

describe('the Bluesky cursor', () => {
  it('holds the marks of the polls and Jetstream’s time, which a push moves on and never back', () => {
    const cursor = decodeBlueskyCursor(null);
    cursor.marks['author:ville.bsky.social'] = { newestAt: '2026-10-10T09:00:00.000Z', ids: ['a'] };
    cursor.jetstreamUs = 1_000;
    const text = encodeBlueskyCursor(cursor, ['author:ville.bsky.social', 'tag:fete']);
    expect(decodeBlueskyCursor(text)).toEqual(cursor);
    expect(decodeBlueskyCursor(withJetstreamUs(text, 2_000)).jetstreamUs).toBe(2_000);
    expect(decodeBlueskyCursor(withJetstreamUs(text, 500)).jetstreamUs).toBe(1_000);
    expect(decodeBlueskyCursor(withJetstreamUs(text, 2_000)).marks).toEqual(cursor.marks);
    expect(decodeBlueskyCursor('{"v":2,"jetstreamUs":-4}')).toEqual({ marks: {}, jetstreamUs: null });
  });
});
