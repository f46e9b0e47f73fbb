/**
 * The image proxy behind `/media/<host>/…`: fetches an allowed host's image
 * once, keeps it on disk (and the most recent in memory), and serves every
 * later visitor from there. Concurrent requests for one image share one fetch;
 * a failure is remembered for a while (per image, and per host when the whole
 * host fails), answered from memory with `Retry-After`, and logged once.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { strongEtag } from '../delivery/etag.js';
import type { BackoffPolicy } from '../pacing/backoff.js';
import { FailureMemory, type RememberedFailure } from '../pacing/failure-memory.js';
import { readAtMost } from '../read-at-most.js';
import { MEDIA_PREFIX } from './proxied-url.js';

export interface MediaProxyOptions {
  /** Folder of the disk cache. */
  dir: string;
  log: Logger;
  /**
   * Whether this server shows the image (a post on display refers to it: the
   * walls' and the archives'). Only such images are served, from the cache or
   * fetched: the proxy is not open to any image of the host, and the images of
   * a post that was hidden are not served any more.
   */
  isShown: (proxiedUrl: string) => boolean;
  /**
   * Whether `host` is one of the image hosts of the networks this server reads (each network's
   * `imageHosts`, and those a feed's settings add): no other host is ever fetched.
   */
  isImageHost: (host: string) => boolean;
  /** Where to fetch a host's images (tests point it at a local server); default `https://<host>`. */
  upstream?: (host: string) => string;
  /** Largest image accepted, in bytes. */
  maxBytes?: number;
  /** Upstream timeout, ms. */
  timeoutMs?: number;
  /** Images kept in memory. */
  memoryEntries?: number;
  /** Failed images remembered at most. */
  failureEntries?: number;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Jitter of the waits after failures (tests). */
  random?: () => number;
}

/** Who may see which images: visitors the images on display, organisers those of every stored post. */
export interface ImageScope {
  /** Whether `proxiedUrl` (`/media/<host>/…`) may be served to this audience. */
  allows(proxiedUrl: string): boolean;
  /** The 404 message for an image outside the scope. */
  refusal: string;
}

export interface CachedImage {
  type: string;
  bytes: Buffer;
  etag: string;
}

type MediaStatus = 400 | 404 | 413 | 429 | 502 | 504;

/** A failure to answer, with the HTTP status to give the visitor, and when to ask again. */
export class MediaError extends Error {
  constructor(
    readonly status: MediaStatus,
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}

/** A failure of the whole image host (unreachable, too slow, 5xx, 429): none of its images is asked for a while. */
class HostFailure extends MediaError {
  constructor(
    status: MediaStatus,
    message: string,
    /** What the log says (the network error), beyond what the visitor is told. */
    readonly detail: string,
  ) {
    super(status, message);
  }
}

/** Image hosts whose failures are remembered at most. */
const FAILED_HOSTS_REMEMBERED = 100;

/** Waits after a host-wide failure: 5 s doubling to 5 min. */
const HOST_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 300_000 };
/** Waits after an image's own failure (404, not an image, too large): 30 s doubling to 30 min. */
const IMAGE_BACKOFF: BackoffPolicy = { baseMs: 30_000, capMs: 1_800_000 };

/** A path of X's image host, with an optional simple query (`?format=jpg&name=small`). */
const IMAGE_PATH = /^\/[A-Za-z0-9_-][A-Za-z0-9_./-]{0,300}(\?[A-Za-z0-9_=&.-]{0,200})?$/;

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif']);

export class MediaProxy {
  readonly #dir: string;
  readonly #log: Logger;
  readonly #upstream: (host: string) => string;
  readonly #maxBytes: number;
  readonly #timeoutMs: number;
  readonly #memoryEntries: number;
  readonly #fetch: typeof fetch;
  readonly #public: ImageScope;
  readonly #isImageHost: (host: string) => boolean;
  readonly #memory = new Map<string, CachedImage>();
  readonly #inFlight = new Map<string, Promise<CachedImage>>();
  readonly #failedHosts: FailureMemory<MediaStatus>;
  readonly #failedImages: FailureMemory<MediaStatus>;

