/**
 * Interface words of <commune-feed>, French first, and the Intl formatting of
 * dates and times. Post text is never translated: only the widget's own words.
 */

/** Languages the interface speaks. */
export type Locale = 'fr' | 'en';

/** The default interface language: the widget is made for French towns. */
export const DEFAULT_LOCALE: Locale = 'fr';

/** Every word the widget shows or announces by itself. */
export interface Messages {
  /** Accessible name of the feed region when the feed has no title yet. */
  feedLabel: string;
  loading: string;
  empty: string;
  /** `{time}` is a clock time already formatted by {@link formatClockTime}. */
  staleSince: (time: string) => string;
  reconnecting: string;
  polling: string;
  offline: string;
  loadError: string;
  repostedBy: (name: string) => string;
  edited: string;
  /** The permalink's text: "Voir sur Mastodon". */
  viewOn: (network: string) => string;
  /** Text alternative of a post's network icon: "Publié sur Bluesky". */
  postedOn: (network: string) => string;
  /** Before the author's content warning. */
  contentWarning: string;
  /** The button that opens a post covered by a content warning… */
  showPost: string;
  /** …and covers it again. */
  hidePost: string;
  imageWithoutDescription: string;
  video: string;
  gif: string;
  showSensitive: string;
  sensitiveNotice: string;
  quotedPost: string;
  /** Label of the button that reveals posts waiting above the list. */
  newPosts: (count: number) => string;
  /** Polite announcement of posts that arrived. */
  announceNewPosts: (count: number) => string;
  /** The pause button, while things move or update by themselves. */
  pause: string;
  /** The same button, once paused. */
  play: string;
  previous: string;
  next: string;
  /** "2 / 10", the position in a hand-driven ticker or wall. */
  position: (index: number, total: number) => string;
  /** Call to action on the wall: "Publiez avec #fete". */
  publishWith: (hashtags: string) => string;
  /** Accessible name of the QR code. */
  qrLabel: (hashtag: string) => string;
  latestPost: string;
  /** Label of the wall's large post when the organisers pinned it. */
  featuredPost: string;
  /** The mark on a pinned post. */
  pinned: string;
  /** The mark on an announcement. */
  announcement: string;
  /** Author of an announcement when the feed names no organiser. */
  organisers: string;
  /** Heading of the urgent alert banner. */
  urgentAlert: string;
}

const fr: Messages = {
  feedLabel: 'Publications en direct',
  loading: 'Chargement des publications…',
  empty: 'Pas encore de publications',
  staleSince: (time) => `Dernière mise à jour à ${time}`,
  reconnecting: 'Connexion perdue, nouvelle tentative…',
  polling: 'Mise à jour toutes les 30 secondes',
  offline: 'Hors ligne : les publications reprendront au retour du réseau',
  loadError: 'Les publications ne peuvent pas être chargées pour le moment',
  repostedBy: (name) => `Reposté par ${name}`,
  edited: 'modifié',
  viewOn: (network) => `Voir sur ${network}`,
  postedOn: (network) => `Publié sur ${network}`,
  contentWarning: 'Avertissement\u00a0:',
  showPost: 'Afficher la publication',
  hidePost: 'Masquer la publication',
  imageWithoutDescription: 'Image sans description',
  video: 'Vidéo',
  gif: 'GIF',
  showSensitive: 'Afficher le contenu sensible',
  sensitiveNotice: 'Contenu sensible masqué',
  quotedPost: 'Publication citée',
  newPosts: (count) => (count === 1 ? '1 nouvelle publication' : `${count} nouvelles publications`),
  announceNewPosts: (count) => (count === 1 ? '1 nouvelle publication' : `${count} nouvelles publications`),
  pause: 'Mettre en pause',
  play: 'Reprendre',
  previous: 'Publication précédente',
  next: 'Publication suivante',
  position: (index, total) => `${index} sur ${total}`,
  publishWith: (hashtags) => `Publiez avec ${hashtags}`,
  qrLabel: (hashtag) => `QR code pour publier avec ${hashtag}`,
  latestPost: 'Dernière publication',
  featuredPost: 'À la une',
  pinned: 'Épinglé',
  announcement: 'Annonce des organisateurs',
  organisers: 'Organisateurs',
  urgentAlert: 'Alerte urgente',
};

