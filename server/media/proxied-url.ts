/**
 * Which images visitors fetch through this server instead of from the network
 * that hosts them: X's image host sees no visitor, and the page needs no
 * third-party `img-src`. Pure functions: a URL in, a server-relative URL out.
 */
import type { Author, Media, Post } from '../contract.js';

/** Image hosts served through `/media/<host>/…`. */
export const PROXIED_HOSTS: ReadonlySet<string> = new Set(['pbs.twimg.com']);

export const MEDIA_PREFIX = '/media/';

/** `https://pbs.twimg.com/media/a.jpg?name=large` → `/media/pbs.twimg.com/media/a.jpg?name=large`; other URLs unchanged. */
export function proxiedMediaUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.protocol !== 'https:' || !PROXIED_HOSTS.has(parsed.hostname) || parsed.port !== '') return url;
  return `${MEDIA_PREFIX}${parsed.hostname}${parsed.pathname}${parsed.search}`;
}

function proxiedAuthor(author: Author): Author {
  return { ...author, avatarUrl: proxiedMediaUrl(author.avatarUrl) };
}

function proxiedMedia(media: Media): Media {
  // A video's own file is only linked to, never loaded by the page: only its preview is proxied.
  return {
    ...media,
    previewUrl: proxiedMediaUrl(media.previewUrl),
    url: media.kind === 'photo' ? proxiedMediaUrl(media.url) : media.url,
  };
}

/** The post with its avatars and images served through this server. */
export function withProxiedMedia(post: Post): Post {
  const out: Post = { ...post, author: proxiedAuthor(post.author), media: post.media.map(proxiedMedia) };
  if (post.repostedBy) out.repostedBy = proxiedAuthor(post.repostedBy);
  if (post.quoted) out.quoted = withProxiedMedia(post.quoted);
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
