/**
 * The cached snapshot of one feed: the JSON bytes, their strong ETag and their
 * gzip and brotli forms, computed once per change and then reused for every
 * visitor. Nothing here is serialised per request.
 */
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Alert, FeedInfo, FeedSnapshot, FeedStatus, Post } from '../contract.js';
import type { FeedChange } from '../store/store.js';
import { postImageUrls } from '../media/proxied-url.js';
import { comparePosts } from '../post-order.js';
import { strongEtag, variantEtag } from './etag.js';

export type Encoding = 'br' | 'gzip' | 'identity';

/** One encoded form of a body and its validators, built once per change; the HTTP layer makes the headers. */
export interface EncodedBody {
  bytes: Buffer;
  /** Strong ETag of these exact bytes (each encoding has its own, as RFC 9110 asks). */
  etag: string;
  encoding: Encoding;
  length: number;
  /** The language of its words, for a page (`Content-Language`). */
  language?: string;
}

/**
 * One body in each encoding, each computed on first use, with its strong ETag: the snapshot's
 * JSON, a fragment's or an archive page's HTML. The HTTP layer makes the headers.
 */
export class EncodedForms {
  readonly #identityBytes: Buffer;
  readonly #language: string | undefined;
  #identity: EncodedBody | undefined;
  #gzip: EncodedBody | undefined;
  #br: EncodedBody | undefined;

  /** `language`: the language of a page's words (`Content-Language`), when it has one. */
  constructor(bytes: Buffer, language?: string) {
    this.#identityBytes = bytes;
    this.#language = language;
  }

  /** The body in the given encoding, with its validators, computed at most once. */
  body(encoding: Encoding): EncodedBody {
    const identity = (this.#identity ??= this.#encoded(this.#identityBytes, 'identity'));
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
    const body: EncodedBody = { bytes, etag, encoding, length: bytes.length };
    if (this.#language !== undefined) body.language = this.#language;
    return body;
  }
}

/** Request shapes of derived forms kept at once per feed (languages × limits × origins). */
const DERIVED_MAX = 32;

export class SnapshotCache {
  #feed: FeedInfo;
  #alert: Alert | null;
  readonly #limit: number;
  /** Newest first, at most `limit`. */
  #posts: Post[];
  #status: FeedStatus;
  #revision: number;
  #forms: EncodedForms | undefined;
  #images: Set<string> | undefined;
  /** Other forms of the posts (the HTML fragment), by request shape; dropped when the posts change. */
  readonly #derived = new Map<string, EncodedForms>();

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

  /** Every image URL the snapshot's posts show, computed once per change. */
  get imageUrls(): ReadonlySet<string> {
    if (!this.#images) {
      const images = new Set<string>();
      for (const post of this.#posts) postImageUrls(post, images);
      this.#images = images;
    }
    return this.#images;
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
    this.#derived.clear();
  }

  /** Whether the form for `key` is made already for the current posts. */
  hasDerived(key: string): boolean {
    return this.#derived.has(key);
  }

  /**
   * Another form of the feed (the HTML fragment), made by `make` at most once per change of the
   * posts, the alert or the feed, per `key` (at most `DERIVED_MAX` of them at once).
   */
  derived(key: string, make: () => EncodedForms): EncodedForms {
    let forms = this.#derived.get(key);
    if (!forms) {
      if (this.#derived.size >= DERIVED_MAX) this.#derived.delete(this.#derived.keys().next().value!);
      forms = make();
      this.#derived.set(key, forms);
    }
    return forms;
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
    this.#forms ??= new EncodedForms(Buffer.from(JSON.stringify(this.snapshot())));
    return this.#forms.body(encoding);
  }

  #invalidate(): void {
    this.#forms = undefined;
    this.#images = undefined;
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
