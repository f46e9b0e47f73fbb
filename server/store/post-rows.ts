/**
 * Rows of the `posts` table as read back, and the two forms of a stored post: as the wall shows
 * it, and as organisers see it in their queue. Pure.
 */
import type { Post } from '../contract.js';
import { decisionOf } from './decisions.js';
import type { DecisionState, QueueItem, Verdict, Visibility } from './types.js';

export interface PostRow {
  id: string;
  /** The source that brought the post (its network), or `organisers`. */
  source: string;
  body: string;
  visibility: Visibility;
  reason: string | null;
  pinned_ms: number | null;
  created_ms: number;
  stored_ms: number;
  decision: 'approved' | 'hidden' | null;
  decision_pinned_ms: number | null;
  decided_by: string | null;
  decided_ms: number | null;
  decision_reason: string | null;
}

/** The columns of a `PostRow`, the post as `p` joined with its decision as `m`. */
export const POST_ROW_SQL = `SELECT p.id, p.source, p.body, p.visibility, p.reason, p.pinned_ms, p.created_ms, p.stored_ms,
    m.decision, m.pinned_ms AS decision_pinned_ms, m.decided_by, m.decided_ms, m.reason AS decision_reason
  FROM posts p LEFT JOIN moderation m ON m.feed_id = p.feed_id AND m.post_id = p.id`;

/** The reason that marks a post shown with its media covered. */
export const BLUR_REASON = 'sensitive-media';

/** The post as the wall shows it: pinned time and covered media applied to the stored body. */
export function publicForm(body: Post, pinnedMs: number | null, reason: string | null): Post {
  const post: Post = { ...body };
  delete post.pinnedAt;
  if (pinnedMs !== null) post.pinnedAt = new Date(pinnedMs).toISOString();
  if (reason === BLUR_REASON) post.sensitive = true;
  return post;
}

/** The reason stored for a verdict: a shown post with covered media says so. */
export function reasonOf(verdict: Verdict): string | null {
  return verdict.visibility === 'shown' && verdict.blur ? BLUR_REASON : verdict.reason;
}

/** The organisers' decision joined to a row, if any. */
export function rowDecision(row: PostRow): DecisionState | null {
  if (row.decided_by === null) return null;
  return decisionOf({
    decision: row.decision,
    pinned_ms: row.decision_pinned_ms,
    decided_by: row.decided_by,
    decided_ms: row.decided_ms ?? 0,
    reason: row.decision_reason,
  });
}

/** The organisers' view of a stored post. */
export function queueItem(row: PostRow, post: Post, decision: DecisionState | null): QueueItem {
  return {
    post: publicForm(post, row.pinned_ms, row.reason),
    visibility: row.visibility,
    reason: row.reason,
    decision: decision?.decision ?? null,
    decidedBy: decision?.decidedBy ?? null,
    decidedAt: decision ? new Date(decision.decidedMs).toISOString() : null,
    storedAt: new Date(row.stored_ms).toISOString(),
  };
}
