/**
 * Builders of Bluesky-shaped data for tests and the fake Bluesky: accounts, post records with
 * facets in UTF-8 bytes (computed with Buffer, not with the code under test), and the AppView's
 * views of them (embeds as `#view`s with CDN URLs), consistent with the raw record Jetstream carries.
 */
import { createHash } from 'node:crypto';
import type {
  BskyFacet,
  BskyLabel,
  BskyPostRecord,
  BskyPostView,
  BskyProfile,
  BskyEmbedView,
} from '../../server/sources/bluesky/lexicon.js';

const BASE32_SORTABLE = '234567abcdefghijklmnopqrstuvwxyz';

/** A did:plc derived from a handle (stable across runs). */
export function fakeDid(seed: string): string {
  const hash = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < 24; i++) out += 'abcdefghijklmnopqrstuvwxyz234567'[hash[i]! % 32];
  return `did:plc:${out}`;
}

let lastTidUs = 0;

/** A record key (TID): 13 sortable base32 characters from a time in microseconds, increasing. */
export function fakeTid(ms = Date.now()): string {
  const us = Math.max(Math.floor(ms * 1000), lastTidUs + 1);
  lastTidUs = us;
  let n = (BigInt(us) << 10n) | 7n;
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = BASE32_SORTABLE[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return out;
}

function fakeCid(seed: string): string {
  return 'bafyrei' + createHash('sha256').update(seed).digest('hex').slice(0, 45);
}

export function fakeActor(handle: string, input: Partial<BskyProfile> = {}): BskyProfile {
  const did = input.did ?? fakeDid(handle);
  return {
    did,
    handle,
    displayName: input.displayName ?? handle.split('.')[0]!,
    avatar: input.avatar ?? `https://cdn.bsky.app/img/avatar/plain/${did}/${fakeCid(handle)}@jpeg`,
    labels: input.labels ?? [],
    createdAt: input.createdAt ?? '2024-02-06T10:00:00.000Z',
  };
}

/** The account's own label asking not to be shown to logged-out viewers. */
export function noUnauthenticated(actor: BskyProfile): BskyLabel {
  return { src: actor.did, uri: `at://${actor.did}/app.bsky.actor.profile/self`, val: '!no-unauthenticated' };
}

/** A label from Bluesky's moderation service. */
export function moderationLabel(uri: string, val: string, neg = false): BskyLabel {
  return { src: 'did:plc:ar7c4by46qjdydhdevvrndac', uri, val, ...(neg ? { neg } : {}) };
}

/** The UTF-8 byte range of the `nth` occurrence of `fragment` in `text`. */
export function byteRange(text: string, fragment: string, nth = 0): { byteStart: number; byteEnd: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(fragment, at + 1);
    if (at < 0) throw new Error(`"${fragment}" not found in "${text}"`);
  }
  const byteStart = Buffer.byteLength(text.slice(0, at), 'utf8');
  return { byteStart, byteEnd: byteStart + Buffer.byteLength(fragment, 'utf8') };
}

export function tagFacet(text: string, written: string, tag = written.replace(/^#/, '')): BskyFacet {
  return { index: byteRange(text, written), features: [{ $type: 'app.bsky.richtext.facet#tag', tag }] };
}

export function linkFacet(text: string, written: string, uri: string): BskyFacet {
  return { index: byteRange(text, written), features: [{ $type: 'app.bsky.richtext.facet#link', uri }] };
}

export function mentionFacet(text: string, written: string, did: string): BskyFacet {
  return { index: byteRange(text, written), features: [{ $type: 'app.bsky.richtext.facet#mention', did }] };
}

/** Facets as Bluesky's client writes them for hashtags and full links in a text (an independent, simple detector). */
export function autoFacets(text: string): BskyFacet[] {
  const facets: BskyFacet[] = [];
  for (const m of text.matchAll(/(?<=^|\s)#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu)) {
    const byteStart = Buffer.byteLength(text.slice(0, m.index), 'utf8');
    const index = { byteStart, byteEnd: byteStart + Buffer.byteLength(m[0], 'utf8') };
    facets.push({ index, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: m[1]! }] });
  }
  for (const m of text.matchAll(/(?<=^|\s)https?:\/\/[^\s]+[^\s.,;:!?)]/g)) {
    const byteStart = Buffer.byteLength(text.slice(0, m.index), 'utf8');
    const index = { byteStart, byteEnd: byteStart + Buffer.byteLength(m[0], 'utf8') };
    facets.push({ index, features: [{ $type: 'app.bsky.richtext.facet#link', uri: m[0] }] });
  }
  return facets.sort((a, b) => a.index.byteStart - b.index.byteStart);
}

