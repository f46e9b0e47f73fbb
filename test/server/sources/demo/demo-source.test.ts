/** Tests for the demo source: release schedule, cursor, ids across loops, media on disk, and contract-valid posts. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import type { Post } from '../../../../server/contract.js';
import type { Clock } from '../../../../server/clock.js';
import { feedSchema } from '../../../../server/config.js';
import { memoryLogger } from '../../../../server/log.js';
import type { SourceContext, SourceState } from '../../../../server/sources/source.js';
import { createDemoSource, type DemoSourceOptions } from '../../../../server/sources/demo/demo-source.js';
import { avatarFile, type DemoAuthor, DEMO_AUTHORS, DEMO_MEDIA } from '../../../../server/sources/demo/cast.js';
import { DEMO_SCRIPT } from '../../../../server/sources/demo/replay.js';

const PUBLIC_URL = 'https://feed.example.fr';
const START = Date.parse('2026-10-17T10:00:00.000Z');
const MEDIA_DIR = fileURLToPath(new URL('../../../../demo/media/', import.meta.url));

function fakeClock(at = START): Clock & { advance(ms: number): void } {
  let now = at;
  return {
    now: () => now,
    setTimeout: () => 0,
    clearTimeout: () => {},
    advance(ms) {
      now += ms;
    },
  };
}

function mapState(): SourceState {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    set: (key, value) => void values.set(key, value),
  };
}

function setup(options: Partial<DemoSourceOptions> = {}, feed: Record<string, unknown> = {}) {
  const clock = fakeClock();
  const log = memoryLogger();
  const settings = feedSchema.parse({ id: 'saint-etienne', title: 'Fête du livre', ...feed });
  const context: SourceContext = {
    feed: settings,
    source: settings.sources[0]!,
    state: mapState(),
    sharedState: mapState(),
    clock,
    log,
    displayedIds: () => [],
  };
  const source = createDemoSource(context, { publicUrl: PUBLIC_URL, ...options });
  return { source, clock, log };
}

const signal = new AbortController().signal;

function expectAbsolute(url: string) {
  expect(url).toMatch(/^https?:\/\//);
  expect(() => new URL(url)).not.toThrow();
}

/** Handles as each network writes them, without the first "@". */
const HANDLES: Record<string, RegExp> = {
  x: /^[A-Za-z0-9_]{1,15}$/,
  mastodon: /^[A-Za-z0-9_]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/,
  bluesky: /^[a-z0-9-]+(\.[a-z0-9-]+)+$/,
};

function expectValidPost(post: Post) {
  expect(post.id).toMatch(/^demo-\d+$/);
  expect(['x', 'mastodon', 'bluesky']).toContain(post.source);
  expectAbsolute(post.url);
  expect(new Date(post.createdAt).toISOString()).toBe(post.createdAt);
  expect(post.text.trim()).not.toBe('');
  expect(post.lang).toMatch(/^(fr|en)$/);
  for (const author of [post.author, ...(post.repostedBy ? [post.repostedBy] : [])]) {
    expect(author.name).not.toBe('');
    expect(author.handle).toMatch(HANDLES[post.source]!);
    expectAbsolute(author.avatarUrl);
    expectAbsolute(author.profileUrl);
  }
  const { hashtags, mentions, links } = post.entities;
  for (const h of hashtags) {
    expect(post.text.slice(h.start, h.end)).toBe(`#${h.tag}`);
    expectAbsolute(h.url);
  }
  for (const m of mentions) {
    expect(post.text.slice(m.start, m.end)).toBe(`@${m.handle}`);
    expect(m.handle).toMatch(HANDLES[post.source]!);
    expectAbsolute(m.url);
  }
  for (const l of links) {
    expect(post.text.slice(l.start, l.end)).toBe(l.href);
    expectAbsolute(l.href);
    expect(l.display).not.toBe('');
  }
  for (const m of post.media) {
    expect(m.kind).toBe('photo');
    expectAbsolute(m.url);
    expectAbsolute(m.previewUrl);
    expect(typeof m.alt).toBe('string');
    expect(m.width).toBeGreaterThan(0);
    expect(m.height).toBeGreaterThan(0);
  }
  if (post.contentWarning !== undefined) expect(post.contentWarning.trim()).not.toBe('');
  if (post.quoted) expectValidPost(post.quoted);
}

