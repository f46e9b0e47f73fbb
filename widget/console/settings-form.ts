/**
 * A feed's settings as the form edits them, and back: lists become text (one
 * item per line, or separated by spaces and commas), the event window
 * becomes local date-times. Pure functions, apart from the browser's time
 * zone for the event window. Which form field a server error names is decided
 * here too, from the path the server gives (`moderation.blockedTerms[3]`).
 */
import type { FeedSettings, Network } from './api-types.js';

export interface SettingsForm {
  id: string;
  title: string;
  organiserName: string;
  lang: string;
  hashtags: string;
  /** Accounts of each source, in the settings' order. */
  sources: { network: Network; accounts: string }[];
  windowStart: string;
  windowEnd: string;
  languages: string;
  reposts: boolean;
  replies: boolean;
  mode: FeedSettings['moderation']['mode'];
  trustedAccounts: string;
  blockedAccounts: string;
  blockedTerms: string;
  sensitiveMedia: FeedSettings['moderation']['sensitiveMedia'];
  minAccountAgeDays: string;
  /** The sites allowed to read the feed from a browser, one origin per line; empty: every site. */
  allowedOrigins: string;
}

/** A form field's id: the keys of the form, and `sources-<index>` for each source's accounts. */
export type SettingsField = Exclude<keyof SettingsForm, 'sources'> | `sources-${number}` | 'state';

/** Items separated by spaces, commas, semicolons or line breaks. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** One item per line (blocked terms: a phrase has spaces). */
export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO date-time as a `datetime-local` value, in the browser's time zone. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value as ISO 8601 with the browser's offset (`2026-10-16T08:00:00+02:00`); '' stays ''. */
export function fromLocalInput(value: string): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`;
}

/** The form of a new feed. */
export function emptyForm(network: Network = 'x'): SettingsForm {
  return {
    id: '',
    title: '',
    organiserName: 'Organisateurs',
    lang: 'fr',
    hashtags: '',
    sources: [{ network, accounts: '' }],
    windowStart: '',
    windowEnd: '',
    languages: '',
    reposts: true,
    replies: false,
    mode: 'post',
    trustedAccounts: '',
    blockedAccounts: '',
    blockedTerms: '',
    sensitiveMedia: 'blur',
    minAccountAgeDays: '',
    allowedOrigins: '',
  };
}

export function formFromSettings(settings: FeedSettings): SettingsForm {
  const { moderation, display } = settings;
  return {
    id: settings.id,
    title: settings.title,
    organiserName: settings.organiserName,
    lang: settings.lang,
    hashtags: settings.hashtags.map((tag) => `#${tag}`).join(' '),
    sources: settings.sources.map((source) => ({ network: source.network, accounts: source.accounts.join('\n') })),
    windowStart: toLocalInput(settings.eventWindow?.start),
    windowEnd: toLocalInput(settings.eventWindow?.end),
    languages: display.languages.join(' '),
    reposts: display.reposts,
    replies: display.replies,
    mode: moderation.mode,
    trustedAccounts: moderation.trustedAccounts.join('\n'),
    blockedAccounts: moderation.blockedAccounts.join('\n'),
    blockedTerms: moderation.blockedTerms.join('\n'),
    sensitiveMedia: moderation.sensitiveMedia,
    minAccountAgeDays: moderation.minAccountAgeDays === null ? '' : String(moderation.minAccountAgeDays),
    allowedOrigins: (settings.allowedOrigins ?? []).join('\n'),
  };
}

/**
 * The full settings to send: the form over `base` (what the server gave),
 * so what the form does not show (poll intervals, state) is kept as it was.
 * Values go as typed; the server validates and names the field it refuses.
 */
export function settingsFromForm(form: SettingsForm, base?: FeedSettings): FeedSettings {
  const age = form.minAccountAgeDays.trim();
  const { eventWindow: _window, allowedOrigins: _origins, ...kept } = base ?? ({} as Partial<FeedSettings>);
  const settings: FeedSettings = {
    ...kept,
    id: base?.id ?? form.id.trim(),
    title: form.title.trim(),
    lang: form.lang.trim() || 'fr',
    state: base?.state ?? 'active',
    hashtags: splitList(form.hashtags),
    // An entry keeps what the form does not show (a Mastodon instance), when it is the same network.
    sources: form.sources.map((source, i) => {
      const before = base?.sources[i];
      const kept = before?.network === source.network ? before : undefined;
      return {
        ...kept,
        network: source.network,
        accounts: splitList(source.accounts),
      } as FeedSettings['sources'][number];
    }),
    display: { languages: splitList(form.languages), reposts: form.reposts, replies: form.replies },
    moderation: {
      mode: form.mode,
      trustedAccounts: splitList(form.trustedAccounts),
      blockedAccounts: splitList(form.blockedAccounts),
      blockedTerms: splitLines(form.blockedTerms),
      sensitiveMedia: form.sensitiveMedia,
      minAccountAgeDays: age === '' ? null : Number(age),
    },
    organiserName: form.organiserName.trim(),
  };
  const origins = splitList(form.allowedOrigins);
  if (origins.length > 0) settings.allowedOrigins = origins;
  if (form.windowStart || form.windowEnd) {
    settings.eventWindow = { start: fromLocalInput(form.windowStart), end: fromLocalInput(form.windowEnd) };
  }
  return settings;
}

/** Where the server's path points in the form: the field, and the list item (0-based) if any. */
export function fieldOfPath(path: string): { field: SettingsField; item?: number } | undefined {
  const parts = path.match(/[^.[\]]+/g) ?? [];
  const [first, second, third, fourth] = parts;
  const index = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined);
  const withItem = (field: SettingsField, item: number | undefined) =>
    item === undefined ? { field } : { field, item };
  switch (first) {
    case 'id':
    case 'title':
    case 'organiserName':
    case 'lang':
    case 'state':
      return { field: first };
    case 'hashtags':
      return withItem('hashtags', index(second));
    case 'sources':
      return third === 'accounts' || third === undefined
        ? withItem(`sources-${index(second) ?? 0}`, index(fourth))
        : { field: `sources-${index(second) ?? 0}` };
    case 'accounts':
      return withItem('sources-0', index(second));
    case 'eventWindow':
      return { field: second === 'end' ? 'windowEnd' : 'windowStart' };
    case 'allowedOrigins':
      return withItem('allowedOrigins', index(second));
    case 'display':
      if (second === 'languages') return withItem('languages', index(third));
      if (second === 'reposts' || second === 'replies') return { field: second };
      return undefined;
    case 'moderation':
      switch (second) {
        case 'mode':
        case 'sensitiveMedia':
        case 'minAccountAgeDays':
          return { field: second };
        case 'trustedAccounts':
        case 'blockedAccounts':
        case 'blockedTerms':
          return withItem(second, index(third));
        default:
          return undefined;
      }
    default:
      return undefined;
  }
}
