/**
 * The organisers' own words: announcements (posts with `source: "organisers"`, sanitised rich
 * text, pinned or placed in time) and the urgent alert. Both may expire: a timer per feed, on the
 * injected clock, ends them at their time (and those already past at start).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ANNOUNCEMENT_MAX_HTML_LENGTH, ANNOUNCEMENT_MAX_TEXT_LENGTH } from '../announcement-policy.js';
import type { Alert, Post } from '../contract.js';
import type { Clock } from '../clock.js';
import { InputError, inputErrorOf, NotFoundError } from '../errors.js';
import type { FeedRegistry } from '../feeds/registry.js';
import { isoDateTime } from '../feeds/settings.js';
import type { Logger } from '../log.js';
import { isBusy } from '../store/open-database.js';
import type { Store } from '../store/store.js';
import { emptyOutcome, type Outcome } from '../store/types.js';
import { describePost } from './audit-entries.js';
import { feedJudge } from './feed-judge.js';
import { sanitizeAnnouncement } from './sanitize.js';
import type { Actor, AlertInput, AnnouncementInput } from './types.js';

export interface NoticesOptions {
  store: Store;
  registry: FeedRegistry;
  clock: Clock;
  log: Logger;
  /** Hands what changed, and the ids of the audit entries written, to delivery. */
  publish(feedId: string, out: Outcome, auditIds: number[]): void;
}

/** How soon an expiry that the database could not store (held busy) is tried again (ms). */
export const EXPIRE_RETRY_MS = 5_000;

/** Longest alert, in characters. */
export const ALERT_MAX_TEXT = 500;

/** An announcement as organisers send it (the admin API validates its body with it too). */
export const announcementSchema = z
  .object({
    html: z
      .string({ error: 'must be a string of HTML' })
      .max(ANNOUNCEMENT_MAX_HTML_LENGTH, `must be at most ${ANNOUNCEMENT_MAX_HTML_LENGTH} characters`),
    pinned: z.boolean({ error: 'must be true or false' }),
    at: isoDateTime.optional(),
    expiresAt: isoDateTime.optional(),
  })
  .strict();

/** An urgent alert as organisers send it (the admin API validates its body with it too). */
export const alertSchema = z
  .object({
    text: z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, 'must not be empty')
      .max(ALERT_MAX_TEXT, `must be at most ${ALERT_MAX_TEXT} characters`),
    expiresAt: isoDateTime.optional(),
    lang: z
      .string()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a language tag like "fr"')
      .optional(),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw inputErrorOf(result.error.issues);
  return result.data;
}

function futureMs(iso: string | undefined, nowMs: number): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  if (ms <= nowMs) throw new InputError('expiresAt', 'must be in the future');
  return ms;
}

/** A new id for an announcement or an alert: time first, so that later ones compare greater. */
function newId(prefix: string, nowMs: number): string {
  return `${prefix}-${nowMs.toString(36)}-${randomBytes(4).toString('hex')}`;
}

export class Notices {
  readonly #o: NoticesOptions;
  readonly #timers = new Map<string, unknown>();

  constructor(options: NoticesOptions) {
    this.#o = options;
  }

