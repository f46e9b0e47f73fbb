/**
 * Which images visitors fetch through this server instead of from the network that hosts them:
 * the network's image hosts see no visitor, and the page needs no third-party `img-src`. Which
 * hosts are proxied is each network's data (`NetworkPolicy.imageHosts`); the engine rewrites the
 * posts of every network where they enter the store. Pure functions: a URL in, a server-relative URL out.
 */
import type { Author, Media, Post } from '../contract.js';

export const MEDIA_PREFIX = '/media/';

/**
 * `https://pbs.twimg.com/media/a.jpg?name=large` → `/media/pbs.twimg.com/media/a.jpg?name=large`
 * when `pbs.twimg.com` is one of `hosts`; other URLs (other hosts, not https, a port) unchanged.
 */
export function proxiedMediaUrl(url: string, hosts: ReadonlySet<string>): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.protocol !== 'https:' || !hosts.has(parsed.hostname) || parsed.port !== '') return url;
  return `${MEDIA_PREFIX}${parsed.hostname}${parsed.pathname}${parsed.search}`;
}

/** The post with its avatars and images on `hosts` served through this server. */
export function withProxiedMedia(post: Post, hosts: ReadonlySet<string>): Post {
  if (hosts.size === 0) return post;
  const author = (a: Author): Author => ({ ...a, avatarUrl: proxiedMediaUrl(a.avatarUrl, hosts) });
  // A video's own file is only linked to, never loaded by the page: only its preview is proxied.
  const media = (m: Media): Media => ({
    ...m,
    previewUrl: proxiedMediaUrl(m.previewUrl, hosts),
    url: m.kind === 'photo' ? proxiedMediaUrl(m.url, hosts) : m.url,
  });
  const out: Post = { ...post, author: author(post.author), media: post.media.map(media) };
  if (post.repostedBy) out.repostedBy = author(post.repostedBy);
  if (post.quoted) out.quoted = withProxiedMedia(post.quoted, hosts);
  return out;
}

/** Every image URL a post shows: avatars (the author's, the reposter's), photos and previews, and the quoted post's. */
export function postImageUrls(post: Post, into: Set<string> = new Set()): Set<string> {
  if (post.author.avatarUrl) into.add(post.author.avatarUrl);
  if (post.repostedBy?.avatarUrl) into.add(post.repostedBy.avatarUrl);
  for (const m of post.media) {
    if (m.previewUrl) into.add(m.previewUrl);
    if (m.url) into.add(m.url);
  }
  if (post.quoted) postImageUrls(post.quoted, into);
  return into;
}
