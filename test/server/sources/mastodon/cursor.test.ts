import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../../server/sources/mastodon/cursor.js';

describe('the Mastodon cursor', () => {
  it('keeps each timeline’s newest id, drops what the feed no longer follows, and reads garbage as empty', () => {
    const cursor = decodeCursor(null);
    cursor.accounts['ville@ville.social'] = { id: '1', minId: '100' };
    cursor.accounts['ancien@ville.social'] = { id: '2', minId: '50' };
    cursor.tags.fetedulivre = '120';
    const text = encodeCursor(cursor, { accounts: ['ville@ville.social'], tags: ['fetedulivre'] });
    expect(decodeCursor(text)).toEqual({
      accounts: { 'ville@ville.social': { id: '1', minId: '100' } },
      tags: { fetedulivre: '120' },
    });
    for (const bad of ['{', '[]', '{"v":2}', '{"v":1,"accounts":[1],"tags":{"a":3}}']) {
      expect(decodeCursor(bad)).toEqual({ accounts: {}, tags: {} });
    }
  });
});
