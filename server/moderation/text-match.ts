/**
 * Blocked words and phrases, matched the way a French reader reads them: insensitive to case,
 * accents and ligatures, on whole words, with elisions split off ("qu'abruti" contains "abruti"),
 * and phrases matched across any run of spaces or punctuation ("casse-toi" is "casse toi").
 *
 * Words are runs of Unicode letters and digits, joined by apostrophes inside a word
 * ("aujourd'hui"); every emoji is a word of its own. Everything else separates words, hyphens
 * included: "ra-con-ter" contains the word "con" (accepted), "contre" and "Mâcon" do not.
 *
 * Pure: no I/O, no clock.
 */

/** French elided forms split off the front of a word, longest first. */
const ELISIONS = ["jusqu'", "lorsqu'", "puisqu'", "quoiqu'", "qu'", "l'", "d'", "j'", "m'", "n'", "s'", "t'", "c'"];

const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l', ı: 'i' };
const LIGATURE_PATTERN = new RegExp(`[${Object.keys(LIGATURES).join('')}]`, 'g');
/** Typographic apostrophes and the modifier letter apostrophe all read as "'". */
const APOSTROPHES = /[\u2019\u2018\u02BC\u2032\u0060\u00B4\uFF07]/g;
/** A word (letters and digits, inner apostrophes allowed) or one emoji. */
const TOKEN = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|\p{Extended_Pictographic}/gu;

/**
 * Folds text for comparison: compatibility forms (ﬁ → fi, full-width letters), accents
 * stripped, ligatures spelled out, apostrophes unified, lower case.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(LIGATURE_PATTERN, (c) => LIGATURES[c] ?? c)
    .replace(APOSTROPHES, "'");
}

/** The words of a text, folded, with French elisions split off as words of their own ("l'", "abruti"). */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const [token] of foldText(text).matchAll(TOKEN)) {
    const elision = ELISIONS.find((e) => token.startsWith(e) && token.length > e.length);
    if (elision) out.push(elision, token.slice(elision.length));
    else out.push(token);
  }
  return out;
}

/** A set of blocked terms, compiled once: each term's words, indexed by its first word. */
export interface TermMatcher {
  /** The first blocked term found in `text` (as the organisers wrote it), or undefined. */
  find(text: string): string | undefined;
  /** The first blocked term found in any of `texts`. */
  findIn(texts: Iterable<string>): string | undefined;
}

/** Compiles blocked terms; a term without any word (only punctuation) can never match and is left out. */
export function compileTerms(terms: readonly string[]): TermMatcher {
  const byFirst = new Map<string, { term: string; words: string[] }[]>();
  for (const term of terms) {
    const termWords = words(term);
    if (termWords.length === 0) continue;
    const list = byFirst.get(termWords[0]!) ?? [];
    list.push({ term, words: termWords });
    byFirst.set(termWords[0]!, list);
  }
  const find = (text: string): string | undefined => {
    if (byFirst.size === 0 || text === '') return undefined;
    const tokens = words(text);
    for (let i = 0; i < tokens.length; i++) {
      const candidates = byFirst.get(tokens[i]!);
      if (!candidates) continue;
      for (const candidate of candidates) {
        if (candidate.words.every((w, k) => tokens[i + k] === w)) return candidate.term;
      }
    }
    return undefined;
  };
  return {
    find,
    findIn(texts) {
      for (const text of texts) {
        const found = find(text);
        if (found !== undefined) return found;
      }
      return undefined;
    },
  };
}
