import { describe, expect, it } from 'vitest';
import { convertText, unescapeHtml } from '../../../../server/sources/x/text.js';
import { expectEntitiesSlice } from '../../../helpers/entities.js';

describe('unescapeHtml', () => {
  it('unescapes &amp; &lt; &gt; exactly once', () => {
    expect(unescapeHtml('a &amp; b &lt;3 &gt; c')).toBe('a & b <3 > c');
    expect(unescapeHtml('&amp;lt;')).toBe('&lt;');
    expect(unescapeHtml('&quot; stays')).toBe('&quot; stays');
  });
});

describe('convertText', () => {
  it('turns code-point offsets after emoji and ZWJ sequences into JavaScript indices', () => {
    const text = '👨‍👩‍👧 Fête &amp; lecture #FeteDuLivre avec @saint_etienne_ https://t.co/abc';
    const { text: out, entities } = convertText(text, {
      hashtags: [{ start: 25, end: 37, tag: 'FeteDuLivre' }],
      mentions: [{ start: 43, end: 58, username: 'saint_etienne_', id: '1001' }],
      urls: [
        {
          start: 59,
          end: 75,
          url: 'https://t.co/abc',
          expanded_url: 'https://saint-etienne.fr/fete-du-livre',
          display_url: 'saint-etienne.fr/fete-du-livre',
        },
      ],
    });
    expect(out).toBe('👨‍👩‍👧 Fête & lecture #FeteDuLivre avec @saint_etienne_ saint-etienne.fr/fete-du-livre');
    expect(entities.hashtags).toEqual([
      { start: 24, end: 36, tag: 'FeteDuLivre', url: 'https://x.com/hashtag/FeteDuLivre' },
    ]);
    expect(out.slice(24, 36)).toBe('#FeteDuLivre');
    expect(entities.mentions[0]).toMatchObject({ handle: 'saint_etienne_', url: 'https://x.com/saint_etienne_' });
    expect(entities.links[0]).toEqual({
      start: 58,
      end: 88,
      href: 'https://t.co/abc',
      display: 'saint-etienne.fr/fete-du-livre',
      expandedUrl: 'https://saint-etienne.fr/fete-du-livre',
    });
    expectEntitiesSlice({ text: out, entities });
  });

  it('unescapes around entities without shifting them, and &amp;lt; stays &lt;', () => {
    // Offsets count the escaped text: "&amp;" is 5 code points.
    const text = '&lt;3 &amp;#Lecture&amp; &amp;lt;b&amp;gt; #Livres';
    const { text: out, entities } = convertText(text, {
      hashtags: [
        { start: 11, end: 19, tag: 'Lecture' },
        { start: 43, end: 50, tag: 'Livres' },
      ],
    });
    expect(out).toBe('<3 &#Lecture& &lt;b&gt; #Livres');
    expectEntitiesSlice({ text: out, entities });
    expect(entities.hashtags.map((h) => h.tag)).toEqual(['Lecture', 'Livres']);
  });

  it('ignores entities outside the text and overlapping ones', () => {
    const { text, entities } = convertText('#a #b', {
      hashtags: [
        { start: 0, end: 2, tag: 'a' },
        { start: 1, end: 3, tag: 'x' },
        { start: 3, end: 99, tag: 'b' },
      ],
    });
    expect(text).toBe('#a #b');
    expect(entities.hashtags.map((h) => h.tag)).toEqual(['a']);
  });
});
