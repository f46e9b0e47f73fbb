/** Strong ETags: one digest for every cached body (snapshots, assets, images), one `If-None-Match` test. */
import { createHash } from 'node:crypto';

/** The strong ETag of these exact bytes; `variant` marks an encoded form (`"…-gzip"`), as RFC 9110 asks. */
export function strongEtag(bytes: Uint8Array, variant?: string): string {
  return `"${createHash('sha1').update(bytes).digest('base64url')}${variant ? `-${variant}` : ''}"`;
}

/** The ETag of an encoded form of a body whose identity ETag is `etag`. */
export function variantEtag(etag: string, variant: string): string {
  return etag.replace(/"$/, `-${variant}"`);
}

/** True when `If-None-Match` names this ETag (or `*`); weak comparison, as RFC 9110 asks for it. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch === etag) return true;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
