/**
 * The words of the pages the server renders (the archive, the feed's HTML fragment), French
 * first, English second, and the formatting of their dates and numbers through `Intl`. Post text
 * is never translated: only the page's own words.
 */

/** Languages of the server's pages. */
export type PageLocale = 'fr' | 'en';

export const PAGE_LOCALES: readonly PageLocale[] = ['fr', 'en'];

/** The time zone of dates on the server's pages when none is configured (`TIME_ZONE`). */
export const DEFAULT_TIME_ZONE = 'Europe/Paris';

export interface PostWords {
  pinned: string;
  announcement: string;
  organisers: string;
  repostedBy: (name: string) => string;
  quotedPost: string;
  edited: string;
  viewOnX: string;
  imageWithoutDescription: string;
  video: string;
  gif: string;
  /** Summary of the cover over sensitive media (a `<details>`). */
  showSensitive: (count: number) => string;
  /** An image this server cannot serve, by its description. */
  imageNotShown: (alt: string) => string;
}

const postsFr: PostWords = {
  pinned: 'Épinglé',
  announcement: 'Annonce des organisateurs',
  organisers: 'Organisateurs',
  repostedBy: (name) => `Reposté par ${name}`,
  quotedPost: 'Publication citée',
  edited: 'modifié',
  viewOnX: 'Voir sur X',
  imageWithoutDescription: 'Image sans description',
  video: 'Vidéo',
  gif: 'GIF',
  showSensitive: (count) =>
    count === 1 ? 'Contenu sensible : afficher l’image' : `Contenu sensible : afficher les ${count} images`,
  imageNotShown: (alt) => `Image non affichée : ${alt}`,
};

const postsEn: PostWords = {
  pinned: 'Pinned',
  announcement: 'Announcement from the organisers',
  organisers: 'Organisers',
  repostedBy: (name) => `Reposted by ${name}`,
  quotedPost: 'Quoted post',
  edited: 'edited',
  viewOnX: 'View on X',
  imageWithoutDescription: 'Image without description',
  video: 'Video',
  gif: 'GIF',
  showSensitive: (count) =>
    count === 1 ? 'Sensitive content: show the image' : `Sensitive content: show the ${count} images`,
  imageNotShown: (alt) => `Image not shown: ${alt}`,
};

export const POST_WORDS: Record<PageLocale, PostWords> = { fr: postsFr, en: postsEn };

/** The page language asked for (`?lang=en`), French otherwise. */
export function pageLocale(value: string | undefined): PageLocale {
  return value?.trim().toLowerCase().split('-')[0] === 'en' ? 'en' : 'fr';
}

const BCP47: Record<PageLocale, string> = { fr: 'fr-FR', en: 'en-GB' };

const formats = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function format<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formats.get(key) as T | undefined;
  if (!f) {
    f = make();
    formats.set(key, f);
  }
  return f;
}

/** "16 octobre 2026 à 14:32" / "16 October 2026 at 14:32". */
export function formatDateTime(ms: number, locale: PageLocale, timeZone: string): string {
  return format(
    `dt:${locale}:${timeZone}`,
    () => new Intl.DateTimeFormat(BCP47[locale], { dateStyle: 'long', timeStyle: 'short', timeZone }),
  ).format(ms);
}

/** "16 oct. 2026, 14:32": the time of a post. */
export function formatShortDateTime(ms: number, locale: PageLocale, timeZone: string): string {
  return format(
    `sdt:${locale}:${timeZone}`,
    () => new Intl.DateTimeFormat(BCP47[locale], { dateStyle: 'medium', timeStyle: 'short', timeZone }),
  ).format(ms);
}

/** "16 oct., 14:00": the start of an hour of the figures. */
export function formatHour(ms: number, locale: PageLocale, timeZone: string): string {
  return format(
    `h:${locale}:${timeZone}`,
    () =>
      new Intl.DateTimeFormat(BCP47[locale], {
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
        timeZone,
      }),
  ).format(ms);
}

export function formatNumber(n: number, locale: PageLocale): string {
  return format(`n:${locale}`, () => new Intl.NumberFormat(BCP47[locale])).format(n);
}

/** A share from 0 to 1 as "12 %" / "12%". */
export function formatPercent(share: number, locale: PageLocale): string {
  return format(
    `p:${locale}`,
    () => new Intl.NumberFormat(BCP47[locale], { style: 'percent', maximumFractionDigits: 1 }),
  ).format(share);
}

/** Whether `timeZone` is one `Intl` knows (for the configuration). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('fr', { timeZone });
    return true;
  } catch {
    return false;
  }
}