const en: Messages = {
  feedLabel: 'Live posts',
  loading: 'Loading posts…',
  empty: 'No posts yet',
  staleSince: (time) => `Last updated at ${time}`,
  reconnecting: 'Connection lost, retrying…',
  polling: 'Updating every 30 seconds',
  offline: 'Offline: posts will resume when the network is back',
  loadError: 'Posts cannot be loaded right now',
  repostedBy: (name) => `Reposted by ${name}`,
  edited: 'edited',
  viewOn: (network) => `View on ${network}`,
  postedOn: (network) => `Posted on ${network}`,
  contentWarning: 'Content warning:',
  showPost: 'Show post',
  hidePost: 'Hide post',
  imageWithoutDescription: 'Image without description',
  video: 'Video',
  gif: 'GIF',
  showSensitive: 'Show sensitive content',
  sensitiveNotice: 'Sensitive content hidden',
  quotedPost: 'Quoted post',
  newPosts: (count) => (count === 1 ? '1 new post' : `${count} new posts`),
  announceNewPosts: (count) => (count === 1 ? '1 new post' : `${count} new posts`),
  pause: 'Pause',
  play: 'Resume',
  previous: 'Previous post',
  next: 'Next post',
  position: (index, total) => `${index} of ${total}`,
  publishWith: (hashtags) => `Post with ${hashtags}`,
  qrLabel: (hashtag) => `QR code to post with ${hashtag}`,
  latestPost: 'Latest post',
  featuredPost: 'Featured',
  pinned: 'Pinned',
  announcement: 'Announcement from the organisers',
  organisers: 'Organisers',
  urgentAlert: 'Urgent alert',
};

const catalogue: Record<Locale, Messages> = { fr, en };

/** Turns any `lang` attribute value into a language the interface speaks. */
export function resolveLocale(value: string | null | undefined): Locale {
  const primary = (value ?? '').trim().toLowerCase().split('-')[0];
  return primary === 'en' ? 'en' : DEFAULT_LOCALE;
}

/** The interface words for a language. */
export function messagesFor(locale: Locale): Messages {
  return catalogue[locale];
}

const relativeFormats = new Map<Locale, Intl.RelativeTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function relativeFormat(locale: Locale): Intl.RelativeTimeFormat {
  let format = relativeFormats.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'long' });
    relativeFormats.set(locale, format);
  }
  return format;
}

function dateFormat(
  locale: Locale,
  options: Intl.DateTimeFormatOptions,
  timeZone: string | undefined,
): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone ?? ''}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    } catch {
      // An unknown time zone name falls back to the visitor's own.
      format = new Intl.DateTimeFormat(locale, options);
    }
    dateFormats.set(key, format);
  }
  return format;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "il y a 5 minutes", "hier", "maintenant"; past a week, the date itself
 * ("12 juil."), since a relative count of weeks helps nobody at an event.
 */
export function formatRelativeTime(date: Date, now: number, locale: Locale, timeZone?: string): string {
  const elapsed = date.getTime() - now;
  const distance = Math.abs(elapsed);
  const rtf = relativeFormat(locale);
  if (Number.isNaN(distance)) return '';
  if (distance < 45_000) return rtf.format(0, 'second');
  if (distance < HOUR) return rtf.format(Math.round(elapsed / MINUTE), 'minute');
  if (distance < DAY) return rtf.format(Math.round(elapsed / HOUR), 'hour');
  if (distance < 7 * DAY) return rtf.format(Math.round(elapsed / DAY), 'day');
  return dateFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }, timeZone).format(date);
}

/** A full date and time, for a `title` beside a relative time. */
export function formatDateTime(date: Date, locale: Locale, timeZone?: string): string {
  return dateFormat(locale, { dateStyle: 'long', timeStyle: 'short' }, timeZone).format(date);
}

/**
 * A clock time as people write it: "14 h 32" in French (the typographic
 * convention of the Imprimerie nationale), "2:32 PM" in English.
 */
export function formatClockTime(date: Date, locale: Locale, timeZone?: string): string {
  if (Number.isNaN(date.getTime())) return '';
  if (locale === 'fr') {
    const parts = dateFormat('fr', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, timeZone).formatToParts(
      date,
    );
    const hour = Number(parts.find((part) => part.type === 'hour')?.value ?? '0');
    const minute = parts.find((part) => part.type === 'minute')?.value ?? '00';
    return `${hour} h ${minute}`;
  }
  return dateFormat('en', { hour: 'numeric', minute: '2-digit' }, timeZone).format(date);
}
