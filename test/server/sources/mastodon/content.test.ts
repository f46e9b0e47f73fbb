import { describe, expect, it } from 'vitest';
import { findCustomEmoji, hashtagKey, htmlToText, httpUrl } from '../../../../server/sources/mastodon/content.js';

const local = { localDomain: 'ville.social' };

describe('htmlToText', () => {
  it('turns paragraphs into blank lines and <br> into line breaks, collapsing other whitespace', () => {
    const { text } = htmlToText('<p>Un   deux\n trois</p><p>quatre<br>cinq<br/><br />six</p>\n<p>  sept  </p>', local);
    expect(text).toBe('Un deux trois\n\nquatre\ncinq\n\nsix\n\nsept');
  });

  it('decodes character references exactly once', () => {
    const { text } = htmlToText(
      '<p>&amp;lt;b&amp;gt; &lt;i&gt; &quot;a&quot; &#39;b&#39; &#x1F389; caf&eacute;&nbsp;!</p>',
      local,
    );
    expect(text).toBe('&lt;b&gt; <i> "a" \'b\' 🎉 café\u00a0!');
  });

  it('shows a shortened link as Mastodon does, its href whole', () => {
    const html =
      '<p>Voir <a href="https://www.example.fr/un/tres/long/chemin/vers/la/page"><span class="invisible">https://www.</span>' +
      '<span class="ellipsis">example.fr/un/tres/long/chemin</span><span class="invisible">/vers/la/page</span></a> vite</p>';
    const { text, entities } = htmlToText(html, local);
    expect(text).toBe('Voir example.fr/un/tres/long/chemin… vite');
    const [link] = entities.links;
    expect(text.slice(link!.start, link!.end)).toBe('example.fr/un/tres/long/chemin…');
    expect(link).toMatchObject({
      href: 'https://www.example.fr/un/tres/long/chemin/vers/la/page',
      display: 'example.fr/un/tres/long/chemin…',
      expandedUrl: 'https://www.example.fr/un/tres/long/chemin/vers/la/page',
    });
  });

  it('keeps offsets in UTF-16 units after emoji and accents', () => {
    const html =
      '<p>🎉🎉 Fête <a href="https://ville.social/tags/f%C3%AAte" class="mention hashtag" rel="tag">#<span>Fête</span></a> ' +
      '<span class="h-card"><a href="https://autre.example/@bob" class="u-url mention">@<span>bob</span></a></span></p>';
    const { text, entities } = htmlToText(html, {
      ...local,
      mentions: [{ id: '1', username: 'bob', acct: 'bob@autre.example', url: 'https://autre.example/@bob' }],
    });
    const [tag] = entities.hashtags;
    const [mention] = entities.mentions;
    expect(text.slice(tag!.start, tag!.end)).toBe('#Fête');
    expect(tag!.tag).toBe('Fête');
    expect(text.slice(mention!.start, mention!.end)).toBe('@bob');
    expect(mention!.handle).toBe('bob@autre.example');
  });

  it('names a mention the status does not list after the link host', () => {
    const html = '<p><a href="https://autre.example/users/zoe" class="u-url mention">@<span>zoe</span></a></p>';
    expect(htmlToText(html, local).entities.mentions[0]!.handle).toBe('zoe@autre.example');
  });

  it('recognises a mention link without class through the status mentions', () => {
    const html = '<p><a href="https://autre.example/@bob">@bob</a> <a href="https://autre.example/@eve">@eve</a></p>';
    const mentions = [{ id: '1', username: 'bob', acct: 'bob@autre.example', url: 'https://autre.example/@bob' }];
    const { entities } = htmlToText(html, { ...local, mentions });
    expect(entities.mentions.map((m) => m.handle)).toEqual(['bob@autre.example']);
    expect(entities.links.map((l) => l.display)).toEqual(['@eve']);
  });

  it('gives a listed local mention the instance domain', () => {
    const html = '<p><a href="https://ville.social/@eve" class="u-url mention">@<span>eve</span></a></p>';
    const mentions = [{ id: '2', username: 'eve', acct: 'eve', url: 'https://ville.social/@eve' }];
    expect(htmlToText(html, { ...local, mentions }).entities.mentions[0]!.handle).toBe('eve@ville.social');
  });

  it('recognises a hashtag link without class through the status tags, in another case and width', () => {
    const html =
      '<p><a href="https://autre.example/tags/festival">#ＦＥＳＴＩＶＡＬ</a> <a href="https://autre.example/x">#pasUnTag</a></p>';
    const { text, entities } = htmlToText(html, { ...local, tags: [{ name: 'festival' }] });
    expect(entities.hashtags).toEqual([
      { start: 0, end: 9, tag: 'ＦＥＳＴＩＶＡＬ', url: 'https://autre.example/tags/festival' },
    ]);
    expect(entities.links.map((l) => text.slice(l.start, l.end))).toEqual(['#pasUnTag']);
  });

  it('leaves links that are not http(s) as plain text', () => {
    const { text, entities } = htmlToText(
      '<p><a href="javascript:alert(1)">ici</a> <a href="/relatif">là</a></p>',
      local,
    );
    expect(text).toBe('ici là');
    expect(entities.links).toEqual([]);
  });

  it('keeps the text of unknown elements and drops scripts, styles and invisible spans', () => {
    const html =
      '<p><marquee>défile</marquee> <script>alert(1)</script><style>p{}</style><span class="invisible">x</span>fin</p>';
    expect(htmlToText(html, local).text).toBe('défile fin');
  });

  it('drops the quote fallback only when asked', () => {
    const html = '<p class="quote-inline">RE: <a href="https://a.example/@b/1">a.example/@b/1</a></p><p>Mon avis</p>';
    expect(htmlToText(html, { ...local, dropQuoteFallback: true })).toEqual({
      text: 'Mon avis',
      entities: { hashtags: [], mentions: [], links: [] },
    });
    expect(htmlToText(html, local).text).toBe('RE: a.example/@b/1\n\nMon avis');
  });

  it('keeps pre-formatted whitespace', () => {
    expect(htmlToText('<pre>a  b\n  c</pre><p>d</p>', local).text).toBe('a  b\n  c\n\nd');
  });

  it('reads broken markup without failing', () => {
    const { text, entities } = htmlToText('<p>un <a href="https://x.example/">lien <b>gras</p> deux', local);
    expect(text).toBe('un lien gras\n\ndeux');
    for (const link of entities.links) expect(link.end).toBeLessThanOrEqual(text.length);
  });
});

