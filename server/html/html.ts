/**
 * The one place where the server turns text into HTML. Every page the server renders (the
 * archive, and the feed's HTML fragment) is written with the `html` tag below: what is
 * interpolated is escaped, unless it is already `SafeHtml` (made by this tag, or by the
 * announcement sanitizer through `sanitizedMarkup`). No untrusted string is ever concatenated
 * into markup any other way.
 *
 * Escaping covers text and quoted attribute values alike (`& < > " '`); templates always quote
 * their attributes. URLs are checked before they get here (`server/post-text.ts`'s `safeUrl`).
 */

/** Only this module holds it: nothing else can make `SafeHtml`. */
const MINT = Symbol('SafeHtml');

/** Markup that is safe to write as it is: built by `html`, or sanitised. */
export class SafeHtml {
  readonly #markup: string;

  constructor(mint: symbol, markup: string) {
    if (mint !== MINT) throw new TypeError('SafeHtml is made by html`…` or sanitizedMarkup() only');
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

const safe = (markup: string) => new SafeHtml(MINT, markup);

/** What may be interpolated: text (escaped), numbers, safe markup, lists of these; nothing for null, undefined or false. */
export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A lone surrogate (a post cut in the middle of an emoji) is not valid UTF-8: it is written as U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as HTML text or as a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function write(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(write).join('');
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  // Anything else (an object that says it is a string) is its text, escaped.
  return escapeHtml(String(value).replace(LONE_SURROGATE, '\uFFFD'));
}

/** Writes a template, escaping every interpolated value. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += write(values[i]!) + strings[i + 1]!;
  return safe(out);
}

/**
 * Markup that DOMPurify returned with the announcements' allow-list (`server/moderation/sanitize.ts`).
 * The only way to write markup that `html` did not build: call it with nothing else.
 */
export function sanitizedMarkup(markup: string): SafeHtml {
  return safe(markup);
}

/** An attribute written only when it has a value: ` name="value"`, escaped. */
export function attr(name: string, value: string | number | undefined | null | false): SafeHtml {
  if (value === undefined || value === null || value === false) return safe('');
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`not an attribute name: ${name}`);
  return html` ${safe(name)}="${value}"`;
}
