/**
 * Builders of Mastodon-shaped accounts and statuses, with the HTML Mastodon writes: paragraphs,
 * `<br>`, hashtag and mention links with nested spans, links shortened with invisible spans,
 * quote fallbacks, reblog wrappers.
 */
import type {
  MastodonAccount,
  MastodonEmoji,
  MastodonMediaAttachment,
  MastodonStatus,
} from '../../server/sources/mastodon/api-types.js';
import { hashtagKey } from '../../server/sources/mastodon/content.js';

/** The domain of the fake instance's own accounts. */
export const FAKE_DOMAIN = 'ville.social';

/** Mastodon ids: ms since the epoch shifted left by 16 bits, plus a sequence. */
export function mastodonIdAt(ms: number, sequence = 0): string {
  return ((BigInt(Math.floor(ms)) << 16n) + BigInt(sequence)).toString();
}

/** When a Mastodon id was minted (ms since the epoch). */
export function mastodonIdTime(id: string): number {
  return Number(BigInt(id) >> 16n);
}

let lastMs = Date.parse('2026-10-10T07:00:00.000Z');

/** A fresh, increasing id, one second after the previous one. */
export function fakeMastodonId(): string {
  lastMs += 1000;
  return mastodonIdAt(lastMs);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface FakeAccountInput extends Partial<MastodonAccount> {
  username: string;
  /** The account's server; absent: the fake instance's own. */
  domain?: string;
}

export function fakeAccount(input: FakeAccountInput): MastodonAccount {
  const { domain, ...rest } = input;
  const server = domain ?? FAKE_DOMAIN;
  return {
    id: fakeMastodonId(),
    acct: domain ? `${input.username}@${domain}` : input.username,
    display_name: input.username,
    url: `https://${server}/@${input.username}`,
    avatar: `https://files.${server}/avatars/${input.username}.gif`,
    avatar_static: `https://files.${server}/avatars/${input.username}.png`,
    created_at: '2024-01-15T00:00:00.000Z',
    emojis: [],
    bot: false,
    ...rest,
  };
}

/** A link as Mastodon shortens it: scheme and `www.` invisible, 30 characters shown, the rest invisible. */
export function shortLink(url: string): string {
  const [, prefix = '', rest = ''] = /^(https?:\/\/(?:www\.)?)(.*)$/.exec(url) ?? [];
  const shown =
    rest.length > 30
      ? `<span class="ellipsis">${escapeHtml(rest.slice(0, 30))}</span>`
      : `<span class="">${escapeHtml(rest)}</span>`;
  const hidden = rest.length > 30 ? escapeHtml(rest.slice(30)) : '';
  return `<a href="${escapeHtml(url)}" target="_blank" rel="nofollow noopener noreferrer" translate="no"><span class="invisible">${escapeHtml(prefix)}</span>${shown}<span class="invisible">${hidden}</span></a>`;
}

export function hashtagLink(tag: string, server = FAKE_DOMAIN): string {
  return `<a href="https://${server}/tags/${encodeURIComponent(tag)}" class="mention hashtag" rel="tag">#<span>${escapeHtml(tag)}</span></a>`;
}

export function mentionLink(account: MastodonAccount): string {
  return `<span class="h-card" translate="no"><a href="${escapeHtml(account.url ?? '')}" class="u-url mention">@<span>${escapeHtml(account.username)}</span></a></span>`;
}

export interface FakeStatusInput {
  account: MastodonAccount;
  id?: string;
  createdAt?: string;
  /**
   * Plain text turned into Mastodon's HTML: blank lines split paragraphs, newlines become `<br>`,
   * `#tags`, `@user` / `@user@domain` (from `mentions`) and URLs become links.
   */
  text?: string;
  /** Raw HTML instead of `text` (tags and mentions are then given, not found). */
  content?: string;
  tags?: string[];
  mentions?: MastodonAccount[];
  visibility?: MastodonStatus['visibility'];
  spoilerText?: string;
  sensitive?: boolean;
  language?: string | null;
  media?: Partial<MastodonMediaAttachment>[];
  emojis?: MastodonEmoji[];
  replyTo?: MastodonStatus;
  reblogOf?: MastodonStatus;
  quoteOf?: { status: MastodonStatus; state?: string };
  editedAt?: string;
}

const TOKEN =
  /(https?:\/\/[^\s<]+)|(?<![\p{L}\p{N}_])#([\p{L}\p{N}_]+)|(?<![\p{L}\p{N}_])@([A-Za-z0-9_]+(?:@[A-Za-z0-9.-]+)?)/gu;

/** Mastodon's HTML for plain text, and the tags and mentions it found. */
export function statusHtml(text: string, known: MastodonAccount[] = []) {
  const tags: string[] = [];
  const mentions: MastodonAccount[] = [];
  function renderLine(raw: string): string {
    let html = '';
    let cursor = 0;
    for (const m of raw.matchAll(TOKEN)) {
      html += escapeHtml(raw.slice(cursor, m.index));
      cursor = m.index + m[0].length;
      if (m[1]) html += shortLink(m[1]);
      else if (m[2]) {
        tags.push(m[2]);
        html += hashtagLink(m[2]);
      } else {
        const account = known.find((a) => a.acct === m[3] || a.username === m[3]);
        if (account) {
          mentions.push(account);
          html += mentionLink(account);
        } else html += escapeHtml(m[0]);
      }
    }
    return html + escapeHtml(raw.slice(cursor));
  }
  const html = text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.split('\n').map(renderLine).join('<br />')}</p>`)
    .join('');
  return { html, tags, mentions };
}

export function fakeMedia(input: Partial<MastodonMediaAttachment> = {}): MastodonMediaAttachment {
  const id = input.id ?? fakeMastodonId();
  const type = input.type ?? 'image';
  const ext = type === 'image' ? 'jpg' : 'mp4';
  return {
    id,
    type,
    url: `https://files.${FAKE_DOMAIN}/media_attachments/${id}/original.${ext}`,
    preview_url: `https://files.${FAKE_DOMAIN}/media_attachments/${id}/small.jpg`,
    remote_url: null,
    description: 'Photo du marché de Noël',
    meta: { original: { width: 1200, height: 800 }, small: { width: 600, height: 400 } },
    ...input,
  };
}

