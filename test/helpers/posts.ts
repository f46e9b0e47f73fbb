/** Small valid Posts for tests. */
import type { Post } from '../../server/contract.js';

export function testPost(n: number, overrides: Partial<Post> = {}): Post {
  return {
    id: `p${n}`,
    source: 'demo',
    url: `https://example.test/p${n}`,
    createdAt: new Date(Date.parse('2026-10-10T09:00:00Z') + n * 60_000).toISOString(),
    author: {
      name: 'Ville de Saint-Étienne',
      handle: 'saint_etienne_',
      avatarUrl: '',
      profileUrl: 'https://example.test/u',
    },
    text: `Publication numéro ${n} #FeteDuLivre`,
    entities: {
      hashtags: [
        { start: 20 + String(n).length, end: 32 + String(n).length, tag: 'FeteDuLivre', url: 'https://example.test/h' },
      ],
      mentions: [],
      links: [],
    },
    media: [],
    ...overrides,
  };
}