describe('findCustomEmoji', () => {
  const emojis = [{ shortcode: 'blob', url: 'https://e.example/blob.gif', static_url: 'https://e.example/blob.png' }];

  it('finds only the shortcodes the list holds, never inside a time', () => {
    const text = 'à 17:00:00 :blob: :inconnu: x:blob: :blob:';
    const found = findCustomEmoji(text, emojis);
    expect(found.map((e) => text.slice(e.start, e.end))).toEqual([':blob:', ':blob:']);
    expect(found[0]).toMatchObject({
      shortcode: 'blob',
      url: 'https://e.example/blob.gif',
      staticUrl: 'https://e.example/blob.png',
    });
    expect(findCustomEmoji('17:00:00', [{ shortcode: '00', url: 'https://e.example/0.png' }])).toEqual([]);
    expect(findCustomEmoji(':blob:', null)).toEqual([]);
  });
});

describe('helpers', () => {
  it('accepts only absolute http(s) URLs', () => {
    expect(httpUrl('https://a.example/x')).toBe('https://a.example/x');
    expect(httpUrl('data:image/png;base64,AA')).toBeUndefined();
    expect(httpUrl('/relative')).toBeUndefined();
    expect(httpUrl(null)).toBeUndefined();
  });

  it('compares hashtags across case and width', () => {
    expect(hashtagKey('ＦêTE')).toBe(hashtagKey('fête'));
  });
});
