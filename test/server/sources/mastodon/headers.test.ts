import { describe, expect, it } from 'vitest';
import { linkTo, parseLinkHeader } from '../../../../server/sources/mastodon/headers.js';

describe('parseLinkHeader', () => {
  it('reads Mastodon next and prev links', () => {
    const header =
      '<https://m.example/api/v1/timelines/tag/fete?limit=40&max_id=110>; rel="next", ' +
      '<https://m.example/api/v1/timelines/tag/fete?limit=40&min_id=120>; rel="prev"';
    const entries = parseLinkHeader(header);
    expect(linkTo(entries, 'next')).toBe('https://m.example/api/v1/timelines/tag/fete?limit=40&max_id=110');
    expect(linkTo(entries, 'prev')).toBe('https://m.example/api/v1/timelines/tag/fete?limit=40&min_id=120');
  });

  it('keeps entries without rel apart, and splits neither on commas in URLs nor in quoted parameters', () => {
    const header =
      '<https://m.example/about>; title="a, b; c", <https://m.example/x?any[]=a,b&max_id=1>; rel=next, ' +
      '<https://m.example/emoji>, </relative?min_id=9>; REL="prev alternate"';
    const entries = parseLinkHeader(header, 'https://m.example/api/');
    expect(entries).toEqual([
      { url: 'https://m.example/about', rel: [] },
      { url: 'https://m.example/x?any[]=a,b&max_id=1', rel: ['next'] },
      { url: 'https://m.example/emoji', rel: [] },
      { url: 'https://m.example/relative?min_id=9', rel: ['prev', 'alternate'] },
    ]);
    expect(linkTo(entries, 'prev')).toBe('https://m.example/relative?min_id=9');
  });

  it('gives nothing for a missing or broken header', () => {
    expect(parseLinkHeader(null)).toEqual([]);
    expect(parseLinkHeader('')).toEqual([]);
    expect(parseLinkHeader('<not a url>; rel="next"')).toEqual([]);
    expect(parseLinkHeader('<https://m.example/a; rel="next"')).toEqual([]);
  });
});
