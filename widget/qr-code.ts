/**
 * A QR code as SVG, built through a Lit template: one `<path>` whose `d` is a
 * bound attribute, so no markup string is ever parsed (Trusted Types safe).
 * lean-qr (nano build) does the encoding.
 */
import type { TemplateResult } from 'lit';
import { generate } from 'lean-qr/nano';
import { html } from './wall-shared.js';

/** Modules of quiet zone around the code, as the standard asks. */
const QUIET_ZONE = 4;

let cached: { text: string; size: number; path: string } | undefined;

/** The SVG path of the dark modules, one unit square per module. */
export function qrPath(text: string): { size: number; path: string } {
  if (cached?.text === text) return cached;
  const code = generate(text);
  let path = '';
  for (let y = 0; y < code.size; y++) {
    for (let x = 0; x < code.size; x++) {
      if (code.get(x, y)) path += `M${x} ${y}h1v1h-1z`;
    }
  }
  cached = { text, size: code.size, path };
  return cached;
}

/** A QR code pointing to `text`, announced with `label`. */
export function renderQrCode(text: string, label: string): TemplateResult {
  const { size, path } = qrPath(text);
  const box = size + QUIET_ZONE * 2;
  return html`<svg
    part="qr-code"
    class="qr-code"
    role="img"
    aria-label=${label}
    viewBox="${-QUIET_ZONE} ${-QUIET_ZONE} ${box} ${box}"
    shape-rendering="crispEdges"
  >
    <rect x=${-QUIET_ZONE} y=${-QUIET_ZONE} width=${box} height=${box} fill="#ffffff"></rect>
    <path d=${path} fill="#000000"></path>
  </svg>`;
}
