/**
 * The console's screens and how to reach them: on a phone, a bar at the
 * bottom (where the thumb is) with the three screens of an event day and a
 * "Plus" menu for the rest; on a desk, a column on the left with everything.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { Role } from './api-types.js';
import type { ConsoleMessages, Locale } from './i18n.js';

export type Screen =
  'feeds' | 'new-feed' | 'queue' | 'announcements' | 'alert' | 'audit' | 'settings' | 'sources' | 'users';

/** What each screen needs: a chosen feed, the admin role. */
export const SCREENS: Record<Screen, { feed: boolean; admin: boolean }> = {
  feeds: { feed: false, admin: false },
  'new-feed': { feed: false, admin: true },
  queue: { feed: true, admin: false },
  announcements: { feed: true, admin: false },
  alert: { feed: true, admin: false },
  audit: { feed: true, admin: false },
  settings: { feed: true, admin: true },
  sources: { feed: false, admin: false },
  users: { feed: false, admin: true },
};

/** Every screen of the navigation, in order: the three of an event day first. */
const ORDER: Screen[] = ['queue', 'announcements', 'alert', 'audit', 'settings', 'sources', 'users', 'feeds'];
/** Screens on a phone's bottom bar, beside "Plus". */
const BAR_SIZE = 3;

/** The screen of a location hash (`#/queue`), if it names one. */
export function screenOfHash(hash: string): Screen | undefined {
  const name = hash.replace(/^#\/?/, '');
  return name in SCREENS ? (name as Screen) : undefined;
}

/** Whether the organiser may open the screen now. */
export function canOpen(screen: Screen, role: Role, hasFeed: boolean): boolean {
  const needs = SCREENS[screen];
  return (!needs.admin || role === 'admin') && (!needs.feed || hasFeed);
}

export interface NavContext {
  messages: ConsoleMessages;
  locale: Locale;
  screen: Screen;
  role: Role;
  hasFeed: boolean;
  /** Who is signed in, as shown. */
  who: string;
  menuOpen: boolean;
  onToggleMenu: () => void;
  onNavigate: () => void;
  onLanguage: () => void;
  onSignOut: () => void;
}

/** A link to a screen; `short`, the bar's word for it (the full name stays its accessible name). */
function link(screen: Screen, context: NavContext, short = false): TemplateResult | typeof nothing {
  if (!canOpen(screen, context.role, context.hasFeed)) return nothing;
  const current = screen === context.screen || (screen === 'feeds' && context.screen === 'new-feed');
  const name = context.messages.screens[screen];
  const label = short ? context.messages.barLabels[screen] : name;
  return html`<li>
    <a
      href="#/${screen}"
      aria-current=${current ? 'page' : 'false'}
      aria-label=${label === name ? nothing : name}
      @click=${context.onNavigate}
      >${label}</a
    >
  </li>`;
}

/** The signed-in organiser, the language switch and sign-out. */
function account(context: NavContext): TemplateResult {
  const other: Locale = context.locale === 'fr' ? 'en' : 'fr';
  return html`<div class="account">
    <p class="who">${context.messages.signedInAs(context.who, context.messages.roles[context.role])}</p>
    <button type="button" lang=${other} @click=${context.onLanguage}>${context.messages.otherLanguage}</button>
    <button type="button" @click=${context.onSignOut}>${context.messages.signOut}</button>
  </div>`;
}

/** The desk's column: every screen, then the account. */
export function renderSideNav(context: NavContext): TemplateResult {
  return html`<nav class="side" aria-label=${context.messages.navigation}>
    <ul>
      ${ORDER.map((screen) => link(screen, context))}
    </ul>
    ${account(context)}
  </nav>`;
}

/** The phone's bottom bar, and the "Plus" menu above it when open. */
export function renderBottomBar(context: NavContext): TemplateResult {
  const { messages } = context;
  // The first screens the organiser may open go on the bar (without a feed: the feeds, the sources…).
  const open = ORDER.filter((screen) => canOpen(screen, context.role, context.hasFeed));
  const bar = open.slice(0, BAR_SIZE);
  const sheet = open.slice(BAR_SIZE);
  return html`<nav class="bottom" aria-label=${messages.navigation}>
    <div class="sheet" id="more-menu" ?hidden=${!context.menuOpen}>
      <ul>
        ${sheet.map((screen) => link(screen, context))}
      </ul>
      ${account(context)}
    </div>
    <ul class="bar">
      ${bar.map((screen) => link(screen, context, true))}
      <li>
        <button
          class="more"
          type="button"
          aria-expanded=${context.menuOpen ? 'true' : 'false'}
          aria-controls="more-menu"
          @click=${context.onToggleMenu}
        >
          ${messages.more}
        </button>
      </li>
    </ul>
  </nav>`;
}
