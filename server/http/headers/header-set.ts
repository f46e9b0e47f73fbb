/** A set of response headers, and how two of them combine. */

/** Response headers by lowercase name. */
export type HeaderSet = Readonly<Record<string, string>>;

/** The sets one after the other, later names winning, except `Vary`, whose values add up. */
export function mergeHeaders(...sets: HeaderSet[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const set of sets) {
    for (const [name, value] of Object.entries(set)) {
      out[name] = name === 'vary' && out.vary ? `${out.vary}, ${value}` : value;
    }
  }
  return out;
}
