/**
 * The row of controls above the posts: the pause button, in every mode, and
 * in the list the button that shows the posts waiting above it.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { Messages } from './i18n.js';

export interface ControlsContext {
  messages: Messages;
  paused: boolean;
  /** Posts waiting behind "N nouvelles publications" (0: no button). */
  waiting: number;
  onTogglePause: () => void;
  onShowWaiting: () => void;
}

export function renderControls(context: ControlsContext): TemplateResult {
  const { messages, paused, waiting } = context;
  return html`<div part="controls" class="controls">
    <button part="button pause" class="secondary pause" type="button" @click=${context.onTogglePause}>
      <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path d=${paused ? 'M4 2l10 6-10 6z' : 'M3 2h4v12H3zM9 2h4v12H9z'}></path>
      </svg>
      ${paused ? messages.play : messages.pause}
    </button>
    ${
      waiting > 0
        ? html`<button part="button new-posts" class="new-posts" type="button" @click=${context.onShowWaiting}>
          ${messages.newPosts(waiting)}
        </button>`
        : nothing
    }
  </div>`;
}
