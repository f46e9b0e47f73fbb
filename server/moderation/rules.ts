/**
 * The moderation rules of a feed, applied to every post from any source when it is stored and
 * when the feed's settings change (never per request). Pure: the same post, settings, decision
 * and time always give the same verdict.
 *
 * Order: (1) the organisers' `hidden` decision; (2) out of the feed's scope → `filtered`;
 * (3) the organisers' `approved` decision; (3b) a later copy of the town's cross-posted
 * announcement → `filtered` (`cross-post.ts`); (4) trusted accounts and announcements; (5) blocked
 * accounts; (6) blocked terms; (7) sensitive media (`hold` or `blur`); (8) young accounts;
 * (9) mode `pre` holds the rest.
 */
import type { Author, Post } from '../contract.js';
import { accountsOf, SEARCHES, type FeedSettings, type Network } from '../feeds/settings.js';
import type { DecisionState, Verdict } from '../store/types.js';
import { compileTerms, foldText, type TermMatcher } from './text-match.js';

const DAY_MS = 86_400_000;

/** A feed's settings, prepared once for every post they judge. */
interface CompiledRules {
  settings: FeedSettings;
  hashtags: Set<string>;
  accounts: Map<string, Set<string>>;
  trusted: Set<string>;
  blocked: Set<string>;
  languages: Set<string>;
  terms: TermMatcher;
}

const compiled = new WeakMap<FeedSettings, CompiledRules>();

const lower = (handles: readonly string[]) => new Set(handles.map((h) => h.toLowerCase()));

/** Compiles a feed's settings once (cached for as long as that settings object lives). */
function rulesOf(settings: FeedSettings): CompiledRules {
  let rules = compiled.get(settings);
  if (!rules) {
    rules = {
      settings,
      hashtags: new Set(settings.hashtags.map(foldText)),
      accounts: new Map(settings.sources.map((s) => [s.network, lower(accountsOf(settings, s.network))])),
      trusted: lower(settings.moderation.trustedAccounts),
      blocked: lower(settings.moderation.blockedAccounts),
      languages: new Set(settings.display.languages),
      terms: compileTerms(settings.moderation.blockedTerms),
    };
    compiled.set(settings, rules);
  }
  return rules;
}