  constructor(options: MediaProxyOptions) {
    this.#dir = options.dir;
    mkdirSync(this.#dir, { recursive: true });
    this.#log = options.log;
    this.#upstream = options.upstream ?? ((host) => `https://${host}`);
    this.#maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#memoryEntries = options.memoryEntries ?? 200;
    this.#fetch = options.fetch ?? fetch;
    this.#public = { allows: options.isShown, refusal: 'no post on display shows this image' };
    this.#isImageHost = options.isImageHost;
    const clock = options.clock ?? systemClock;
    const random = options.random;
    this.#failedHosts = new FailureMemory({ policy: HOST_BACKOFF, clock, random, maxEntries: FAILED_HOSTS_REMEMBERED });
    this.#failedImages = new FailureMemory({
      policy: IMAGE_BACKOFF,
      clock,
      random,
      maxEntries: options.failureEntries ?? 1000,
    });
  }

  /**
   * The image at `pathAndQuery` on `host`, from memory, disk or (once) upstream, if `scope` (by
   * default, the posts on display) allows it: asked on every call, cached or not, so that an image
   * an organiser opened, or one of a post hidden since, is not served to visitors from the cache.
   */
  async get(
    host: string,
    pathAndQuery: string,
    scope: ImageScope = this.#public,
    admit?: () => { ok: true } | { ok: false; retryAfterS: number },
  ): Promise<CachedImage> {
    if (!this.#isImageHost(host)) throw new MediaError(404, `images from ${host} are not served here`);
    if (!IMAGE_PATH.test(pathAndQuery)) throw new MediaError(400, 'malformed image path');
    if (!scope.allows(`${MEDIA_PREFIX}${host}${pathAndQuery}`)) throw new MediaError(404, scope.refusal);
    const key = createHash('sha256').update(`${host}${pathAndQuery}`).digest('hex');
    const hit = this.#memory.get(key);
    if (hit) {
      this.#memory.delete(key);
      this.#memory.set(key, hit);
      return hit;
    }
    const failed = this.#failedImages.current(key);
    if (failed) throw this.#fromMemory(this.#failedImages, failed);
    let pending = this.#inFlight.get(key);
    if (!pending) {
      const admitted = admit?.();
      if (admitted && !admitted.ok) {
        throw new MediaError(429, 'too many new images from your network, try again shortly', admitted.retryAfterS);
      }
      pending = this.#load(key, host, pathAndQuery).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    const image = await pending;
    this.#remember(key, image);
    return image;
  }

  /**
   * Deletes cached images fetched before `beforeMs` (retention), except those `keep` still needs
   * (an archive's posts are kept longer); returns how many.
   */
  async prune(beforeMs: number, keep: (proxiedUrl: string) => boolean = () => false): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.#dir)) {
      const file = path.join(this.#dir, name);
      try {
        if ((await stat(file)).mtimeMs >= beforeMs) continue;
        if (await this.#kept(name, keep)) continue;
        await unlink(file);
        if (!name.includes('.')) removed++;
        this.#memory.delete(name);
      } catch {
        // Gone meanwhile: nothing to do.
      }
    }
    return removed;
  }

  /** Whether the cache entry `name` (an image or its metadata) is an image that `keep` still needs. */
  async #kept(name: string, keep: (proxiedUrl: string) => boolean): Promise<boolean> {
    const key = name.split('.')[0]!;
    try {
      const { source } = JSON.parse(await readFile(path.join(this.#dir, `${key}.json`), 'utf8')) as { source?: string };
      return typeof source === 'string' && keep(`${MEDIA_PREFIX}${source}`);
    } catch {
      return false;
    }
  }

  #remember(key: string, image: CachedImage): void {
    this.#memory.set(key, image);
    if (this.#memory.size > this.#memoryEntries) this.#memory.delete(this.#memory.keys().next().value!);
  }

  async #load(key: string, host: string, pathAndQuery: string): Promise<CachedImage> {
    const file = path.join(this.#dir, key);
    try {
      const [bytes, meta] = await Promise.all([readFile(file), readFile(`${file}.json`, 'utf8')]);
      const { type } = JSON.parse(meta) as { type: string };
      return { type, bytes, etag: strongEtag(bytes) };
    } catch {
      // Not cached yet (or a half-written entry): fetch it.
    }
    const image = await this.#fetchRemembering(key, host, pathAndQuery);
    // Write to a temporary name first, so that a crash never leaves half an image under the real one.
    await writeFile(`${file}.json`, JSON.stringify({ type: image.type, source: `${host}${pathAndQuery}` }));
    await writeFile(`${file}.tmp`, image.bytes);
    await rename(`${file}.tmp`, file);
    return image;
  }

  /** Downloads an image unless its host or itself failed lately; remembers and logs (once) what fails. */
  async #fetchRemembering(key: string, host: string, pathAndQuery: string): Promise<CachedImage> {
    const hostDown = this.#failedHosts.current(host);
    if (hostDown) throw this.#fromMemory(this.#failedHosts, hostDown);
    let image: CachedImage;
    try {
      image = await this.#download(host, pathAndQuery);
    } catch (err) {
      if (!(err instanceof MediaError)) throw err;
      const { status, message } = err;
      if (err instanceof HostFailure) {
        const { entry, isNew } = this.#failedHosts.fail(host, { status, message });
        const retryInS = this.#failedHosts.retryAfterS(entry);
        if (isNew) this.#log.warn('media.fetch_failed', { host, error: err.detail, retryInS });
        throw this.#fromMemory(this.#failedHosts, entry);
      }
      const { entry, isNew } = this.#failedImages.fail(key, { status, message });
      if (isNew && status !== 404) this.#log.warn('media.image_failed', { host, path: pathAndQuery, error: message });
      throw this.#fromMemory(this.#failedImages, entry);
    }
    const recovered = this.#failedHosts.succeed(host);
    if (recovered) this.#log.info('media.host_recovered', { host, after: recovered.failures });
    this.#failedImages.succeed(key);
    return image;
  }

  #fromMemory(memory: FailureMemory<MediaStatus>, failure: RememberedFailure<MediaStatus>): MediaError {
    return new MediaError(failure.status, failure.message, memory.retryAfterS(failure));
  }

  async #download(host: string, pathAndQuery: string): Promise<CachedImage> {
    const url = `${this.#upstream(host)}${pathAndQuery}`;
    let res: Response;
    try {
      res = await this.#fetch(url, { signal: AbortSignal.timeout(this.#timeoutMs), redirect: 'error' });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      const cause = (err as Error).cause as { code?: string } | undefined;
      throw new HostFailure(
        timedOut ? 504 : 502,
        timedOut ? 'the image host did not answer in time' : 'the image host could not be reached',
        cause?.code ? `${(err as Error).message} (${cause.code})` : (err as Error).message,
      );
    }
    if (!res.ok) {
      await res.body?.cancel();
      if (res.status === 404 || res.status === 410) throw new MediaError(404, 'no such image');
      const message = `the image host answered ${res.status}`;
      if (res.status >= 500 || res.status === 429) throw new HostFailure(502, message, message);
      throw new MediaError(502, message);
    }
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!IMAGE_TYPES.has(type)) throw new MediaError(502, 'the image host did not answer with an image');
    const bytes = await readAtMost(res, this.#maxBytes, () => new MediaError(413, 'the image is too large'));
    return { type, bytes, etag: strongEtag(bytes) };
  }
}
