/**
 * The archive page's stylesheet, served from this server (the page's CSP allows no inline style)
 * under a name that carries its digest, so that it is cached for good. Light and dark, colours
 * with WCAG AA contrast, visible focus, text that reflows at 320 px.
 */
import { createHash } from 'node:crypto';

export const ARCHIVE_CSS = `
:root {
  color-scheme: light dark;
  --background: #ffffff;
  --surface: #f3f4f6;
  --text: #1a1a1a;
  --muted: #4b5563;
  --link: #0b57d0;
  --border: #d1d5db;
  --accent: #1d4ed8;
  --mark-background: #fef3c7;
  --mark-text: #713f12;
  --organisers-background: #eff6ff;
  --focus: #b45309;
}
@media (prefers-color-scheme: dark) {
  :root {
    --background: #111827;
    --surface: #1f2937;
    --text: #f3f4f6;
    --muted: #cbd5e1;
    --link: #93c5fd;
    --border: #374151;
    --accent: #60a5fa;
    --mark-background: #422006;
    --mark-text: #fde68a;
    --organisers-background: #172554;
    --focus: #fbbf24;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; line-height: 1.5; }
body { margin: 0; background: var(--background); color: var(--text); }
a { color: var(--link); text-underline-offset: 0.15em; }
a:focus-visible, summary:focus-visible, h2:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip-link { position: absolute; left: 0.5rem; top: -3rem; padding: 0.5rem 1rem; background: var(--background); z-index: 1; }
.skip-link:focus { top: 0.5rem; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.page-header, main, .page-footer { max-width: 48rem; margin: 0 auto; padding: 1rem; }
.page-header nav { text-align: end; }
.kicker { margin: 0; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: 0.05em; }
h1 { margin: 0.25rem 0; font-size: clamp(1.75rem, 5vw, 2.5rem); line-height: 1.2; }
h2 { margin-top: 2.5rem; font-size: 1.5rem; border-bottom: 2px solid var(--border); }
h3 { font-size: 1.125rem; }
.dates, .hashtags, .muted { color: var(--muted); }
.preview-notice { padding: 0.75rem 1rem; border: 2px solid var(--focus); border-radius: 0.5rem; }
.key-figures, .networks { padding-left: 1.25rem; }
.key-figures li { margin-bottom: 0.25rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: start; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--border); vertical-align: middle; }
th[scope="row"] { font-weight: normal; overflow-wrap: anywhere; }
td.count { display: flex; align-items: center; gap: 0.5rem; }
td.count span { min-width: 3ch; text-align: end; font-variant-numeric: tabular-nums; }
svg.bar { flex: 1; height: 0.75rem; min-width: 4rem; }
svg.bar rect, svg.hours rect { fill: var(--accent); }
svg.hours { display: block; width: 100%; height: 8rem; background: var(--surface); border-radius: 0.25rem; }
details { margin: 0.5rem 0; }
summary { cursor: pointer; color: var(--link); }
.post-list { list-style: none; margin: 0; padding: 0; }
.post { padding: 1rem 0; border-bottom: 1px solid var(--border); overflow-wrap: anywhere; }
.post.organisers { background: var(--organisers-background); padding: 1rem; border-radius: 0.5rem; border-bottom: 0; margin: 0.5rem 0; }
.marks { margin: 0 0 0.5rem; display: flex; gap: 0.5rem; flex-wrap: wrap; }
.mark { background: var(--mark-background); color: var(--mark-text); padding: 0.1rem 0.5rem; border-radius: 1rem; font-size: 0.875rem; font-weight: 600; }
.repost { margin: 0 0 0.25rem; color: var(--muted); font-size: 0.875rem; }
.author { display: flex; align-items: center; gap: 0.75rem; }
.avatar { width: 3rem; height: 3rem; border-radius: 50%; flex: none; background: var(--surface); object-fit: cover; }
.avatar-initial, .organisers-icon { display: inline-flex; align-items: center; justify-content: center; font-weight: 700; }
.organisers-icon svg { width: 1.75rem; height: 1.75rem; fill: currentColor; }
.names { display: flex; flex-direction: column; min-width: 0; }
.names .name { margin: 0; font-size: 1rem; font-weight: 700; }
.handle { color: var(--muted); }
.text { white-space: pre-wrap; margin: 0.5rem 0; }
.text.rich { white-space: normal; }
.media-list { display: grid; gap: 0.25rem; grid-template-columns: repeat(2, minmax(0, 1fr)); margin: 0.5rem 0; }
.media-list[data-count="1"] { grid-template-columns: minmax(0, 1fr); }
.media { position: relative; margin: 0; }
.media img { display: block; width: 100%; height: auto; max-height: 32rem; object-fit: contain; background: var(--surface); border-radius: 0.5rem; }
.media-badge { position: absolute; left: 0.5rem; bottom: 0.5rem; background: #000000; color: #ffffff; padding: 0 0.4rem; border-radius: 0.25rem; font-size: 0.875rem; }
.media-text { color: var(--muted); font-style: italic; }
.sensitive { border: 1px solid var(--border); border-radius: 0.5rem; padding: 0.5rem 0.75rem; }
.quoted { margin: 0.5rem 0; padding: 0.75rem; border: 1px solid var(--border); border-radius: 0.5rem; }
.meta { margin: 0.5rem 0 0; color: var(--muted); font-size: 0.875rem; display: flex; gap: 0.75rem; flex-wrap: wrap; }
.page-footer { color: var(--muted); font-size: 0.875rem; border-top: 1px solid var(--border); margin-top: 2rem; }
@media print {
  .skip-link, .page-header nav, details.hours-table { display: none; }
  .sensitive:not([open]) { display: none; }
}
`;

/** The stylesheet's URL: its digest in the name, so a new version is a new URL. */
export const ARCHIVE_CSS_PATH = `/archive/style-${createHash('sha256').update(ARCHIVE_CSS).digest('base64url').slice(0, 16)}.css`;
