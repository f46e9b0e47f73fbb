import type { Post } from '../../server/contract.js';

/**
 * A corpus of XSS payloads in the styles of the OWASP filter-evasion cheat
 * sheet. Each one, if it ever ran, would call `__xss(<n>)`; the test page
 * records those calls.
 */
const templates: ((js: string) => string)[] = [
  (js) => `<script>${js}</script>`,
  (js) => `<SCRIPT>${js}</SCRIPT>`,
  (js) => `<script src="data:text/javascript,${encodeURIComponent(js)}"></script>`,
  (js) => `<img src=x onerror="${js}">`,
  (js) => `<img src=x onerror=${js}>`,
  (js) => `<IMG SRC=x ONERROR=${js}>`,
  (js) => `<img src="javascript:${js}">`,
  (js) => `<img/src=x/onerror=${js}>`,
  (js) => `<svg onload=${js}>`,
  (js) => `<svg><script>${js}</script></svg>`,
  (js) => `<svg><animate onbegin=${js} attributeName=x dur=1s>`,
  (js) => `<body onload=${js}>`,
  (js) => `<iframe src="javascript:${js}"></iframe>`,
  (js) => `<iframe srcdoc="<script>parent.${js}</script>"></iframe>`,
  (js) => `<object data="javascript:${js}"></object>`,
  (js) => `<embed src="javascript:${js}">`,
  (js) => `<a href="javascript:${js}">clic</a>`,
  (js) => `<a href="JaVaScRiPt:${js}">clic</a>`,
  (js) => `<a href="&#106;avascript:${js}">clic</a>`,
  (js) => `<a href="jav&#x09;ascript:${js}">clic</a>`,
  (js) => `<details open ontoggle=${js}>`,
  (js) => `<input autofocus onfocus=${js}>`,
  (js) => `<select autofocus onfocus=${js}>`,
  (js) => `<textarea autofocus onfocus=${js}>`,
  (js) => `<video><source onerror=${js}></video>`,
  (js) => `<audio src=x onerror=${js}>`,
  (js) => `<marquee onstart=${js}>`,
  (js) => `<div style="background:url(javascript:${js})">`,
  (js) => `<style>@import "javascript:${js}";</style>`,
  (js) => `<link rel=stylesheet href="javascript:${js}">`,
  (js) => `<meta http-equiv="refresh" content="0;url=javascript:${js}">`,
  (js) => `<form action="javascript:${js}"><button>x</button></form>`,
  (js) => `<math><mtext><table><mglyph><style><img src=x onerror=${js}>`,
  (js) => `<noscript><p title="</noscript><img src=x onerror=${js}>">`,
  (js) => `"><script>${js}</script>`,
  (js) => `'><img src=x onerror=${js}>`,
  (js) => `</title><script>${js}</script>`,
  (js) => `</textarea><script>${js}</script>`,
  (js) => `--><script>${js}</script>`,
  (js) => `]]><script>${js}</script>`,
  (js) => `\${${js}}`,
  (js) => `{{constructor.constructor('${js}')()}}`,
  (js) => `&lt;script&gt;${js}&lt;/script&gt;`,
  (js) => `&amp;lt;img src=x onerror=${js}&amp;gt;`,
  (js) => `<scr<script>ipt>${js}</scr</script>ipt>`,
  (js) => `<img src=x onerror=&#${'x'}61;lert(1)&#59;${js}>`,
  (js) => `<svg><a xlink:href="javascript:${js}"><text x=0 y=20>x</text></a></svg>`,
  (js) => `<isindex type=image src=1 onerror=${js}>`,
  (js) => `<x contenteditable onblur=${js}>lose focus</x>`,
  (js) => `<template><img src=x onerror=${js}></template>`,
];

export const JS = (n: number) => `__xss(${n})`;

/** Payloads for text positions (post text, names, alt). */
export function textPayloads(): string[] {
  return templates.map((t, i) => t(JS(i)));
}

/** Payloads for URL positions (hrefs, image sources). */
export function urlPayloads(offset = 1000): string[] {
  const js = (i: number) => JS(offset + i);
  return [
    `javascript:${js(0)}`,
    `JAVASCRIPT:${js(1)}`,
    ` javascript:${js(2)}`,
    `\tjavascript:${js(3)}`,
    `java\nscript:${js(4)}`,
    `javascript://%0A${js(5)}`,
    `data:text/html,<script>parent.${js(6)}</script>`,
    `data:text/html;base64,${Buffer.from(`<script>parent.${js(7)}</script>`).toString('base64')}`,
    `vbscript:${js(8)}`,
    `data:image/svg+xml,<svg onload="${js(9)}" xmlns="http://www.w3.org/2000/svg"/>`,
    `https://example.test/"><img src=x onerror=${js(10)}>`,
    `https://example.test/' onmouseover='${js(11)}`,
    `//example.test/" onerror="${js(12)}`,
    `javas&#99;ript:${js(13)}`,
    `&#x6A;avascript:${js(14)}`,
    `javascript&colon;${js(15)}`,
    `blob:javascript:${js(16)}`,
    `file:///etc/passwd#${js(17)}`,
  ];
}

/** Posts that carry a payload in every field a source controls. */
export function hostilePosts(): Post[] {
  const texts = textPayloads();
  const urls = urlPayloads();
  const now = Date.now();
  return texts.map((payload, i) => {
    const url = urls[i % urls.length]!;
    const tagStart = payload.length + 1;
    const text = `${payload} #Tag${i} ${payload}`;
    return {
      id: `xss-${i}`,
      source: i % 2 ? 'x' : 'demo',
      url,
      createdAt: new Date(now - i * 1000).toISOString(),
      author: { name: payload, handle: payload, avatarUrl: url, profileUrl: url },
      repostedBy: i % 5 === 0 ? { name: payload, handle: payload, avatarUrl: url, profileUrl: url } : undefined,
      text,
      entities: {
        hashtags: [{ start: tagStart, end: tagStart + `#Tag${i}`.length, tag: payload, url }],
        mentions: [{ start: 0, end: Math.min(5, payload.length), handle: payload, url }],
        links: [
          { start: text.length - payload.length, end: text.length, href: url, display: payload, expandedUrl: url },
        ],
      },
      media: [{ kind: i % 3 === 0 ? 'video' : 'photo', url, previewUrl: url, alt: payload, width: 10, height: 10 }],
      lang: i % 7 === 0 ? `fr" onload="${payload}` : 'fr',
      sensitive: i % 4 === 0,
      quoted:
        i % 6 === 0
          ? {
              id: `q${i}`,
              source: 'x',
              url,
              createdAt: new Date(now).toISOString(),
              author: { name: payload, handle: payload, avatarUrl: url, profileUrl: url },
              text: payload,
              entities: { hashtags: [], mentions: [], links: [] },
              media: [],
            }
          : undefined,
    } satisfies Post;
  });
}
