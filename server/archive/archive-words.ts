/** The words of the archive page, "Retour sur l'événement", French first, English second. */
import { html, type SafeHtml } from '../html/html.js';
import { formatNumber, type PageLocale } from '../html/words.js';

const fr$ = (n: number) => formatNumber(n, 'fr');
const en$ = (n: number) => formatNumber(n, 'en');

export interface ArchiveWords {
  kicker: string;
  /** The page's `<title>`. */
  pageTitle: (title: string) => string;
  skipToPosts: string;
  languageNav: string;
  /** The link to the page in the other language, written in that language. */
  otherLanguage: { locale: PageLocale; label: string };
  /** The event window, or the posts' span (`<time>` elements). */
  window: (start: SafeHtml, end: SafeHtml) => SafeHtml;
  postsSpan: (start: SafeHtml, end: SafeHtml) => SafeHtml;
  hashtags: (tags: string) => string;
  previewNotice: string;
  figures: string;
  postsShown: (n: number) => string;
  announcements: (n: number) => string;
  heldOrHidden: (share: string) => string;
  heldOrHiddenDetail: (parts: { organisers: string; rules: string; held: string }) => string;
  perNetwork: string;
  networkLine: (network: string, total: number, shown: number) => string;
  networkNames: Record<string, string>;
  perHour: string;
  perHourBasis: { 'event-window': string; posts: string };
  perHourSummary: (peak: string, count: number) => string;
  perHourNone: string;
  perHourDetails: string;
  outsideRange: (n: number) => string;
  hour: string;
  postsColumn: string;
  topHashtags: string;
  hashtagColumn: string;
  topAccounts: string;
  accountColumn: string;
  noFigures: string;
  posts: string;
  postsIntro: (shown: number, total: number) => string;
  noPosts: string;
  footerDeleted: string;
  footerCredits: string;
  footerFigures: string;
}

const fr: ArchiveWords = {
  kicker: 'Retour sur l’événement',
  pageTitle: (title) => `Retour sur l’événement : ${title}`,
  skipToPosts: 'Aller aux publications',
  languageNav: 'Langue',
  otherLanguage: { locale: 'en', label: 'English version' },
  window: (start, end) => html`Du ${start} au ${end}`,
  postsSpan: (start, end) => html`Publications du ${start} au ${end}`,
  hashtags: (tags) => `Mots-dièse : ${tags}`,
  previewNotice:
    'Aperçu réservé aux organisateurs : cette page sera publique quand le flux sera archivé. Elle n’est pas mise en cache.',
  figures: 'L’événement en chiffres',
  postsShown: (n) => `${fr$(n)} ${n < 2 ? 'publication affichée' : 'publications affichées'}`,
  announcements: (n) => `${fr$(n)} ${n < 2 ? 'annonce' : 'annonces'} des organisateurs`,
  heldOrHidden: (share) => `${share} des publications reçues ont été retenues ou masquées`,
  heldOrHiddenDetail: ({ organisers, rules, held }) =>
    `masquées par les organisateurs : ${organisers} ; masquées par les règles du flux : ${rules} ; restées en attente : ${held}`,
  perNetwork: 'Par réseau',
  networkLine: (network, total, shown) =>
    `${network} : ${fr$(total)} ${total < 2 ? 'publication reçue' : 'publications reçues'}, ${fr$(shown)} ${
      shown < 2 ? 'affichée' : 'affichées'
    }`,
  networkNames: { x: 'X', demo: 'Démonstration', mastodon: 'Mastodon', bluesky: 'Bluesky' },
  perHour: 'Publications par heure',
  perHourBasis: { 'event-window': 'Pendant l’événement.', posts: 'De la première à la dernière publication.' },
  perHourSummary: (peak, count) =>
    `L’heure la plus active a commencé le ${peak} : ${fr$(count)} ${count < 2 ? 'publication' : 'publications'}.`,
  perHourNone: 'Aucune publication pendant cette période.',
  perHourDetails: 'Le détail heure par heure',
  outsideRange: (n) => `Et ${fr$(n)} ${n < 2 ? 'publication' : 'publications'} avant ou après l’événement.`,
  hour: 'Heure',
  postsColumn: 'Publications',
  topHashtags: 'Mots-dièse les plus utilisés',
  hashtagColumn: 'Mot-dièse',
  topAccounts: 'Comptes les plus actifs',
  accountColumn: 'Compte',
  noFigures: 'Pas encore de chiffres : aucune publication.',
  posts: 'Les publications',
  postsIntro: (shown, total) =>
    `${shown === total ? `${total < 2 ? 'La' : `Les ${fr$(total)}`}` : `${fr$(shown)} des ${fr$(total)}`} ${
      total < 2 ? 'publication affichée' : 'publications affichées'
    } pendant l’événement : les épinglées d’abord, puis des plus récentes aux plus anciennes.`,
  noPosts: 'Aucune publication n’est restée affichée.',
  footerDeleted: 'Une publication supprimée sur son réseau disparaît aussi de cette page.',
  footerCredits:
    'Chaque publication appartient à son auteur ; les images sont servies par ce site, sans passer par les réseaux.',
  footerFigures:
    'Les chiffres sont calculés à partir des publications, jamais des visiteurs : cette page ne dépose aucun cookie.',
};

