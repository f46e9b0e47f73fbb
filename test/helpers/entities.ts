/** Checks on the entities of a normalised post, for every network's normaliser. */
import { expect } from 'vitest';

/** Every entity of a post must slice out exactly what it names. */
export function expectEntitiesSlice(post: {
  text: string;
  entities: {
    hashtags: { start: number; end: number; tag: string }[];
    mentions: { start: number; end: number; handle: string }[];
    links: { start: number; end: number; display: string }[];
  };
}) {
  for (const h of post.entities.hashtags) expect(post.text.slice(h.start, h.end)).toBe(`#${h.tag}`);
  for (const m of post.entities.mentions)
    expect(post.text.slice(m.start, m.end).toLowerCase()).toBe(`@${m.handle}`.toLowerCase());
  for (const l of post.entities.links) expect(post.text.slice(l.start, l.end)).toBe(l.display);
}
