/**
 * <console-queue>: the live queue of a feed's incoming posts. Held posts come
 * first, to decide; filters show what waits, what is shown and what is
 * hidden. Each card has its one-tap actions; after each, a snackbar says what
 * was done and offers to undo it. New posts arrive live through the
 * organisers' stream and wait behind a button (announced politely), so that
 * the list never moves under a thumb.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { postStyles } from '../post-view.styles.js';
import { AdminEventsController } from './admin-events.js';
import type { ConsoleApi, ConsoleEnvironment } from './api.js';
import { ApiError } from './api.js';
import type { DecisionAction, DecisionResult, QueueItem } from './api-types.js';
import { consoleStyles } from './console.styles.js';
import type { ConsoleSnackbar } from './console-snackbar.js';
import { consoleMessages, describeError } from './i18n.js';
import type { Locale } from './i18n.js';
import { Loader, renderLoaded } from './loader.js';
import { queueCardStyles, renderQueueCard } from './queue-card.js';
import { QueueList, filterVisibilities } from './queue-list.js';
import type { QueueFilter } from './queue-list.js';

/** Posts asked for per page. */
export const QUEUE_PAGE = 50;

const FILTERS: QueueFilter[] = ['all', 'held', 'shown', 'hidden'];

/** What was done to a post, to say so and to undo it. */
const DONE: Record<DecisionAction, 'approved' | 'hidden' | 'unhidden' | 'pinned' | 'unpinned'> = {
  approve: 'approved',
  hide: 'hidden',
  unhide: 'unhidden',
  pin: 'pinned',
  unpin: 'unpinned',
};