describe('the demo script', () => {
  it('has 52 posts, 10 of them with photos that all have a size', () => {
    expect(DEMO_SCRIPT.length).toBe(52);
    const withPhotos = DEMO_SCRIPT.filter((p) => p.media.length > 0);
    expect(withPhotos.length).toBeGreaterThanOrEqual(10);
    for (const p of withPhotos) {
      for (const key of p.media) {
        expect(DEMO_MEDIA[key].width).toBeGreaterThan(0);
        expect(DEMO_MEDIA[key].height).toBeGreaterThan(0);
      }
    }
  });

  it('covers the cases the wall must render', () => {
    const alts = DEMO_SCRIPT.flatMap((p) => p.media.map((k) => DEMO_MEDIA[k].alt));
    expect(alts.filter((a) => a.length >= 40).length).toBeGreaterThanOrEqual(10);
    expect(alts).toContain('');
    expect(DEMO_SCRIPT.some((p) => p.media.length >= 2 && p.media.length <= 4)).toBe(true);
    expect(DEMO_SCRIPT.some((p) => p.repostedBy)).toBe(true);
    expect(DEMO_SCRIPT.some((p) => p.quotes)).toBe(true);
    expect(DEMO_SCRIPT.some((p) => p.text.length > 500)).toBe(true);
    expect(DEMO_SCRIPT.some((p) => p.lang === 'en')).toBe(true);
    expect(DEMO_SCRIPT.some((p) => /^@\w+ /.test(p.text))).toBe(true);
    expect(DEMO_SCRIPT.some((p) => /\u202f[!?;]/.test(p.text))).toBe(true);
    expect(DEMO_SCRIPT.some((p) => /10\u00a0h\u00a030/.test(p.text))).toBe(true);
    expect(DEMO_SCRIPT.some((p) => /40\u202f000/.test(p.text))).toBe(true);
    expect(DEMO_SCRIPT.some((p) => /« .* »/u.test(p.text + (p.contentWarning ?? '')))).toBe(false);
  });

  it('is a mixed wall: X, Mastodon and Bluesky accounts, the town on two networks, one content warning', () => {
    const networks = DEMO_SCRIPT.map((p) => DEMO_AUTHORS[p.author].network);
    const count = (network: string) => networks.filter((n) => n === network).length;
    expect([count('x'), count('mastodon'), count('bluesky')]).toEqual([33, 10, 9]);
    // The first wall a visitor sees already mixes the three.
    expect(new Set(networks.slice(0, 8))).toEqual(new Set(['x', 'mastodon', 'bluesky']));
    const town = DEMO_SCRIPT.filter((p) => DEMO_AUTHORS[p.author].name.startsWith('Ville de Saint-Étienne'));
    expect(new Set(town.map((p) => DEMO_AUTHORS[p.author].network))).toEqual(new Set(['x', 'mastodon']));
    const warned = DEMO_SCRIPT.filter((p) => p.contentWarning);
    expect(warned.map((p) => [DEMO_AUTHORS[p.author].network, p.contentWarning])).toEqual([
      ['mastodon', 'Divulgâcheur\u00a0: la fin de «\u00a0La Ligne des crêts\u00a0»'],
    ]);
    // A repost or a quote stays on one network.
    for (const p of DEMO_SCRIPT) {
      if (p.repostedBy) expect(DEMO_AUTHORS[p.repostedBy].network).toBe(DEMO_AUTHORS[p.author].network);
    }
    // Mastodon and Bluesky posts with pictures, all described.
    for (const network of ['mastodon', 'bluesky']) {
      const alts = DEMO_SCRIPT.filter((p) => DEMO_AUTHORS[p.author].network === network).flatMap((p) =>
        p.media.map((k) => DEMO_MEDIA[k].alt),
      );
      expect(alts.length, network).toBeGreaterThan(0);
      expect(alts.every((alt) => alt.length >= 40)).toBe(true);
    }
  });

  it('ships every picture and every avatar it refers to, as small SVG without scripts or outside references', () => {
    const files = new Set([
      ...Object.values(DEMO_MEDIA).map((m) => m.file),
      ...Object.values(DEMO_AUTHORS).map((a: DemoAuthor) => avatarFile(a)),
    ]);
    for (const file of files) {
      const path = MEDIA_DIR + file;
      expect(existsSync(path), file).toBe(true);
      const svg = readFileSync(path, 'utf8');
      expect(svg.length, file).toBeLessThan(6 * 1024);
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg).not.toMatch(/<script|\bon\w+=|href=|url\((?!#)|@import/i);
    }
    for (const m of Object.values(DEMO_MEDIA)) {
      const svg = readFileSync(MEDIA_DIR + m.file, 'utf8');
      expect(svg, m.file).toContain(`viewBox="0 0 ${m.width} ${m.height}"`);
    }
  });
});

describe('createDemoSource', () => {
  it('releases 8 backdated posts on the first poll, oldest first and the last one dated now', async () => {
    const { source } = setup();
    const first = await source.poll(null, signal);
    expect(source.kind).toBe('demo');
    expect(first.posts.map((p) => p.id)).toEqual([
      'demo-0',
      'demo-1',
      'demo-2',
      'demo-3',
      'demo-4',
      'demo-5',
      'demo-6',
      'demo-7',
    ]);
    expect(first.posts.map((p) => Date.parse(p.createdAt))).toEqual(
      [...Array(8).keys()].map((i) => START - (7 - i) * 5000),
    );
    expect(first.removals).toEqual([]);
    expect(JSON.parse(first.cursor!)).toEqual({ n: 8, at: START });
  });

  it('then releases exactly one post per poll, dated now, at the feed pace', async () => {
    const { source, clock } = setup({ initialCount: 3 }, { paceSeconds: 2 });
    const first = await source.poll(null, signal);
    expect(first.posts).toHaveLength(3);
    expect(Date.parse(first.posts[0]!.createdAt)).toBe(START - 4000);
    clock.advance(2000);
    const next = await source.poll(first.cursor, signal);
    expect(next.posts.map((p) => p.id)).toEqual(['demo-3']);
    expect(next.posts[0]!.createdAt).toBe(new Date(START + 2000).toISOString());
    expect(next.posts[0]!.text).toBe(DEMO_SCRIPT[3]!.text);
    expect(JSON.parse(next.cursor!)).toEqual({ n: 4, at: START + 2000 });
    clock.advance(1999);
    expect((await source.poll(next.cursor, signal)).posts).toEqual([]);
  });

  it('lets the options override the pace', async () => {
    const { source } = setup({ paceMs: 250, initialCount: 2 }, { paceSeconds: 9 });
    const times = (await source.poll(null, signal)).posts.map((p) => Date.parse(p.createdAt));
    expect(times).toEqual([START - 250, START]);
  });

  it('releases every post due since the last poll, each dated when it was due, when polled less often', async () => {
    const { source, clock } = setup({ initialCount: 1 });
    const first = await source.poll(null, signal);
    clock.advance(12_500);
    const late = await source.poll(first.cursor, signal);
    expect(late.posts.map((p) => p.id)).toEqual(['demo-1', 'demo-2']);
    expect(late.posts.map((p) => Date.parse(p.createdAt))).toEqual([START + 5000, START + 10_000]);
    clock.advance(2_500);
    expect((await source.poll(late.cursor, signal)).posts.map((p) => p.createdAt)).toEqual([
      new Date(START + 15_000).toISOString(),
    ]);
  });

  it('after a long pause, continues where it stopped with at most maxPerPoll posts, the latest due ones', async () => {
    const { source, clock } = setup({ initialCount: 1, maxPerPoll: 3 });
    const first = await source.poll(null, signal);
    clock.advance(3_600_000);
    const resumed = await source.poll(first.cursor, signal);
    expect(resumed.posts.map((p) => p.id)).toEqual(['demo-1', 'demo-2', 'demo-3']);
    expect(resumed.posts.at(-1)!.createdAt).toBe(new Date(START + 3_600_000).toISOString());
    expect(JSON.parse(resumed.cursor!)).toEqual({ n: 4, at: START + 3_600_000 });
  });

  it('reads a cursor stored before releases followed the clock: the next post, dated now', async () => {
    const { source } = setup();
    const result = await source.poll('{"n":8}', signal);
    expect(result.posts.map((p) => [p.id, p.createdAt])).toEqual([['demo-8', new Date(START).toISOString()]]);
    expect(JSON.parse(result.cursor!)).toEqual({ n: 9, at: START });
  });

  it('keeps ids unique over two full loops, with the script text and valid posts', async () => {
    const { source, clock } = setup();
    let result = await source.poll(null, signal);
    const posts = [...result.posts];
    while (posts.length < DEMO_SCRIPT.length * 2 + 5) {
      clock.advance(5000);
      result = await source.poll(result.cursor, signal);
      expect(result.posts).toHaveLength(1);
      posts.push(...result.posts);
    }
    expect(new Set(posts.map((p) => p.id)).size).toBe(posts.length);
    posts.forEach((post, n) => {
      expect(post.id).toBe(`demo-${n}`);
      expect(post.text).toBe(DEMO_SCRIPT[n % DEMO_SCRIPT.length]!.text);
      expectValidPost(post);
    });
    const times = posts.map((p) => Date.parse(p.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('continues where it stopped when restarted with a stored cursor', async () => {
    const a = setup();
    const first = await a.source.poll(null, signal);
    a.clock.advance(5000);
    const second = await a.source.poll(first.cursor, signal);

    const b = setup();
    b.clock.advance(5000);
    const resumed = await b.source.poll(first.cursor, signal);
    expect(resumed).toEqual(second);
    b.clock.advance(5000);
    expect((await b.source.poll(resumed.cursor, signal)).posts[0]!.id).toBe('demo-9');
  });

  it('starts over, with a warning, on a cursor it cannot read', async () => {
    const { source, log } = setup({ initialCount: 2 });
    const result = await source.poll('{"since_id":"123"}', signal);
    expect(result.posts.map((p) => p.id)).toEqual(['demo-0', 'demo-1']);
    expect(log.lines.join('\n')).toMatch(/warn demo\.cursor-unreadable/);
  });

  it('builds URLs on the public URL: permalink, profile, avatar, media, hashtag and mention links', async () => {
    const { source } = setup({ publicUrl: `${PUBLIC_URL}/`, initialCount: 1 });
    const [post] = (await source.poll(null, signal)).posts;
    expect(post!.url).toBe(`${PUBLIC_URL}/?post=demo-0`);
    expect(post!.author).toEqual({
      name: 'Ville de Saint-Étienne',
      handle: 'saint_etienne_',
      avatarUrl: `${PUBLIC_URL}/demo/media/avatars/saint_etienne_.svg`,
      profileUrl: `${PUBLIC_URL}/?account=saint_etienne_`,
    });
    expect(post!.media[0]).toMatchObject({
      url: `${PUBLIC_URL}/demo/media/chapiteau.svg`,
      previewUrl: `${PUBLIC_URL}/demo/media/chapiteau.svg`,
      width: 1200,
      height: 800,
    });
    expect(post!.entities.hashtags[0]!.url).toBe(`${PUBLIC_URL}/?hashtag=FeteDuLivre`);
    expect(post!.lang).toBe('fr');
  });

  it('shows a repost as the original post with who reposted it, and a quote with the quoted post', async () => {
    const repostAt = DEMO_SCRIPT.findIndex((p) => p.repostedBy);
    const quoteAt = DEMO_SCRIPT.findIndex((p) => p.quotes);
    const quotedAt = DEMO_SCRIPT.findIndex((p) => p.key === DEMO_SCRIPT[quoteAt]!.quotes);
    const { source } = setup({ initialCount: DEMO_SCRIPT.length });
    const { posts } = await source.poll(null, signal);

    const repost = posts[repostAt]!;
    const original = DEMO_SCRIPT[repostAt]!;
    expect(repost.id).toBe(`demo-${repostAt}`);
    expect(repost.author.handle).toBe(DEMO_AUTHORS[original.author].handle);
    expect(repost.repostedBy?.handle).toBe(DEMO_AUTHORS[original.repostedBy!].handle);

    const quote = posts[quoteAt]!;
    expect(quote.quoted).toEqual({ ...posts[quotedAt]!, quoted: undefined });
    expect(quote.quoted?.quoted).toBeUndefined();
  });

  it('refuses to poll once aborted', async () => {
    const { source } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(source.poll(null, controller.signal)).rejects.toThrow();
  });
});
