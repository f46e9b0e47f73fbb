/**
 * Hostile announcement markup: what a stolen organiser session, or a bug on
 * the server, could hand the widget. Each payload calls `__xss(<n>)` if it
 * ever runs, or leaves markup outside the allow-list if the sanitizer lets
 * it through.
 */
import {
  ANNOUNCEMENT_ATTRIBUTES,
  ANNOUNCEMENT_TAGS,
  ANNOUNCEMENT_URL_PATTERN,
} from '../../../server/announcement-policy.js';

const templates: ((js: string) => string)[] = [
  // Scripts.
  (js) => `<script>${js}</script>`,
  (js) => `<SCRIPT SRC="data:text/javascript,${encodeURIComponent(js)}"></SCRIPT>`,
  (js) => `<scr<script>ipt>${js}</scr</script>ipt>`,
  // Event handlers.
  (js) => `<img src=x onerror="${js}">`,
  (js) => `<p onclick="${js}" onmouseover="${js}">Bal</p>`,
  (js) => `<strong tabindex=0 autofocus onfocus="${js}">gras</strong>`,
  (js) => `<a href="https://ville.fr" onmouseover="${js}">lien</a>`,
  (js) => `<details open ontoggle="${js}">x</details>`,
  (js) => `<body onload="${js}">`,
  (js) => `<video><source onerror="${js}"></video>`,
  // javascript: and data: URLs.
  (js) => `<a href="javascript:${js}">clic</a>`,
  (js) => `<a href="JaVaScRiPt:${js}">clic</a>`,
  (js) => `<a href="&#106;avascript:${js}">clic</a>`,
  (js) => `<a href="jav&#x09;ascript:${js}">clic</a>`,
  (js) => `<a href=" javascript:${js}">clic</a>`,
  (js) => `<a href="data:text/html,<script>${js}</script>">clic</a>`,
  (js) => `<a href="vbscript:${js}">clic</a>`,
  (js) => `<a href="https://ville.fr" title="x" lang="fr" target="_blank" ping="https://evil.example">ok</a>`,
  // SVG and MathML.
  (js) => `<svg onload="${js}"></svg>`,
  (js) => `<svg><script>${js}</script></svg>`,
  (js) => `<svg><a xlink:href="javascript:${js}"><text x="0" y="20">x</text></a></svg>`,
  (js) => `<svg><animate onbegin="${js}" attributeName="x" dur="1s"></animate></svg>`,
  (js) =>
    `<svg><use href="data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='x' onerror='${js}'/></svg>#x"/></svg>`,
  (js) => `<math><maction actiontype="statusline" xlink:href="javascript:${js}">x</maction></math>`,
  (js) => `<math href="javascript:${js}">x</math>`,
  // Styles.
  (js) => `<style>@import "javascript:${js}"; p { background: url(javascript:${js}) }</style>`,
  (js) => `<p style="background:url(javascript:${js})">Bal</p>`,
  (js) => `<span class="visually-hidden" style="position:fixed;inset:0">${js}</span>`,
  // Frames, objects, forms, metadata.
  (js) => `<iframe src="javascript:${js}"></iframe>`,
  (js) => `<iframe srcdoc="<script>parent.${js}</script>"></iframe>`,
  (js) => `<object data="javascript:${js}"></object>`,
  (js) => `<embed src="javascript:${js}">`,
  (js) =>
    `<form action="javascript:${js}"><input name="q" autofocus onfocus="${js}"><button formaction="javascript:${js}">x</button></form>`,
  (js) => `<meta http-equiv="refresh" content="0;url=javascript:${js}">`,
  (js) => `<base href="javascript:${js}//">`,
  (js) => `<link rel="stylesheet" href="javascript:${js}">`,
  (js) => `<template><img src=x onerror="${js}"></template>`,
  // DOM clobbering: names and ids that would shadow the page's globals.
  () => `<a id="__xss" name="__xss" href="https://ville.fr">a</a><a id="__xss" name="__xss">b</a>`,
  () => `<form name="getElementById"></form><img name="cookie"><span id="location">x</span>`,
  () => `<p id="defaultView" data-x="1" slot="header" part="title">x</p><p is="x-y">y</p>`,
  // Attributes that would speak for the widget to screen readers (a fake alert) or hide its text.
  () => `<p role="alert" aria-live="assertive" aria-label="Évacuez" aria-hidden="true" hidden tabindex="1">x</p>`,
  // Mutation XSS classics.
  (js) => `<noscript><p title="</noscript><img src=x onerror=${js}>"></noscript>`,
  (js) => `<svg></p><style><a id="</style><img src=1 onerror=${js}>">`,
  (js) => `<math><mtext><table><mglyph><style><img src=x onerror=${js}></style></mglyph></table></mtext></math>`,
  (js) =>
    `<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=${js} src=1>"></path></textarea></mtext></svg></mglyph></mi></math>`,
  (js) => `<form><math><mtext></form><form><mglyph><style></math><img src onerror=${js}>`,
  (js) => `<!--><img src=x onerror=${js}>-->`,
  (js) => `<xmp><p title="</xmp><img src=x onerror=${js}>"></xmp>`,
  (js) => `<select><template><style><!--</style><a rel="--></style></template></select><img src=x onerror=${js}>">`,
  (js) => `<a href="https://ville.fr/&quot;&gt;&lt;img src=x onerror=${js}&gt;">ok</a>`,
];

/** Every payload, each calling `__xss(<its index>)`. */
export function hostileAnnouncements(): string[] {
  return templates.map((template, index) => template(`__xss(${index})`));
}

/**
 * What is left outside the allow-list under `root`: tags, attributes (links
 * carry `rel` besides), and link targets that are not http(s), mailto or tel.
 */
export function outsideAllowList(root: ParentNode): string[] {
  const found: string[] = [];
  for (const node of root.querySelectorAll('*')) {
    const tag = node.localName;
    if (!ANNOUNCEMENT_TAGS.includes(tag)) found.push(`<${tag}>`);
    for (const { name, value } of node.attributes) {
      if (!ANNOUNCEMENT_ATTRIBUTES.includes(name) && !(tag === 'a' && name === 'rel')) found.push(`${tag}[${name}]`);
      if (name === 'href' && !ANNOUNCEMENT_URL_PATTERN.test(value)) found.push(`${tag}[href=${value}]`);
    }
  }
  return found;
}
