/**
 * Redaction, defined once: hides secrets (the X token) in text that may echo them, such as upstream
 * error bodies, source messages and log lines, whatever the letter case the echo uses.
 */

/** What a secret becomes. */
export const REDACTED = '[redacted]';

export type Redact = (text: string) => string;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The forms an upstream may echo a secret in: as given, and URL-decoded (X's tokens carry `%3D`). */
function forms(secret: string): string[] {
  try {
    return [secret, decodeURIComponent(secret)];
  } catch {
    return [secret];
  }
}

/** Replaces every occurrence of each secret, in any letter case, with `[redacted]`; empty secrets are ignored. */
export function redactor(secrets: readonly (string | undefined)[]): Redact {
  const all = [...new Set(secrets.filter((s): s is string => Boolean(s)).flatMap(forms))];
  if (all.length === 0) return (text) => text;
  // Longest first, so that a secret containing another is hidden whole.
  const pattern = new RegExp(
    all
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'gi',
  );
  return (text) => text.replace(pattern, REDACTED);
}
