/**
 * The Mastodon source's cursor, pure: for each account its id on the instance and the newest status
 * id read, and for each hashtag the newest id read (Mastodon's `min_id`). Stored by the engine with
 * the posts, so a restart reads on from there; what cannot be read is an empty cursor (the next read
 * takes only the newest page).
 */

export interface MastodonCursor {
  /** By account (`user@domain`, lower case): its id on this instance, and the newest status id read. */
  accounts: Record<string, { id?: string; minId?: string }>;
  /** By hashtag (lower case, without `#`): the newest status id read. */
  tags: Record<string, string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export function decodeCursor(cursor: string | null | undefined): MastodonCursor {
  const empty: MastodonCursor = { accounts: {}, tags: {} };
  if (!cursor) return empty;
  let value: unknown;
  try {
    value = JSON.parse(cursor);
  } catch {
    return empty;
  }
  if (!isRecord(value) || value.v !== 1) return empty;
  if (isRecord(value.accounts)) {
    for (const [acct, entry] of Object.entries(value.accounts)) {
      if (!isRecord(entry)) continue;
      const id = text(entry.id);
      const minId = text(entry.minId);
      empty.accounts[acct] = { ...(id ? { id } : {}), ...(minId ? { minId } : {}) };
    }
  }
  if (isRecord(value.tags)) {
    for (const [tag, minId] of Object.entries(value.tags)) if (text(minId)) empty.tags[tag] = minId as string;
  }
  return empty;
}

/** The cursor to store: only the accounts and hashtags the feed still follows. */
export function encodeCursor(
  cursor: MastodonCursor,
  follows: { accounts: readonly string[]; tags: readonly string[] },
): string {
  const accounts: MastodonCursor['accounts'] = {};
  for (const acct of follows.accounts) if (cursor.accounts[acct]) accounts[acct] = cursor.accounts[acct]!;
  const tags: MastodonCursor['tags'] = {};
  for (const tag of follows.tags) if (cursor.tags[tag]) tags[tag] = cursor.tags[tag]!;
  return JSON.stringify({ v: 1, accounts, tags });
}