const HASHTAG_IN_TEXT = /(?<![\p{L}\p{N}_&])[#＃]([\p{L}\p{N}_]+)/gu;

/** The post's hashtags, folded: its entities and any `#tag` in its text. */
function hashtagsOf(post: Post): string[] {
  const tags = post.entities.hashtags.map((h) => foldText(h.tag));
  for (const m of post.text.matchAll(HASHTAG_IN_TEXT)) tags.push(foldText(m[1]!));
  return tags;
}

/** The author and, for a repost, the reposter: who put the post on the feed. */
function people(post: Post): Author[] {
  return post.repostedBy ? [post.author, post.repostedBy] : [post.author];
}

function isAnnouncement(post: Post): boolean {
  return post.source === 'organisers';
}

/** Why the post, brought by `network`, is outside the feed's settings, or undefined when it belongs to the feed. */
function outOfScope(post: Post, rules: CompiledRules, network: string): string | undefined {
  const { settings } = rules;
  if (SEARCHES[network as Network]) {
    const accounts = rules.accounts.get(network) ?? new Set<string>();
    const byAccount = people(post).some((a) => accounts.has(a.handle.toLowerCase()));
    const byHashtag = hashtagsOf(post).some((t) => rules.hashtags.has(t));
    if (!byAccount && !byHashtag) return 'no-match';
  }
  if (post.repostedBy && !settings.display.reposts) return 'repost';
  if (post.reply && !settings.display.replies) return 'reply';
  if (post.lang && rules.languages.size > 0) {
    const primary = post.lang.split('-')[0]!.toLowerCase();
    if (!rules.languages.has(primary)) return 'language';
  }
  return undefined;
}

/** The texts blocked terms are looked for in: the post's, the quoted post's, and the images' alt texts. */
function* textsOf(post: Post): Generator<string> {
  yield post.text;
  for (const m of post.media) yield m.alt;
  if (post.quoted) yield* textsOf(post.quoted);
}

function hasSensitiveMedia(post: Post): boolean {
  return post.sensitive === true || post.quoted?.sensitive === true;
}

function shown(reason: string | null = null, blur = false): Verdict {
  return { visibility: 'shown', reason, blur };
}

/**
 * Where a post stands on its feed. `nowMs` decides expiry: an announcement past its `expiresAt`
 * is `filtered` (`expired`); without it, expiry is not considered. `network` is the source that
 * brought the post (by default the post's own `source`): its accounts, and whether it searches,
 * decide the post's scope. `onWall` says the post is on the wall already, shown by the rules rather
 * than approved by an organiser: switching a feed to mode `pre` holds what comes next and does not
 * withdraw what visitors already see.
 */
export function evaluate(
  post: Post,
  settings: FeedSettings,
  decision?: DecisionState | null,
  nowMs?: number,
  network: string = post.source,
  onWall = false,
  duplicate = false,
): Verdict {
  const rules = rulesOf(settings);
  const { moderation } = settings;
  // 1. Nothing overrides the organisers' hiding.
  if (decision?.decision === 'hidden') return { visibility: 'hidden', reason: 'organiser', blur: false };
  // 2. Out of the feed's scope (announcements never are, until they expire).
  if (isAnnouncement(post)) {
    const expires = post.expiresAt === undefined ? NaN : Date.parse(post.expiresAt);
    if (nowMs !== undefined && expires <= nowMs) return { visibility: 'filtered', reason: 'expired', blur: false };
  } else {
    const scope = outOfScope(post, rules, network);
    if (scope) return { visibility: 'filtered', reason: scope, blur: false };
  }
  const blur = hasSensitiveMedia(post);
  // 3. Approved by an organiser.
  if (decision?.decision === 'approved') return shown('organiser', blur);
  // 3b. The town's announcement, already shown as posted first on another network.
  if (duplicate) return { visibility: 'filtered', reason: 'duplicate', blur: false };
  // 4. The town's own accounts (a repost by one of them too), and the organisers' announcements.
  if (isAnnouncement(post)) return shown('organiser');
  if (people(post).some((a) => rules.trusted.has(a.handle.toLowerCase()))) return shown('trusted', blur);
  // 5. Blocked accounts, as author or reposter.
  if (people(post).some((a) => rules.blocked.has(a.handle.toLowerCase())))
    return { visibility: 'hidden', reason: 'blocked-account', blur: false };
  // 6. Blocked words and phrases.
  const term = rules.terms.findIn(textsOf(post));
  if (term !== undefined) return { visibility: 'hidden', reason: `blocked-term:${term}`, blur: false };
  // 7. Sensitive media.
  if (blur && moderation.sensitiveMedia === 'hold') return { visibility: 'held', reason: 'sensitive-media', blur };
  // 8. Accounts younger than the feed allows, when it posted.
  if (moderation.minAccountAgeDays !== null && post.author.createdAt) {
    const age = Date.parse(post.createdAt) - Date.parse(post.author.createdAt);
    if (age < moderation.minAccountAgeDays * DAY_MS) return { visibility: 'held', reason: 'young-account', blur };
  }
  // 9. Held until approved, in mode `pre`.
  if (moderation.mode === 'pre' && !onWall) return { visibility: 'held', reason: 'mode-pre', blur };
  return shown(null, blur);
}

/**
 * The judge the store applies: `evaluate` with these settings, at `nowMs`; `isDuplicate` tells a
 * later copy of a cross-posted announcement (`moderation/feed-judge.ts` asks the store).
 */
export function judgeWith(
  settings: FeedSettings,
  nowMs: number,
  isDuplicate: (post: Post, network: string) => boolean = () => false,
) {
  return (post: Post, decision: DecisionState | null, network: string, onWall = false): Verdict =>
    evaluate(post, settings, decision, nowMs, network, onWall, isDuplicate(post, network));
}
