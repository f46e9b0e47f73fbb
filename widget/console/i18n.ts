/**
 * The console's languages: French first, English second (the language
 * switch), and how it says times, sums of money and errors. Times and their
 * typography come from the widget's own formatting.
 */
import { formatClockTime, formatRelativeTime, resolveLocale } from '../i18n.js';
import type { Locale } from '../i18n.js';
import type { ApiError } from './api.js';
import { en } from './messages-en.js';
import { fr } from './messages-fr.js';
import type { ConsoleMessages } from './messages-fr.js';

export type { ConsoleMessages, Locale };
export { resolveLocale };

const catalogue: Record<Locale, ConsoleMessages> = { fr, en };

export function consoleMessages(locale: Locale): ConsoleMessages {
  return catalogue[locale];
}

/** What to tell the organiser about a failed request. */
export function describeError(error: ApiError, messages: ConsoleMessages): string {
  if (error.network) return messages.errors.network;
  switch (error.status) {
    case 401:
      return messages.errors.unauthorized;
    case 403:
      return messages.errors.forbidden;
    case 404:
      return messages.errors.notFound;
    case 429:
      return messages.tooManyAttempts(error.retryAfterSeconds ?? 60);
    default:
      // 400 and 409 name the problem; past 500 the server's words would not help.
      return error.status >= 500 ? messages.errors.server : error.message;
  }
}

const HOUR = 3_600_000;
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(locale: Locale, withYear: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withYear}`;
  let format = dayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'short',
      ...(withYear ? { year: 'numeric' } : {}),
    });
    dayFormats.set(key, format);
  }
  return format;
}

/**
 * When something happened or will: "il y a 5 minutes" within the hour, else
 * "le 14 juil. à 14 h 32" ("on 14 Jul at 2:32 PM"), with the year when it is
 * not this year's.
 */
export function formatWhen(iso: string, locale: Locale, now: number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (Math.abs(date.getTime() - now) < HOUR) return formatRelativeTime(date, now, locale);
  const day = dayFormat(locale, date.getFullYear() !== new Date(now).getFullYear()).format(date);
  const clock = formatClockTime(date, locale);
  return locale === 'fr' ? `le ${day} à ${clock}` : `on ${day} at ${clock}`;
}

/** Dollars, as the locale writes them: "6,73 $US", "US$6.73". */
export function formatUsd(amount: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: amount < 1 && amount > 0 ? 3 : 2,
  }).format(amount);
}
