/**
 * The element's sense of time: `now` for relative times ("il y a 5
 * minutes"), refreshed every 30 s, or on the minute for the wall's clock,
 * from the element's environment (fake timers in tests).
 */
import { html } from 'lit';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import type { FeedEnvironment } from './feed-connection.js';
import { formatClockTime } from './i18n.js';
import type { Locale } from './i18n.js';

/** How often relative times are refreshed. */
const RELATIVE_TICK = 30_000;
const MINUTE = 60_000;

export class ClockController implements ReactiveController {
  /** The current time, in milliseconds. */
  now = Date.now();
  private timer: number | undefined;
  private readonly host: ReactiveControllerHost;
  private readonly environment: () => FeedEnvironment;
  private readonly onTheMinute: () => boolean;

  /** `onTheMinute`: true while a clock face shows the time (the wall). */
  constructor(host: ReactiveControllerHost, environment: () => FeedEnvironment, onTheMinute: () => boolean) {
    this.host = host;
    this.environment = environment;
    this.onTheMinute = onTheMinute;
    host.addController(this);
  }

  hostConnected(): void {
    this.tick();
  }

  hostDisconnected(): void {
    if (this.timer !== undefined) this.environment().clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Reads the time now and ticks again from here (the wall's clock turns on the minute). */
  restart(): void {
    if (this.timer === undefined) return;
    this.hostDisconnected();
    this.tick();
  }

  private readonly tick = (): void => {
    const environment = this.environment();
    this.now = environment.now();
    const delay = this.onTheMinute() ? MINUTE - (this.now % MINUTE) + 50 : RELATIVE_TICK;
    this.timer = environment.setTimeout(this.tick, delay);
    this.host.requestUpdate();
  };
}

/** The wall's clock face: "14 h 32". */
export function renderClock(now: number, locale: Locale, timeZone: string | undefined): TemplateResult {
  const date = new Date(now);
  return html`<time part="clock" class="clock" datetime=${date.toISOString()}
    >${formatClockTime(date, locale, timeZone)}</time
  >`;
}
