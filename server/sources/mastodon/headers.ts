/**
 * Pure reader of the `Link` header Mastodon pages its answers with. Its `X-RateLimit-*` headers are
 * read by the one reader every network shares (`pacing/rate-limit.ts`).
 */

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
