/** The audit log as organisers read it: one French line per entry, and whether it may be undone. */
import type { Post } from '../contract.js';
import type { AuditRecord } from '../store/audit.js';
import type { AuditEntry, DecisionAction } from './types.js';

/** Actions an organiser may undo (once): the decisions on posts. */
export const UNDOABLE = new Set<string>(['approve', 'hide', 'unhide', 'pin', 'unpin']);

const DECISION_WORDS: Record<DecisionAction, string> = {
  approve: 'Publication approuvée',
  hide: 'Publication masquée',
  unhide: 'Publication rétablie',
  pin: 'Publication épinglée',
  unpin: 'Publication désépinglée',
};

/** "@handle « first words… »": which post an entry is about. */
export function describePost(post: Post | undefined): string {
  if (!post) return '';
  const who = post.source === 'organisers' ? post.author.name : `@${post.author.handle}`;
  const text = post.text.replace(/\s+/g, ' ').trim();
  return `${who} « ${text.length > 60 ? `${text.slice(0, 59)}…` : text} »`;
}

/** The French line of a decision on a post. */
export function decisionSummary(action: DecisionAction, post: Post | undefined): string {
  const about = describePost(post);
  return about ? `${DECISION_WORDS[action]} : ${about}` : DECISION_WORDS[action];
}

export function toAuditEntry(record: AuditRecord, postExists: boolean): AuditEntry {
  return {
    id: record.id,
    at: new Date(record.atMs).toISOString(),
    actor: record.actor,
    action: record.action,
    postId: record.postId,
    reason: record.reason,
    summary: record.summary,
    undoneBy: record.undoneBy,
    undoable: UNDOABLE.has(record.action) && record.undoneBy === null && postExists,
  };
}
