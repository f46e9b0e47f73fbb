/**
 * <console-announcements>: the organisers' own posts. Bold, italic, links and
 * line breaks, typed or inserted with the toolbar; pinned at the top of the
 * wall or placed in time; an optional expiry. The preview is the widget's
 * own post view, through the widget's own sanitizer: what it shows is what
 * the wall will show.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ANNOUNCEMENT_MAX_HTML_LENGTH } from '../../server/announcement-policy.js';
import { messagesFor } from '../i18n.js';
import { renderPost } from '../post-view.js';
import { postStyles } from '../post-view.styles.js';
import { sanitizeAnnouncementHtml } from '../sanitize.js';
import type { AnnouncementInput, Post } from './api-types.js';
import type { ConsoleApi, ConsoleEnvironment } from './api.js';
import { ApiError } from './api.js';
import { fragmentToMarkup, markupToHtml, markupToText, wrapSelection } from './announcement-markup.js';
import type { ConsoleConfirm } from './console-confirm.js';
import { consoleStyles } from './console.styles.js';
import { checkbox, focusFirstInvalid, textArea, textField } from './fields.js';
import { consoleMessages, describeError } from './i18n.js';
import type { ConsoleMessages, Locale } from './i18n.js';
import { Loader, renderLoaded } from './loader.js';
import { fromLocalInput, toLocalInput } from './settings-form.js';

interface Draft {
  /** The announcement being edited; undefined for a new one. */
  id: string | undefined;
  markup: string;
  pinned: boolean;
  at: string;
  expiresAt: string;
}

type DraftField = 'markup' | 'at' | 'expiresAt';

const EMPTY: Draft = { id: undefined, markup: '', pinned: true, at: '', expiresAt: '' };

/** Where a server error about an announcement belongs. */
const FIELDS: Record<string, DraftField> = { html: 'markup', text: 'markup', at: 'at', expiresAt: 'expiresAt' };