/** A Mastodon-shaped status; a reblog is a wrapper around the original, as Mastodon sends it. */
export function fakeStatus(input: FakeStatusInput): MastodonStatus {
  const id = input.id ?? fakeMastodonId();
  const createdAt = input.createdAt ?? new Date(mastodonIdTime(id)).toISOString();
  const base = {
    id,
    created_at: createdAt,
    account: input.account,
    visibility: input.visibility ?? 'public',
    language: input.language === undefined ? 'fr' : input.language,
    edited_at: input.editedAt ?? null,
    emojis: input.emojis ?? [],
  };
  if (input.reblogOf) {
    const uri = `https://${FAKE_DOMAIN}/users/${input.account.username}/statuses/${id}/activity`;
    return {
      ...base,
      uri,
      url: null,
      content: '',
      spoiler_text: '',
      sensitive: false,
      in_reply_to_id: null,
      in_reply_to_account_id: null,
      reblog: input.reblogOf,
      quote: null,
      media_attachments: [],
      mentions: [],
      tags: [],
    };
  }
  const built = input.content !== undefined ? undefined : statusHtml(input.text ?? '', input.mentions);
  let content = input.content ?? built!.html;
  if (input.quoteOf) {
    const url = input.quoteOf.status.url ?? '';
    content = `<p class="quote-inline">RE: ${shortLink(url)}</p>${content}`;
  }
  const tags = input.tags ?? built?.tags ?? [];
  const mentions = input.mentions ?? built?.mentions ?? [];
  const server = input.account.acct.split('@')[1] ?? FAKE_DOMAIN;
  const state = input.quoteOf?.state ?? 'accepted';
  return {
    ...base,
    uri: `https://${server}/users/${input.account.username}/statuses/${id}`,
    url: `https://${server}/@${input.account.username}/${id}`,
    content,
    spoiler_text: input.spoilerText ?? '',
    sensitive: input.sensitive ?? Boolean(input.spoilerText),
    in_reply_to_id: input.replyTo?.id ?? null,
    in_reply_to_account_id: input.replyTo?.account.id ?? null,
    reblog: null,
    quote: input.quoteOf ? { state, quoted_status: state === 'accepted' ? input.quoteOf.status : null } : null,
    media_attachments: (input.media ?? []).map((m) => fakeMedia(m)),
    mentions: mentions.map((a) => ({ id: a.id, username: a.username, acct: a.acct, url: a.url ?? '' })),
    tags: tags.map((name) => ({ name: hashtagKey(name), url: `https://${FAKE_DOMAIN}/tags/${hashtagKey(name)}` })),
  };
}
