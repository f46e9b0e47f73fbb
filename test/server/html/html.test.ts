import { describe, expect, it } from 'vitest';
import { attr, escapeHtml, html, SafeHtml, sanitizedMarkup } from '../../../server/html/html.js';

describe('html', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`" onload="x`, '&quot; onload=&quot;x'],
    [`' onmouseover='x`, '&#39; onmouseover=&#39;x'],
    ['&lt;b&gt; stays text', '&amp;lt;b&amp;gt; stays text'],
    ['Fête du livre 📚', 'Fête du livre 📚'],
    ['cut \uD83D', 'cut \uFFFD'],
    ['\uDCA9 alone', '\uFFFD alone'],
  ])('escapes %j in text and attributes', (text, escaped) => {
    expect(html`<p title="${text}">${text}</p>`.toString()).toBe(`<p title="${escaped}">${escaped}</p>`);
  });

  it('writes markup it built itself as it is, lists joined, nothing for null, undefined and false', () => {
    const item = (name: string) => html`<li>${name}</li>`;
    const list = html`<ul>${['<a>', 'b'].map(item)}${null}${undefined}${false}${0}</ul>`;
    expect(list.toString()).toBe('<ul><li>&lt;a&gt;</li><li>b</li>0</ul>');
    expect(html`${Number.NaN}${Infinity}`.toString()).toBe('');
  });

  it('cannot be handed markup made elsewhere: only its own tag and the sanitizer mint SafeHtml', () => {
    expect(() => new SafeHtml(Symbol('SafeHtml'), '<script>x</script>')).toThrow(TypeError);
    const forged = { toString: () => '<script>x</script>' } as unknown as string;
    expect(html`${forged}`.toString()).toBe('&lt;script&gt;x&lt;/script&gt;');
    expect(html`${sanitizedMarkup('<strong>ok</strong>')}`.toString()).toBe('<strong>ok</strong>');
  });

  it('writes an attribute only when it has a value, and only with a plain name', () => {
    expect(html`<p${attr('lang', 'fr" onload="x')}>`.toString()).toBe('<p lang="fr&quot; onload=&quot;x">');
    expect(html`<p${attr('lang', undefined)}${attr('width', 0)}>`.toString()).toBe('<p width="0">');
    expect(() => attr('onload x', 'y')).toThrow(/not an attribute name/);
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });
});
