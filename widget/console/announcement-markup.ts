/**
 * What organisers type for an announcement, and the HTML it becomes. A small
 * markup that a phone keyboard can type and the toolbar can insert:
 *
 *   **gras**   *italique*   [texte du lien](https://…)   a line break   a blank line between paragraphs
 *   lines starting with "- " make a list
 *
 * Everything else is text: it is escaped, so no tag typed by hand reaches the
 * HTML. The server sanitises the HTML again with the announcement allow-list
 * (`server/announcement-policy.ts`), and so does every widget before it renders.
 */
import { ANNOUNCEMENT_URL_PATTERN } from '../../server/announcement-policy.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** `[label](url)`: a link, when the URL is one an announcement may have. */
const LINK = /\[([^\]\n]+)\]\(([^)\s]+)\)/g;
const BOLD = /\*\*(?=\S)([^*\n]*?\S)\*\*/g;
const ITALIC = /(^|[^*\w])\*(?=\S)([^*\n]*?\S)\*(?![*\w])/g;
/** Stands for a link while the rest of the line is formatted (never typed: a control character). */
const SLOT = '\u0000';

function inline(line: string): string {
  const links: string[] = [];
  let out = line.replaceAll(SLOT, '').replace(LINK, (whole, label: string, url: string) => {
    if (!ANNOUNCEMENT_URL_PATTERN.test(url)) return escapeHtml(whole);
    links.push(`<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`);
    return `${SLOT}${links.length - 1}${SLOT}`;
  });
  out = escapeHtml(out);
  out = out.replace(BOLD, '<strong>$1</strong>').replace(ITALIC, '$1<em>$2</em>');
  return out.replace(new RegExp(`${SLOT}(\\d+)${SLOT}`, 'g'), (_whole, index: string) => links[Number(index)]!);
}

function block(paragraph: string): string {
  const lines = paragraph.split('\n');
  if (lines.every((line) => /^\s*[-•]\s+/.test(line))) {
    return `<ul>${lines.map((line) => `<li>${inline(line.replace(/^\s*[-•]\s+/, ''))}</li>`).join('')}</ul>`;
  }
  return `<p>${lines.map(inline).join('<br>')}</p>`;
}

/** The announcement's HTML, from what the organiser typed. */
export function markupToHtml(markup: string): string {
  return markup
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/^\n+|\n+$/g, ''))
    .filter((paragraph) => paragraph.trim() !== '')
    .map(block)
    .join('');
}

/** The announcement's plain text, from what the organiser typed: the markers left out. */
export function markupToText(markup: string): string {
  return markup.replace(/\r\n?/g, '\n').replace(LINK, '$1').replace(BOLD, '$1').replace(ITALIC, '$1$2').trim();
}

function nodeMarkup(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (!(node instanceof Element)) return '';
  const inner = () => [...node.childNodes].map(nodeMarkup).join('');
  switch (node.localName) {
    case 'strong':
    case 'b':
      return `**${inner()}**`;
    case 'em':
    case 'i':
      return `*${inner()}*`;
    case 'a':
      return `[${inner()}](${node.getAttribute('href') ?? ''})`;
    case 'br':
      return '\n';
    case 'p':
      return `${inner()}\n\n`;
    case 'ul':
    case 'ol':
      return `${[...node.children].map((item) => `- ${nodeMarkup(item).trim()}`).join('\n')}\n\n`;
    default:
      return inner();
  }
}

/** What to type to get this (sanitised) announcement again: to edit an announcement. */
export function fragmentToMarkup(fragment: DocumentFragment): string {
  return [...fragment.childNodes]
    .map(nodeMarkup)
    .join('')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The toolbar: wraps the selection of `text` in `before`/`after`; returns the new text and what to select. */
export function wrapSelection(
  text: string,
  start: number,
  end: number,
  kind: 'bold' | 'italic' | 'link',
  placeholder: string,
): { text: string; selectionStart: number; selectionEnd: number } {
  const selected = text.slice(start, end) || placeholder;
  if (kind === 'link') {
    const url = 'https://';
    const inserted = `[${selected}](${url})`;
    const urlStart = start + selected.length + 3;
    return {
      text: text.slice(0, start) + inserted + text.slice(end),
      selectionStart: urlStart,
      selectionEnd: urlStart + url.length,
    };
  }
  const marker = kind === 'bold' ? '**' : '*';
  return {
    text: text.slice(0, start) + marker + selected + marker + text.slice(end),
    selectionStart: start + marker.length,
    selectionEnd: start + marker.length + selected.length,
  };
}