export interface FakeImage {
  alt?: string;
  aspectRatio?: { width: number; height: number };
}

export type FakeQuote = BskyPostView | 'notFound' | 'blocked' | 'detached';

export interface FakePostInput {
  author: BskyProfile;
  text?: string;
  /** Facets as written; by default those of `autoFacets(text)`. */
  facets?: BskyFacet[];
  rkey?: string;
  /** ISO 8601; by default the time of the record key. */
  createdAt?: string;
  indexedAt?: string;
  langs?: string[];
  replyTo?: BskyPostView;
  images?: FakeImage[];
  video?: FakeImage;
  external?: { uri: string; title?: string; description?: string };
  quote?: FakeQuote;
  /** Labels from labellers (the AppView adds the self-labels to them). */
  labels?: BskyLabel[];
  /** The author's own labels on the record (`porn`, `sexual`, `nudity`, `graphic-media`). */
  selfLabels?: string[];
  /** Outline tags (not in the text). */
  tags?: string[];
}

function blob(seed: string, mimeType: string) {
  return { $type: 'blob', ref: { $link: fakeCid(seed) }, mimeType, size: 123_456 };
}

const CDN = 'https://cdn.bsky.app/img';

/** The record and the view of a quote (`app.bsky.embed.record`), whatever became of the quoted post. */
function quoteParts(quote: FakeQuote, seed: string): { ref: unknown; view: BskyEmbedView } {
  const uri = typeof quote === 'string' ? `at://${fakeDid(seed)}/app.bsky.feed.post/${fakeTid()}` : quote.uri;
  const ref = { $type: 'app.bsky.embed.record', record: { uri, cid: fakeCid(uri) } };
  const record =
    quote === 'notFound'
      ? { $type: 'app.bsky.embed.record#viewNotFound', uri, notFound: true }
      : quote === 'blocked'
        ? { $type: 'app.bsky.embed.record#viewBlocked', uri, blocked: true, author: { did: fakeDid(seed) } }
        : quote === 'detached'
          ? { $type: 'app.bsky.embed.record#viewDetached', uri, detached: true }
          : {
              $type: 'app.bsky.embed.record#viewRecord',
              uri,
              cid: quote.cid,
              author: quote.author,
              value: quote.record,
              labels: quote.labels ?? [],
              indexedAt: quote.indexedAt,
              ...(quote.embed ? { embeds: [quote.embed] } : {}),
            };
  return { ref, view: { $type: 'app.bsky.embed.record#view', record } as BskyEmbedView };
}

