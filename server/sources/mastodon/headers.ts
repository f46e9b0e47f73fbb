/** Pure readers of the headers Mastodon pages and limits its answers with: `Link` and `X-RateLimit-*`. */

/** The rate limit an answer announced. */
export interface MastodonRateLimit {
  /** Requests allowed in the window. */
  limit: number;
  /** Requests left in the window. */
  remaining: number;
  /** When the window resets, ms since the epoch. */
  resetAt: number;
}

/** One `Link` entry: its URL and its `rel` values (none for an entry without `rel`). */
export interface LinkEntry {
  url: string;
  rel: string[];
}

/**
 * The entries of a `Link` header (RFC 8288): `<url>; rel="next", <url>; rel="prev"`. Commas and
 * semicolons inside `<…>` or quotes do not split; entries without `rel`, relative URLs (resolved
 * against `base`) and unreadable parts are kept or skipped without failing.
 */
export function parseLinkHeader(header: string | null | undefined, base?: string): LinkEntry[] {
  if (!header) return [];
  const entries: LinkEntry[] = [];
  let i = 0;
  while (i < header.length) {
    const open = header.indexOf('<', i);
    if (open === -1) break;
    const close = header.indexOf('>', open);
    if (close === -1) break;
    const target = header.slice(open + 1, close).trim();
    // The parameters run to the next comma outside quotes.
    let j = close + 1;
    let quoted = false;
    while (j < header.length && (quoted || header[j] !== ',')) {
      if (header[j] === '"') quoted = !quoted;
      j++;
    }
    const params = header.slice(close + 1, j);
    i = j + 1;
    let url: string;
    try {
      url = new URL(target, base).href;
    } catch {
      continue;
    }
    const rel = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(params);
    const values = rel ? (rel[1] ?? rel[2] ?? '').toLowerCase().split(/\s+/).filter(Boolean) : [];
    entries.push({ url, rel: values });
  }
  return entries;
}

/** The URL of the first entry with `rel` (e.g. "next", "prev"), if any. */
export function linkTo(entries: readonly LinkEntry[], rel: string): string | undefined {
  return entries.find((e) => e.rel.includes(rel))?.url;
}

/**
 * The limit announced by `X-RateLimit-Limit`, `-Remaining` and `-Reset` (an ISO 8601 time, with
 * microseconds on Mastodon), or undefined when any is missing or unreadable.
 */
export function parseRateLimit(headers: Headers): MastodonRateLimit | undefined {
  const count = (name: string) => {
    const value = headers.get(name)?.trim() ?? '';
    return /^\d{1,9}$/.test(value) ? Number(value) : undefined;
  };
  const limit = count('x-ratelimit-limit');
  const remaining = count('x-ratelimit-remaining');
  const resetAt = Date.parse(headers.get('x-ratelimit-reset') ?? '');
  if (limit === undefined || remaining === undefined || Number.isNaN(resetAt)) return undefined;
  return { limit, remaining, resetAt };
}