const en: ArchiveWords = {
  kicker: 'Looking back at the event',
  pageTitle: (title) => `Looking back at the event: ${title}`,
  skipToPosts: 'Skip to the posts',
  languageNav: 'Language',
  otherLanguage: { locale: 'fr', label: 'Version française' },
  window: (start, end) => html`From ${start} to ${end}`,
  postsSpan: (start, end) => html`Posts from ${start} to ${end}`,
  hashtags: (tags) => `Hashtags: ${tags}`,
  previewNotice: 'Preview for the organisers: this page becomes public once the feed is archived. It is not cached.',
  figures: 'The event in figures',
  postsShown: (n) => `${en$(n)} ${n === 1 ? 'post' : 'posts'} shown`,
  announcements: (n) => `${en$(n)} ${n === 1 ? 'announcement' : 'announcements'} from the organisers`,
  heldOrHidden: (share) => `${share} of the posts received were held or hidden`,
  heldOrHiddenDetail: ({ organisers, rules, held }) =>
    `hidden by the organisers: ${organisers}; hidden by the feed's rules: ${rules}; left waiting: ${held}`,
  perNetwork: 'By network',
  networkLine: (network, total, shown) =>
    `${network}: ${en$(total)} ${total === 1 ? 'post' : 'posts'} received, ${en$(shown)} shown`,
  networkNames: { x: 'X', demo: 'Demo', mastodon: 'Mastodon', bluesky: 'Bluesky' },
  perHour: 'Posts per hour',
  perHourBasis: { 'event-window': 'During the event.', posts: 'From the first post to the last.' },
  perHourSummary: (peak, count) =>
    `The busiest hour began on ${peak}: ${en$(count)} ${count === 1 ? 'post' : 'posts'}.`,
  perHourNone: 'No post during this period.',
  perHourDetails: 'Hour by hour',
  outsideRange: (n) => `And ${en$(n)} ${n === 1 ? 'post' : 'posts'} before or after the event.`,
  hour: 'Hour',
  postsColumn: 'Posts',
  topHashtags: 'Most used hashtags',
  hashtagColumn: 'Hashtag',
  topAccounts: 'Most active accounts',
  accountColumn: 'Account',
  noFigures: 'No figures yet: no post.',
  posts: 'The posts',
  postsIntro: (shown, total) =>
    `${shown === total ? (total === 1 ? 'The' : `The ${en$(total)}`) : `${en$(shown)} of the ${en$(total)}`} ${
      total === 1 ? 'post' : 'posts'
    } shown during the event: pinned ones first, then from the newest to the oldest.`,
  noPosts: 'No post stayed on display.',
  footerDeleted: 'A post deleted on its network disappears from this page too.',
  footerCredits: 'Each post belongs to its author; images are served by this site, not by the networks.',
  footerFigures: 'The figures come from the posts, never from visitors: this page sets no cookie.',
};

export const ARCHIVE_WORDS: Record<PageLocale, ArchiveWords> = { fr, en };
