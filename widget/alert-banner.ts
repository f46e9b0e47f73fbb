/**
 * The urgent alert ("Orage : le site est évacué…"): a banner above every
 * mode, announced assertively (`role="alert"`), outside what the pause
 * freezes, the ticker moves or the wall rotates. It leaves when the
 * organisers withdraw it or when it expires, by the element's own clock too,
 * so a withdrawal that arrives late never leaves it up.
 */
import { html, nothing } from 'lit';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DirectiveResult } from 'lit/directive.js';
import { keyed } from 'lit/directives/keyed.js';
import type { Alert } from '../server/contract.js';
import type { FeedEnvironment } from './feed-connection.js';
import type { Locale, Messages } from './i18n.js';
import { postLanguage } from './post-text.js';

/** Browsers run a longer timeout at once; a far expiry is reached in steps. */
const MAX_TIMEOUT = 2_147_483_647;

/** The alert in force for one element, and the timer that takes it down at expiry. */
export class AlertController implements ReactiveController {
  /** The alert on screen, if any. */
  alert: Alert | undefined;
  private timer: number | undefined;
  private readonly host: ReactiveControllerHost;
  private readonly environment: () => FeedEnvironment;
  private readonly onExpire: () => void;

  constructor(host: ReactiveControllerHost, environment: () => FeedEnvironment, onExpire: () => void) {
    this.host = host;
    this.environment = environment;
    this.onExpire = onExpire;
    host.addController(this);
  }

  /** Shows `alert` in place of the current one; `null` takes the banner down. */
  set(alert: Alert | null): void {
    this.clearTimer();
    const expiresAt = alert?.expiresAt === undefined ? NaN : Date.parse(alert.expiresAt);
    this.alert = alert && !(expiresAt <= this.environment().now()) ? alert : undefined;
    if (this.alert && Number.isFinite(expiresAt)) this.arm(expiresAt);
    this.host.requestUpdate();
  }

  hostConnected(): void {
    if (this.alert) this.set(this.alert);
  }

  hostDisconnected(): void {
    this.clearTimer();
  }

  private arm(expiresAt: number): void {
    const environment = this.environment();
    const delay = Math.min(MAX_TIMEOUT, Math.max(0, expiresAt - environment.now()));
    this.timer = environment.setTimeout(() => {
      this.timer = undefined;
      if (this.environment().now() < expiresAt) {
        this.arm(expiresAt);
        return;
      }
      this.alert = undefined;
      this.host.requestUpdate();
      this.onExpire();
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.environment().clearTimeout(this.timer);
    this.timer = undefined;
  }
}

const WARNING = 'M12 2 1 21h22zm-1 7h2v6h-2zm0 8h2v2h-2z';

/**
 * The banner. Keyed by the alert's id: a new alert is a new node, which
 * screen readers announce again; the same alert updated keeps its node.
 */
export function renderAlertBanner(
  alert: Alert | undefined,
  messages: Messages,
  locale: Locale,
): DirectiveResult | typeof nothing {
  if (!alert) return nothing;
  return keyed(
    alert.id,
    html`<div part="alert" class="alert" role="alert" lang=${postLanguage(alert.lang) ?? nothing}>
      <svg class="alert-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d=${WARNING}></path></svg>
      <div class="alert-body">
        <p class="alert-label" lang=${locale}>${messages.urgentAlert}</p>
        <p class="alert-text">${alert.text}</p>
      </div>
    </div>`,
  );
}
