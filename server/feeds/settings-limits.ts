/** The bounds of a feed's settings: its intervals and its lists, given in every error that passes them. */
import { z } from 'zod';

/**
 * Bounds of every configured interval. The longest ones keep the compliance re-check within a day
 * (X: removed posts must disappear within 24 hours) and every timer far from Node's 24.8-day limit.
 */
export const INTERVAL_LIMITS = {
  /** Feed `pollSeconds`: one second to one day. */
  pollSeconds: { min: 1, max: 86_400 },
  /** `x.fastPollSeconds`, inside an event window: one second to one hour. */
  fastPollSeconds: { min: 1, max: 3_600 },
  /** `x.slowPollSeconds`, outside an event window: one second to one day. */
  slowPollSeconds: { min: 1, max: 86_400 },
  /** `x.recheckHours`: six minutes to 24 hours. */
  recheckHours: { min: 0.1, max: 24 },
  /** Demo `paceSeconds`: 50 ms to one hour. */
  paceSeconds: { min: 0.05, max: 3_600 },
  /** `RETENTION_DAYS`: one day to ten years. */
  retentionDays: { min: 1, max: 3_650 },
} as const;

/** Limits of the lists in a feed's settings. */
export const SETTINGS_LIMITS = {
  hashtags: 20,
  /** One entry per network, and one per Mastodon instance. */
  sources: 6,
  accountsPerSource: 50,
  trustedAccounts: 100,
  blockedAccounts: 500,
  blockedTerms: 500,
  blockedTermLength: 100,
  languages: 20,
  allowedOrigins: 50,
  minAccountAgeDays: { min: 1, max: 3_650 },
} as const;

/** The name announcements are signed with when the feed does not say. */
export const DEFAULT_ORGANISER_NAME = 'Organisateurs';

/** A number of `unit` within `limits`; the error gives the bounds. */
export function interval(limits: { min: number; max: number }, unit: string, integer = true) {
  const bounds = `must be ${integer ? 'a whole number ' : ''}from ${limits.min} to ${limits.max} ${unit}`;
  return (integer ? z.number().int(bounds) : z.number()).min(limits.min, bounds).max(limits.max, bounds);
}