/** The media part of an embed: raw (blob references) and as the AppView shows it. */
function mediaParts(
  input: FakePostInput,
  did: string,
  seed: string,
): { raw?: Record<string, unknown>; view?: BskyEmbedView } {
  if (input.images) {
    const images = input.images.map((image, i) => ({ ...image, cid: fakeCid(`${seed}/image/${i}`) }));
    return {
      raw: {
        $type: 'app.bsky.embed.images',
        images: images.map((i) => ({
          image: blob(`${seed}/image/${images.indexOf(i)}`, 'image/jpeg'),
          alt: i.alt ?? '',
          ...(i.aspectRatio ? { aspectRatio: i.aspectRatio } : {}),
        })),
      },
      view: {
        $type: 'app.bsky.embed.images#view',
        images: images.map((i) => ({
          thumb: `${CDN}/feed_thumbnail/plain/${did}/${i.cid}@jpeg`,
          fullsize: `${CDN}/feed_fullsize/plain/${did}/${i.cid}@jpeg`,
          alt: i.alt ?? '',
          ...(i.aspectRatio ? { aspectRatio: i.aspectRatio } : {}),
        })),
      },
    };
  }
  if (input.video) {
    const cid = fakeCid(`${seed}/video`);
    const ratio = input.video.aspectRatio ? { aspectRatio: input.video.aspectRatio } : {};
    return {
      raw: {
        $type: 'app.bsky.embed.video',
        video: blob(`${seed}/video`, 'video/mp4'),
        alt: input.video.alt ?? '',
        ...ratio,
      },
      view: {
        $type: 'app.bsky.embed.video#view',
        cid,
        playlist: `https://video.bsky.app/watch/${encodeURIComponent(did)}/${cid}/playlist.m3u8`,
        thumbnail: `https://video.bsky.app/watch/${encodeURIComponent(did)}/${cid}/thumbnail.jpg`,
        alt: input.video.alt ?? '',
        ...ratio,
      },
    };
  }
  if (input.external) {
    const external = { title: '', description: '', ...input.external };
    return {
      raw: { $type: 'app.bsky.embed.external', external: { ...external, thumb: blob(`${seed}/card`, 'image/jpeg') } },
      view: {
        $type: 'app.bsky.embed.external#view',
        external: { ...external, thumb: `${CDN}/feed_thumbnail/plain/${did}/${fakeCid(`${seed}/card`)}@jpeg` },
      },
    };
  }
  return {};
}

/** A post as the AppView shows it (`postView`), with its raw record as its author's client wrote it. */
export function fakePost(input: FakePostInput): BskyPostView {
  const did = input.author.did;
  const rkey = input.rkey ?? fakeTid();
  const uri = `at://${did}/app.bsky.feed.post/${rkey}`;
  const text = input.text ?? '';
  const createdAt = input.createdAt ?? new Date(Date.now()).toISOString();
  const record: BskyPostRecord = { $type: 'app.bsky.feed.post', text, createdAt, langs: input.langs ?? ['fr'] };
  const facets = input.facets ?? autoFacets(text);
  if (facets.length) record.facets = facets;
  if (input.replyTo) {
    const parent = { uri: input.replyTo.uri, cid: input.replyTo.cid ?? fakeCid(input.replyTo.uri) };
    record.reply = { root: parent, parent };
  }
  if (input.tags) record.tags = input.tags;
  if (input.selfLabels) {
    record.labels = { $type: 'com.atproto.label.defs#selfLabels', values: input.selfLabels.map((val) => ({ val })) };
  }
  const media = mediaParts(input, did, uri);
  const quote = input.quote ? quoteParts(input.quote, uri) : undefined;
  let embed: BskyEmbedView | undefined = media.view;
  if (quote && media.view) {
    record.embed = { $type: 'app.bsky.embed.recordWithMedia', record: quote.ref, media: media.raw };
    embed = { $type: 'app.bsky.embed.recordWithMedia#view', record: quote.view, media: media.view } as BskyEmbedView;
  } else if (quote) {
    record.embed = quote.ref as BskyPostRecord['embed'];
    embed = quote.view;
  } else if (media.raw) {
    record.embed = media.raw as BskyPostRecord['embed'];
  }
  const selfLabels = (input.selfLabels ?? []).map((val) => ({ src: did, uri, val }));
  const view: BskyPostView = {
    uri,
    cid: fakeCid(uri),
    author: input.author,
    record,
    labels: [...selfLabels, ...(input.labels ?? [])],
    indexedAt: input.indexedAt ?? createdAt,
  };
  if (embed) view.embed = embed;
  return view;
}