  start(): void {
    for (const record of this.#o.registry.list()) this.#expire(record.settings.id);
  }

  stop(): void {
    for (const handle of this.#timers.values()) this.#o.clock.clearTimeout(handle);
    this.#timers.clear();
  }

  /** Runs `write` in one transaction with the feed's settings and the time, then publishes it. */
  #act<T>(feedId: string, write: (now: number, out: Outcome, audit: (entry: AuditInput) => void) => T): T {
    const { store, registry, clock } = this.#o;
    registry.require(feedId);
    const now = clock.now();
    const out = emptyOutcome();
    const auditIds: number[] = [];
    const result = store.transaction(() =>
      write(now, out, (entry) =>
        auditIds.push(
          store.audit.append({ feedId, atMs: now, postId: null, reason: null, before: null, after: null, ...entry }),
        ),
      ),
    );
    this.#o.publish(feedId, out, auditIds);
    this.#arm(feedId);
    return result;
  }

  announce(feedId: string, input: AnnouncementInput, actor: Actor): Post {
    const fields = parse(announcementSchema, input);
    return this.#act(feedId, (now, out, audit) => {
      const post = this.#announcement(feedId, newId('org', now), fields, now);
      this.#writeAnnouncement(feedId, post, fields.pinned ? now : null, actor, now, out);
      audit({
        actor: actor.username,
        action: 'announcement.create',
        postId: post.id,
        summary: `Annonce publiée : ${describePost(post)}`,
        after: fields,
      });
      return this.#o.store.posts.item(feedId, post.id)!.post;
    });
  }

  editAnnouncement(feedId: string, id: string, input: AnnouncementInput, actor: Actor): Post {
    const fields = parse(announcementSchema, input);
    return this.#act(feedId, (now, out, audit) => {
      const { store } = this.#o;
      const old = store.posts.body(feedId, id);
      if (!old || old.source !== 'organisers') throw new NotFoundError(`no announcement "${id}" in feed "${feedId}"`);
      const pinnedMs = fields.pinned ? (store.decisions.get(feedId, id)?.pinnedMs ?? now) : null;
      const post = this.#announcement(feedId, id, { ...fields, at: fields.at ?? old.createdAt }, now);
      this.#writeAnnouncement(feedId, post, pinnedMs, actor, now, out);
      audit({
        actor: actor.username,
        action: 'announcement.edit',
        postId: id,
        summary: `Annonce modifiée : ${describePost(post)}`,
        before: { html: old.html, at: old.createdAt, expiresAt: old.expiresAt },
        after: fields,
      });
      return store.posts.item(feedId, id)!.post;
    });
  }

  deleteAnnouncement(feedId: string, id: string, actor: Actor): void {
    this.#act(feedId, (now, out, audit) => {
      const { store } = this.#o;
      const old = store.posts.body(feedId, id);
      if (!old || old.source !== 'organisers') throw new NotFoundError(`no announcement "${id}" in feed "${feedId}"`);
      store.posts.remove(feedId, id, 'organiser', now, out, false);
      store.decisions.put(feedId, id, null);
      audit({
        actor: actor.username,
        action: 'announcement.delete',
        postId: id,
        summary: `Annonce supprimée : ${describePost(old)}`,
        before: { html: old.html, at: old.createdAt },
      });
    });
  }

  /** The announcement's post: sanitised markup, its text, signed with the feed's organiser name. */
  #announcement(feedId: string, id: string, fields: z.output<typeof announcementSchema>, now: number): Post {
    const settings = this.#o.registry.require(feedId).settings;
    const expiresMs = futureMs(fields.expiresAt, now);
    const { html, text } = sanitizeAnnouncement(fields.html);
    if (text === '') throw new InputError('html', 'must contain some text');
    if (text.length > ANNOUNCEMENT_MAX_TEXT_LENGTH)
      throw new InputError('html', `has ${text.length} characters of text, at most ${ANNOUNCEMENT_MAX_TEXT_LENGTH}`);
    const post: Post = {
      id,
      source: 'organisers',
      url: '',
      createdAt: new Date(fields.at === undefined ? now : Date.parse(fields.at)).toISOString(),
      author: { name: settings.organiserName, handle: '', avatarUrl: '', profileUrl: '' },
      text,
      html,
      entities: { hashtags: [], mentions: [], links: [] },
      media: [],
      lang: settings.lang,
    };
    if (expiresMs !== undefined) post.expiresAt = new Date(expiresMs).toISOString();
    return post;
  }

  #writeAnnouncement(feedId: string, post: Post, pinnedMs: number | null, actor: Actor, now: number, out: Outcome) {
    const { store, registry } = this.#o;
    store.decisions.put(feedId, post.id, {
      decision: null,
      pinnedMs,
      decidedBy: actor.username,
      decidedMs: now,
      reason: null,
    });
    store.posts.put(feedId, post, feedJudge(store, registry.require(feedId).settings, now), now, out);
  }

  raiseAlert(feedId: string, input: AlertInput, actor: Actor): Alert {
    const fields = parse(alertSchema, input);
    return this.#act(feedId, (now, out, audit) => {
      const { store, registry } = this.#o;
      const expiresMs = futureMs(fields.expiresAt, now);
      const alert: Alert = { id: newId('alert', now), text: fields.text, createdAt: new Date(now).toISOString() };
      if (expiresMs !== undefined) alert.expiresAt = new Date(expiresMs).toISOString();
      alert.lang = fields.lang ?? registry.require(feedId).settings.lang;
      store.alerts.end(feedId, now, actor.username);
      store.alerts.insert(feedId, alert, actor.username);
      out.changes.push({ kind: 'alert', revision: store.revisions.bump(feedId, now), alert });
      audit({ actor: actor.username, action: 'alert.raise', summary: `Alerte : « ${alert.text} »`, after: alert });
      return alert;
    });
  }

  withdrawAlert(feedId: string, actor: Actor): void {
    this.#act(feedId, (now, out, audit) => {
      const { store } = this.#o;
      const current = store.alerts.current(feedId);
      if (!current) return;
      store.alerts.end(feedId, now, actor.username);
      out.changes.push({ kind: 'alert', revision: store.revisions.bump(feedId, now), alert: null });
      audit({
        actor: actor.username,
        action: 'alert.withdraw',
        summary: `Alerte retirée : « ${current.alert.text} »`,
        before: current.alert,
      });
    });
  }

  /** Ends what has expired on a feed, then arms the timer for the next expiry. */
  /** Ends what is due at its time; a database another process holds busy is tried again shortly. */
  #expireDue(feedId: string): void {
    try {
      this.#expire(feedId);
    } catch (err) {
      if (!isBusy(err)) throw err;
      const { clock, log } = this.#o;
      log.warn('notices.expire_busy', { feed: feedId, error: (err as Error).message, retryInMs: EXPIRE_RETRY_MS });
      this.#timers.set(
        feedId,
        clock.setTimeout(() => this.#expireDue(feedId), EXPIRE_RETRY_MS),
      );
    }
  }

  #expire(feedId: string): void {
    if (!this.#o.registry.get(feedId)) return;
    this.#act(feedId, (now, out, audit) => {
      const { store, registry } = this.#o;
      const system = 'system';
      const due = store.posts.dueIds(feedId, now);
      if (due.length) {
        store.posts.reevaluate(feedId, feedJudge(store, registry.require(feedId).settings, now), now, out, due);
        for (const id of due)
          audit({
            actor: system,
            action: 'announcement.expire',
            postId: id,
            summary: `Annonce expirée : ${describePost(store.posts.body(feedId, id))}`,
          });
      }
      const alert = store.alerts.current(feedId);
      if (alert?.expiresMs != null && alert.expiresMs <= now) {
        store.alerts.end(feedId, alert.expiresMs, 'expiry');
        out.changes.push({ kind: 'alert', revision: store.revisions.bump(feedId, now), alert: null });
        audit({
          actor: system,
          action: 'alert.expire',
          summary: `Alerte expirée : « ${alert.alert.text} »`,
          before: alert.alert,
        });
      }
    });
  }

  /** Arms the feed's timer for its next expiry (announcement or alert), if any. */
  #arm(feedId: string): void {
    const { store, clock } = this.#o;
    clock.clearTimeout(this.#timers.get(feedId));
    this.#timers.delete(feedId);
    const times = [store.posts.nextExpiry(feedId), store.alerts.current(feedId)?.expiresMs ?? undefined];
    const next = Math.min(...times.filter((t): t is number => t !== undefined));
    if (!Number.isFinite(next)) return;
    this.#timers.set(
      feedId,
      clock.setTimeout(() => this.#expireDue(feedId), Math.max(0, next - clock.now())),
    );
  }
}

type AuditInput = {
  actor: string;
  action: string;
  summary: string;
  postId?: string | null;
  before?: unknown;
  after?: unknown;
};