export class ConsoleAnnouncements extends LitElement {
  static override styles = [
    consoleStyles,
    postStyles,
    css`
      .toolbar {
        display: flex;
        gap: 0.5rem;
        margin-bottom: 0.5rem;
      }
      .toolbar button {
        flex: 1;
      }
      .preview {
        margin: 1rem 0;
      }
      .preview-label {
        font-weight: 600;
      }
      .list {
        margin-top: 1.5rem;
      }
      .post {
        margin-bottom: 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) environment!: ConsoleEnvironment;
  @property({ attribute: 'feed-id' }) feedId = '';
  /** The name announcements are signed with (the feed's organiser name). */
  @property({ attribute: 'organiser-name' }) organiserName = '';
  @property() locale: Locale = 'fr';

  @state() private draft: Draft = EMPTY;
  @state() private errors: Partial<Record<DraftField, string>> = {};
  @state() private formError = '';
  @state() private status = '';
  @state() private busy = false;

  @query('#markup') private textarea!: HTMLTextAreaElement;
  @query('console-confirm') private confirm!: ConsoleConfirm;

  private readonly loader = new Loader<Post[]>(this, () =>
    this.feedId ? this.api.announcements(this.feedId) : undefined,
  );

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('feedId') && this.hasUpdated) {
      this.draft = EMPTY;
      void this.loader.reload();
    }
  }

  protected override render(): TemplateResult {
    const messages = consoleMessages(this.locale);
    const draft = this.draft;
    return html`
      <p class="hint" role="status">${this.status}</p>
      <form class="card" @submit=${this.publish} novalidate aria-labelledby="editor-title">
        <h2 id="editor-title">${draft.id ? messages.editAnnouncement : messages.newAnnouncement}</h2>
        <p class="error" role="alert">${this.formError}</p>
        <div class="toolbar" role="toolbar" aria-label=${messages.formatting} aria-controls="markup">
          <button type="button" @click=${() => this.format('bold')}><strong>${messages.bold}</strong></button>
          <button type="button" @click=${() => this.format('italic')}><em>${messages.italic}</em></button>
          <button type="button" @click=${() => this.format('link')}>${messages.link}</button>
        </div>
        ${textArea({
          id: 'markup',
          label: messages.announcementText,
          hint: messages.markupHint,
          value: draft.markup,
          rows: 6,
          maxlength: ANNOUNCEMENT_MAX_HTML_LENGTH,
          required: true,
          error: this.errors.markup,
          onInput: (markup) => (this.draft = { ...this.draft, markup }),
        })}
        ${checkbox({
          id: 'pinned',
          label: messages.pinAnnouncement,
          hint: messages.pinAnnouncementHint,
          checked: draft.pinned,
          onChange: (pinned) => (this.draft = { ...this.draft, pinned }),
        })}
        ${
          draft.pinned
            ? nothing
            : textField({
                id: 'at',
                type: 'datetime-local',
                label: messages.placedAt,
                hint: messages.placedAtHint,
                value: draft.at,
                error: this.errors.at,
                onInput: (at) => (this.draft = { ...this.draft, at }),
              })
        }
        ${textField({
          id: 'expiresAt',
          type: 'datetime-local',
          label: messages.expiresAt,
          hint: messages.expiresAtHint,
          value: draft.expiresAt,
          error: this.errors.expiresAt,
          onInput: (expiresAt) => (this.draft = { ...this.draft, expiresAt }),
        })}
        <section class="preview" aria-labelledby="preview-title">
          <p class="preview-label" id="preview-title">${messages.preview}</p>
          ${renderPost(this.previewPost(), this.postContext())}
        </section>
        <div class="actions">
          ${draft.id ? html`<button type="button" @click=${() => this.edit(undefined)}>${messages.cancelEdit}</button>` : nothing}
          <button class="primary" type="submit" ?disabled=${this.busy}>
            ${draft.id ? messages.saveAnnouncement : messages.publishAnnouncement}
          </button>
        </div>
      </form>
      <section class="list" aria-labelledby="list-title">
        <h2 id="list-title" tabindex="-1">${messages.currentAnnouncements}</h2>
        ${renderLoaded(this.loader, messages, (posts) => this.renderList(posts, messages))}
      </section>
      <console-confirm></console-confirm>
    `;
  }

  private renderList(posts: Post[], messages: ConsoleMessages): TemplateResult {
    if (posts.length === 0) return html`<p class="hint">${messages.noAnnouncements}</p>`;
    return html`<ul class="stack">
      ${posts.map(
        (post) => html`<li class="card" data-post-id=${post.id}>
          ${renderPost(post, this.postContext())}
          <div class="actions">
            <button type="button" @click=${() => this.edit(post)}>
              ${messages.edit}<span class="visually-hidden"> ${messages.theAnnouncement(post.text.slice(0, 60))}</span>
            </button>
            <button type="button" class="danger" @click=${() => void this.deleteAnnouncement(post)}>
              ${messages.delete}<span class="visually-hidden"> ${messages.theAnnouncement(post.text.slice(0, 60))}</span>
            </button>
          </div>
        </li>`,
      )}
    </ul>`;
  }

  private postContext() {
    return {
      locale: this.locale,
      messages: messagesFor(this.locale),
      now: this.environment.now(),
      isRevealed: () => true,
      onReveal: () => undefined,
      sanitize: sanitizeAnnouncementHtml,
    };
  }

  /** The announcement as the wall will show it. */
  private previewPost(): Post {
    const draft = this.draft;
    const now = new Date(this.environment.now()).toISOString();
    const messages = consoleMessages(this.locale);
    const text = markupToText(draft.markup) || messages.previewEmpty;
    return {
      id: 'preview',
      source: 'organisers',
      url: '',
      createdAt: (!draft.pinned && draft.at && fromLocalInput(draft.at)) || now,
      author: { name: this.organiserName, handle: '', avatarUrl: '', profileUrl: '' },
      text,
      entities: { hashtags: [], mentions: [], links: [] },
      media: [],
      html: draft.markup.trim() ? markupToHtml(draft.markup) : `<p>${messages.previewEmpty}</p>`,
      ...(draft.pinned ? { pinnedAt: now } : {}),
    };
  }

  private async format(kind: 'bold' | 'italic' | 'link'): Promise<void> {
    const messages = consoleMessages(this.locale);
    const area = this.textarea;
    const placeholder = kind === 'link' ? messages.linkText : messages.formattedText;
    const result = wrapSelection(area.value, area.selectionStart, area.selectionEnd, kind, placeholder);
    this.draft = { ...this.draft, markup: result.text };
    await this.updateComplete;
    area.focus();
    area.setSelectionRange(result.selectionStart, result.selectionEnd);
  }

  private async edit(post: Post | undefined): Promise<void> {
    this.errors = {};
    this.formError = '';
    this.draft = post
      ? {
          id: post.id,
          markup: post.html ? fragmentToMarkup(sanitizeAnnouncementHtml(post.html)) : post.text,
          pinned: post.pinnedAt !== undefined,
          at: post.pinnedAt === undefined ? toLocalInput(post.createdAt) : '',
          expiresAt: toLocalInput(post.expiresAt),
        }
      : EMPTY;
    await this.updateComplete;
    this.textarea.focus();
  }

  private readonly publish = async (event: Event): Promise<void> => {
    event.preventDefault();
    const messages = consoleMessages(this.locale);
    const draft = this.draft;
    if (!draft.markup.trim()) {
      this.errors = { markup: messages.required };
      await this.updateComplete;
      focusFirstInvalid(this.renderRoot);
      return;
    }
    const input: AnnouncementInput = {
      html: markupToHtml(draft.markup),
      pinned: draft.pinned,
      ...(!draft.pinned && draft.at ? { at: fromLocalInput(draft.at) } : {}),
      ...(draft.expiresAt ? { expiresAt: fromLocalInput(draft.expiresAt) } : {}),
    };
    this.busy = true;
    this.errors = {};
    this.formError = '';
    try {
      if (draft.id) await this.api.editAnnouncement(this.feedId, draft.id, input);
      else await this.api.announce(this.feedId, input);
      this.status = draft.id ? messages.announcementSaved : messages.announcementPublished;
      this.draft = EMPTY;
      void this.loader.reload();
    } catch (error) {
      this.showError(error, messages);
    } finally {
      this.busy = false;
    }
  };

  private async deleteAnnouncement(post: Post): Promise<void> {
    const messages = consoleMessages(this.locale);
    const yes = await this.confirm.ask({
      title: messages.deleteAnnouncementTitle,
      text: messages.deleteAnnouncementText(post.text.slice(0, 120)),
      confirm: messages.delete,
      cancel: messages.cancel,
      danger: true,
    });
    if (!yes) return;
    try {
      await this.api.deleteAnnouncement(this.feedId, post.id);
      this.status = messages.announcementDeleted;
      if (this.draft.id === post.id) this.draft = EMPTY;
      await this.loader.reload();
      this.renderRoot.querySelector<HTMLElement>('#list-title')?.focus();
    } catch (error) {
      this.showError(error, messages);
    }
  }

  private async showError(error: unknown, messages: ConsoleMessages): Promise<void> {
    if (!(error instanceof ApiError)) throw error;
    const field = error.field ? FIELDS[error.field] : undefined;
    if (field) this.errors = { [field]: error.reason };
    else this.formError = describeError(error, messages);
    await this.updateComplete;
    if (field) focusFirstInvalid(this.renderRoot);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-announcements': ConsoleAnnouncements;
  }
}