export class ConsoleQueue extends LitElement {
  static override styles = [
    consoleStyles,
    postStyles,
    queueCardStyles,
    css`
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem;
        margin-bottom: 0.75rem;
      }
      .filters {
        display: grid;
        grid-template-columns: repeat(4, minmax(0, 1fr));
        gap: 0.25rem;
        width: 100%;
        margin: 0;
        padding: 0;
        border: 0;
      }
      .filters button {
        padding-inline: 0.25rem;
        font-size: 0.9375rem;
      }
      .stream {
        color: var(--c-muted);
        margin: 0;
      }
      .stream.live::before {
        content: '●';
        color: var(--c-ok);
        margin-inline-end: 0.3em;
      }
      .waiting {
        width: 100%;
        margin-bottom: 0.75rem;
      }
      .more {
        width: 100%;
        margin-top: 0.75rem;
      }
      .empty {
        color: var(--c-muted);
      }
    `,
  ];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) environment!: ConsoleEnvironment;
  @property({ attribute: 'feed-id' }) feedId = '';
  @property() locale: Locale = 'fr';

  @state() private filter: QueueFilter = 'all';
  @state() private busy = new Set<string>();
  @state() private arrivals = '';
  @state() private loadingMore = false;
  @state() private exhausted = false;

  @query('console-snackbar') private snackbar!: ConsoleSnackbar;

  private readonly list = new QueueList('all');
  private readonly revealed = new Set<string>();

  private readonly loader = new Loader<QueueItem[]>(this, () => {
    if (!this.feedId) return undefined;
    const filter = this.filter;
    return this.api.queue(this.feedId, { visibility: filterVisibilities(filter), limit: QUEUE_PAGE }).then((items) => {
      this.list.replace(items, filter);
      this.exhausted = items.length < QUEUE_PAGE;
      return items;
    });
  });

  private readonly stream = new AdminEventsController(this, {
    environment: () => this.environment,
    url: () => (this.feedId ? this.api.eventsUrl(this.feedId) : undefined),
    onResync: () => void this.loader.reload(),
    onClosed: () => void this.api.session().catch(() => undefined),
    queue: (item) => this.arrive(item),
    dequeue: ({ id }) => {
      if (this.list.remove(id)) this.requestUpdate();
    },
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('feedId') && this.hasUpdated) {
      this.revealed.clear();
      void this.loader.reload();
    }
  }

  protected override render(): TemplateResult {
    const messages = consoleMessages(this.locale);
    const waiting = this.list.waiting();
    return html`
      <div class="toolbar">
        <div class="filters" role="group" aria-label=${messages.queueFilters}>
          ${FILTERS.map(
            (filter) => html`<button
              type="button"
              aria-pressed=${this.filter === filter ? 'true' : 'false'}
              @click=${() => this.setFilter(filter)}
            >
              ${messages.filters[filter]}
            </button>`,
          )}
        </div>
        <p class="stream ${this.stream.state}">${messages.streamStates[this.stream.state]}</p>
      </div>
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.arrivals}</div>
      ${
        waiting.length > 0
          ? html`<button class="waiting primary" type="button" @click=${this.showWaiting}>
            ${messages.showArrivals(waiting.length)}
          </button>`
          : nothing
      }
      ${renderLoaded(this.loader, messages, () => this.renderItems())}
      <console-snackbar .environment=${this.environment} close-label=${messages.close}></console-snackbar>
    `;
  }

  private renderItems(): TemplateResult {
    const messages = consoleMessages(this.locale);
    const items = this.list.visible();
    if (items.length === 0) return html`<p class="empty">${messages.queueEmpty[this.filter]}</p>`;
    const now = this.environment.now();
    return html`<ul class="stack" aria-label=${messages.queueLabel}>
        ${items.map((item) =>
          renderQueueCard(item, {
            locale: this.locale,
            messages,
            now,
            busy: this.busy.has(item.post.id),
            isRevealed: (id) => this.revealed.has(id),
            onReveal: (id) => {
              this.revealed.add(id);
              this.requestUpdate();
            },
            onAction: (target, action) => void this.act(target, action),
          }),
        )}
      </ul>
      ${
        this.exhausted
          ? nothing
          : html`<button class="more" type="button" ?disabled=${this.loadingMore} @click=${this.loadMore}>
            ${messages.olderPosts}
          </button>`
      }`;
  }

  private setFilter(filter: QueueFilter): void {
    if (filter === this.filter) return;
    this.filter = filter;
    void this.loader.reload();
  }

  /** A post came down the stream. */
  private arrive(item: QueueItem): void {
    const result = this.list.put(item);
    if (result === 'ignored') return;
    if (result !== 'changed') {
      const messages = consoleMessages(this.locale);
      const waiting = this.list.waiting();
      const held = (result === 'shown' ? [item] : waiting).filter((i) => i.visibility === 'held').length;
      this.arrivals = messages.arrivals(result === 'shown' ? 1 : waiting.length, held);
    }
    this.requestUpdate();
  }

  private readonly showWaiting = async (): Promise<void> => {
    const first = this.list.showWaiting();
    this.requestUpdate();
    await this.updateComplete;
    if (first) this.focusPost(first.post.id);
  };

  private readonly loadMore = async (): Promise<void> => {
    const last = this.list.last();
    if (!last) return;
    this.loadingMore = true;
    try {
      const items = await this.api.queue(this.feedId, {
        visibility: filterVisibilities(this.filter),
        before: last.post.id,
        limit: QUEUE_PAGE,
      });
      this.list.append(items);
      this.exhausted = items.length < QUEUE_PAGE;
    } catch (error) {
      this.showError(error, () => void this.loadMore());
    } finally {
      this.loadingMore = false;
    }
  };

  /** One tap: the decision, then what it did (with its undo), and the focus on the next post. */
  private async act(item: QueueItem, action: DecisionAction): Promise<void> {
    const id = item.post.id;
    const messages = consoleMessages(this.locale);
    const next = this.list.neighbour(id);
    this.setBusy(id, true);
    let result: DecisionResult;
    try {
      result = await this.api.decide(this.feedId, id, action);
    } catch (error) {
      this.setBusy(id, false);
      this.showError(error, () => void this.act(item, action));
      return;
    }
    this.setBusy(id, false);
    if (result.item) this.list.put(result.item);
    this.requestUpdate();
    const done = messages.done[DONE[action]];
    const auditId = result.auditId;
    this.snackbar.show({
      kind: 'done',
      text: done,
      returnFocus: () => this.focusPost(id),
      ...(auditId === null
        ? {}
        : {
            action: {
              label: messages.undo,
              accessibleLabel: messages.undoWhat(done),
              run: () => void this.undo(auditId, id),
            },
          }),
    });
    await this.updateComplete;
    this.focusPost(next?.post.id ?? id);
  }

  private async undo(auditId: number, postId: string): Promise<void> {
    const messages = consoleMessages(this.locale);
    try {
      const result = await this.api.undo(this.feedId, auditId);
      if (result.item) this.list.put(result.item);
      this.requestUpdate();
      this.snackbar.show({ kind: 'done', text: messages.undone });
      await this.updateComplete;
      this.focusPost(postId);
    } catch (error) {
      this.showError(error, () => void this.undo(auditId, postId));
    }
  }

  private showError(error: unknown, retry: () => void): void {
    if (!(error instanceof ApiError)) throw error;
    const messages = consoleMessages(this.locale);
    this.snackbar.show({
      kind: 'error',
      text: describeError(error, messages),
      ...(error.status === 401 || error.status === 403 ? {} : { action: { label: messages.retry, run: retry } }),
    });
  }

  private setBusy(id: string, busy: boolean): void {
    const next = new Set(this.busy);
    if (busy) next.add(id);
    else next.delete(id);
    this.busy = next;
  }

  /** Moves the focus to a post (its article, which screen readers read whole). */
  private focusPost(id: string): void {
    const card = this.renderRoot.querySelector(`li[data-post-id="${CSS.escape(id)}"]`);
    card?.querySelector<HTMLElement>('article')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-queue': ConsoleQueue;
  }
}
