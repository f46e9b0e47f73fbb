/**
 * What a screen loads from the API when it appears (the queue, the audit log,
 * the accounts…): its state, the value, and the error to show with a button
 * to try again. Answers that arrive after the screen asked again, or left the
 * page, are dropped.
 */
import { html, nothing } from 'lit';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import type { ApiError } from './api.js';
import { describeError } from './i18n.js';
import type { ConsoleMessages } from './i18n.js';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export class Loader<T> implements ReactiveController {
  state: LoadState = 'idle';
  value: T | undefined;
  error: ApiError | undefined;
  private readonly host: ReactiveControllerHost;
  private readonly load: () => Promise<T> | undefined;
  private generation = 0;

  /** `load` returns undefined when there is nothing to load yet (no feed chosen). */
  constructor(host: ReactiveControllerHost, load: () => Promise<T> | undefined) {
    this.host = host;
    this.load = load;
    host.addController(this);
  }

  hostConnected(): void {
    void this.reload();
  }

  hostDisconnected(): void {
    this.generation++;
  }

  /** Loads again; resolves when the answer is in (or was dropped). */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    const pending = this.load();
    if (!pending) {
      this.state = 'idle';
      this.host.requestUpdate();
      return;
    }
    this.state = 'loading';
    this.host.requestUpdate();
    try {
      const value = await pending;
      if (generation !== this.generation) return;
      this.value = value;
      this.error = undefined;
      this.state = 'ready';
    } catch (error) {
      if (generation !== this.generation) return;
      this.error = error as ApiError;
      this.state = 'error';
    }
    this.host.requestUpdate();
  }
}

/**
 * The loader's value through `render`, or "Chargement…", or the error with a
 * button to try again (the error is announced: `role="alert"`).
 */
export function renderLoaded<T>(
  loader: Loader<T>,
  messages: ConsoleMessages,
  render: (value: T) => TemplateResult | typeof nothing,
): TemplateResult | typeof nothing {
  if (loader.state === 'error' && loader.error) {
    return html`<div class="card load-error">
      <p class="error" role="alert">${describeError(loader.error, messages)}</p>
      <button type="button" @click=${() => void loader.reload()}>${messages.retry}</button>
    </div>`;
  }
  if (loader.value !== undefined) return render(loader.value);
  if (loader.state === 'loading') return html`<p class="hint" aria-busy="true">${messages.loading}</p>`;
  return nothing;
}
