/**
 * One post of the live queue: where it stands and why, the post itself as the
 * wall shows it (the widget's own post view), and its one-tap actions, large
 * and at the bottom of the card, where a thumb reaches.
 */
import { css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { Author, Post } from '../../server/contract.js';
import { MEDIA_PREFIX } from '../../server/media/proxied-url.js';
import { messagesFor } from '../i18n.js';
import { renderPost } from '../post-view.js';
import type { DecisionAction, QueueItem } from './api-types.js';
import { ADMIN_API } from './api.js';
import { formatWhen } from './i18n.js';
import type { ConsoleMessages, Locale } from './i18n.js';

/** Organisers see every stored image, held posts' included, through the admin media route. */
export function adminMediaUrl(url: string): string {
  if (url.startsWith(MEDIA_PREFIX)) return `${ADMIN_API}${url}`;
  try {
    const parsed = new URL(url);
    if (parsed.origin === location.origin && parsed.pathname.startsWith(MEDIA_PREFIX)) {
      return `${ADMIN_API}${parsed.pathname}${parsed.search}`;
    }
  } catch {
    // Not an absolute URL: left as it is.
  }
  return url;
}

function adminAuthor(author: Author): Author {
  return { ...author, avatarUrl: adminMediaUrl(author.avatarUrl) };
}

/** The post with its images read through `/api/admin/media/…`. */
export function withAdminMedia(post: Post): Post {
  const out: Post = {
    ...post,
    author: adminAuthor(post.author),
    media: post.media.map((media) => ({
      ...media,
      url: adminMediaUrl(media.url),
      previewUrl: adminMediaUrl(media.previewUrl),
    })),
  };
  if (post.repostedBy) out.repostedBy = adminAuthor(post.repostedBy);
  if (post.quoted) out.quoted = withAdminMedia(post.quoted);
  return out;
}

/** The actions that make sense for a post where it stands. */
export function actionsFor(item: QueueItem): DecisionAction[] {
  const pinned = item.post.pinnedAt !== undefined;
  switch (item.visibility) {
    case 'held':
      return ['approve', 'hide'];
    case 'shown':
      return ['hide', pinned ? 'unpin' : 'pin'];
    case 'hidden':
      return ['unhide'];
    default:
      return [];
  }
}

/** Why a post stands where it does, in the organiser's words. */
export function reasonText(reason: string | null, messages: ConsoleMessages): string {
  if (!reason) return '';
  const [code, ...rest] = reason.split(':');
  const detail = rest.join(':');
  const reasons = messages.reasons as Record<string, string>;
  if (code === 'blocked-term') return messages.blockedTermReason(detail);
  return reasons[code!] ?? reason;
}

export interface QueueCardContext {
  locale: Locale;
  messages: ConsoleMessages;
  now: number;
  /** The post whose action is on its way: its buttons wait. */
  busy: boolean;
  isRevealed: (postId: string) => boolean;
  onReveal: (postId: string) => void;
  onAction: (item: QueueItem, action: DecisionAction) => void;
}

function statusLine(item: QueueItem, context: QueueCardContext): TemplateResult {
  const { messages, locale } = context;
  const reason = reasonText(item.reason, messages);
  const decided =
    item.decidedBy && item.decidedAt
      ? messages.decidedBy(item.decidedBy, formatWhen(item.decidedAt, locale, context.now))
      : '';
  return html`<p class="status">
    <span class="badge ${item.visibility}">${messages.visibility[item.visibility]}</span>
    ${item.post.pinnedAt ? html`<span class="badge pinned">${messages.pinnedBadge}</span>` : nothing}
    ${reason ? html`<span class="reason">${reason}</span>` : nothing}
    ${decided ? html`<span class="decided">${decided}</span>` : nothing}
  </p>`;
}

export function renderQueueCard(item: QueueItem, context: QueueCardContext): TemplateResult {
  const { messages, locale } = context;
  const post = withAdminMedia(item.post);
  const author = post.author.name || `@${post.author.handle}`;
  return html`<li class="card item ${item.visibility}" data-post-id=${post.id}>
    ${statusLine(item, context)}
    ${renderPost(post, {
      locale,
      messages: messagesFor(locale),
      now: context.now,
      // Stored URLs are relative to this server (`/media/…`, the demo's pictures).
      baseUrl: `${location.origin}/`,
      isRevealed: context.isRevealed,
      onReveal: context.onReveal,
      // Organisers judge what a content warning covers: they see the warning and the post.
      isOpen: () => true,
    })}
    <div class="actions">
      ${actionsFor(item).map(
        (action) => html`<button
          type="button"
          class=${action === 'hide' ? 'danger' : action === 'approve' || action === 'unhide' ? 'primary' : ''}
          data-action=${action}
          ?disabled=${context.busy}
          @click=${() => context.onAction(item, action)}
        >
          ${messages.actions[action]}<span class="visually-hidden"> ${messages.postBy(author)}</span>
        </button>`,
      )}
    </div>
  </li>`;
}

/** The card's own styles, beside the widget's post view. */
export const queueCardStyles = css`
  .item {
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
    padding: 0.75rem;
  }

  .item.held {
    border-inline-start: 0.35rem solid var(--c-held);
  }

  .item.hidden {
    border-style: dashed;
  }

  .item .post {
    border: 0;
    padding: 0;
  }

  .status {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.75rem;
    margin: 0;
    font-size: 0.9375rem;
  }

  .badge {
    padding: 0 0.6em;
    border: 1px solid currentColor;
    border-radius: 1em;
    font-weight: 700;
  }

  .badge.held {
    color: var(--c-held);
  }

  .badge.hidden {
    color: var(--c-danger);
  }

  .badge.shown {
    color: var(--c-ok);
  }

  .reason,
  .decided {
    color: var(--c-muted);
  }

  .item .actions > button {
    flex: 1 1 8rem;
    min-height: 3rem;
  }
`;
