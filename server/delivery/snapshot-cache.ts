/**
 * The cached snapshot of one feed: the JSON bytes, their strong ETag and their
 * gzip and brotli forms, computed once per change and then reused for every
 * visitor. Nothing here is serialised per request.
 */
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Alert, FeedInfo, FeedSnapshot, FeedStatus, Post } from '../contract.js';
import type { FeedChange } from '../store/store.js';
import { comparePosts } from '../post-order.js';
import { strongEtag, variantEtag } from './etag.js';

export type Encoding = 'br' | 'gzip' | 'identity';

/** One encoded form of the snapshot and its validators, built once per change; the HTTP layer makes the headers. */
export interface EncodedBody {
  bytes: Buffer;
  /** Strong ETag of these exact bytes (each encoding has its own, as RFC 9110 asks). */
  etag: string;
  encoding: Encoding;
  length: number;
}

export class SnapshotCache {
  #feed: FeedInfo;
  #alert: Alert | null;
  readonly #limit: number;
  /** Newest first, at most `limit`. */
  #posts: Post[];
  #status: FeedStatus;
  #revision: number;
  #identity: EncodedBody | undefined;
  #gzip: EncodedBody | undefined;
  #br: EncodedBody | undefined;
  /** The image URLs the posts on display show, built on first use after each change. */
  #images: Set<string> | undefined;

  /** `posts` in the wall's order. */
  constructor(
    feed: FeedInfo,
    posts: Post[],
    status: FeedStatus,
    revision: number,
    limit: number,
    alert: Alert | null = null,
  ) {
    this.#feed = feed;
    this.#alert = alert;
    this.#limit = limit;
    this.#posts = posts.slice(0, limit);
    this.#status = status;
    this.#revision = revision;
  }

  get feed(): FeedInfo {
    return this.#feed;
  }

  get alert(): Alert | null {
    return this.#alert;
  }

  get revision(): number {
    return this.#revision;
  }

  get status(): FeedStatus {
    return this.#status;
  }

  get posts(): readonly Post[] {
    return this.#posts;
  }

  /** Whether a post on display shows this image URL (avatar, reposter, photo, preview, quoted post's). */
  showsImage(url: string): boolean {
    if (!this.#images) {
      const images = new Set<string>();
      const add = (post: Post): void => {
        images.add(post.author.avatarUrl);
        if (post.repostedBy) images.add(post.repostedBy.avatarUrl);
        for (const media of post.media) images.add(media.previewUrl).add(media.url);
        if (post.quoted) add(post.quoted);
      };
      this.#posts.forEach(add);
      images.delete('');
      this.#images = images;
    }
    return this.#images.has(url);
  }

  /** Applies store changes: posts, the alert in force, the feed's title and hashtags. */
  apply(changes: readonly FeedChange[]): void {
    if (changes.length === 0) return;
    let posts = this.#posts;
    for (const change of changes) {
      if (change.kind === 'remove') {
        posts = posts.filter((p) => p.id !== change.id);
      } else if (change.kind === 'post') {
        posts = posts.filter((p) => p.id !== change.post.id);
        posts.push(change.post);
      } else if (change.kind === 'alert') {
        this.#alert = change.alert;
      } else {
        this.#feed = change.feed;
      }
      this.#revision = Math.max(this.#revision, change.revision);
    }
    posts.sort(comparePosts);
    this.#posts = posts.slice(0, this.#limit);
    this.#images = undefined;
    this.#invalidate();
  }

  setStatus(status: FeedStatus): void {
    if (status.stale === this.#status.stale && status.updatedAt === this.#status.updatedAt) return;
    this.#status = status;
    this.#invalidate();
  }

  snapshot(): FeedSnapshot {
    return {
      feed: this.#feed,
      posts: this.#posts,
      updatedAt: this.#status.updatedAt,
      stale: this.#status.stale,
      alert: this.#alert,
      revision: this.#revision,
    };
  }

  /** The body in the given encoding, with its validators, computed at most once per change. */
  body(encoding: Encoding): EncodedBody {
    const identity = (this.#identity ??= this.#encoded(Buffer.from(JSON.stringify(this.snapshot())), 'identity'));
    if (encoding === 'gzip')
      return (this.#gzip ??= this.#encoded(gzipSync(identity.bytes, { level: 6 }), 'gzip', identity.etag));
    if (encoding === 'br') {
      return (this.#br ??= this.#encoded(
        brotliCompressSync(identity.bytes, {
          params: { [zlib.BROTLI_PARAM_QUALITY]: 6, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.bytes.length },
        }),
        'br',
        identity.etag,
      ));
    }
    return identity;
  }

  #encoded(bytes: Buffer, encoding: Encoding, identityEtag?: string): EncodedBody {
    const etag = identityEtag ? variantEtag(identityEtag, encoding) : strongEtag(bytes);
    return { bytes, etag, encoding, length: bytes.length };
  }

  #invalidate(): void {
    this.#identity = this.#gzip = this.#br = undefined;
  }
}

const ACCEPTS_BR = /(?:^|,)\s*br\s*(?:;\s*q\s*=\s*(0(?:\.0*)?|1(?:\.0*)?|0\.\d+))?\s*(?=,|$)/i;
const ACCEPTS_GZIP = /(?:^|,)\s*gzip\s*(?:;\s*q\s*=\s*(0(?:\.0*)?|1(?:\.0*)?|0\.\d+))?\s*(?=,|$)/i;

function accepts(pattern: RegExp, header: string): boolean {
  const m = pattern.exec(header);
  return m !== null && (m[1] === undefined || Number(m[1]) > 0);
}

/** Browsers send a handful of distinct `Accept-Encoding` values: remember the answers. */
const negotiated = new Map<string, Encoding>();
const NEGOTIATED_MAX = 64;

/** Picks the best encoding the client accepts (br, then gzip), by `Accept-Encoding`. */
export function negotiateEncoding(acceptEncoding: string | undefined | null): Encoding {
  if (!acceptEncoding) return 'identity';
  let encoding = negotiated.get(acceptEncoding);
  if (encoding === undefined) {
    encoding = accepts(ACCEPTS_BR, acceptEncoding) ? 'br' : accepts(ACCEPTS_GZIP, acceptEncoding) ? 'gzip' : 'identity';
    if (negotiated.size < NEGOTIATED_MAX) negotiated.set(acceptEncoding, encoding);
  }
  return encoding;
}
