/**
 * A module an element loads only when it needs it (the announcements'
 * sanitizer, the wall mode), once per page whatever the number of elements.
 */
import type { ReactiveControllerHost } from 'lit';

/** Fetches the module. */
export type ModuleLoader<T> = () => Promise<T>;

/** What each loader gave: elements that need it later get it at once, with no render in between. */
const loaded = new WeakMap<ModuleLoader<unknown>, unknown>();

/** One element's view of a module loaded on demand. */
export class LazyModule<T> {
  /** The module, once loaded. */
  value: T | undefined;
  /** True once loading failed; the element shows what it can without it. */
  failed = false;
  private requested = false;
  private readonly host: ReactiveControllerHost;
  private readonly loader: () => ModuleLoader<T>;
  private readonly onLoad: (value: T) => void;
  private readonly onError: (error: unknown) => void;

  /** `onLoad` runs once for this element, before the render that uses the module. */
  constructor(
    host: ReactiveControllerHost,
    loader: () => ModuleLoader<T>,
    {
      onLoad = () => undefined,
      onError = () => undefined,
    }: { onLoad?: (value: T) => void; onError?: (error: unknown) => void } = {},
  ) {
    this.host = host;
    this.loader = loader;
    this.onLoad = onLoad;
    this.onError = onError;
  }

  /** Starts loading, once; the host renders again when the module is there, or when it failed. */
  request(): void {
    if (this.requested) return;
    this.requested = true;
    const loader = this.loader();
    if (loaded.has(loader)) {
      this.accept(loaded.get(loader) as T);
      return;
    }
    loader().then(
      (value) => {
        loaded.set(loader, value);
        this.accept(value);
        this.host.requestUpdate();
      },
      (error: unknown) => {
        this.failed = true;
        this.onError(error);
        this.host.requestUpdate();
      },
    );
  }

  private accept(value: T): void {
    this.value = value;
    this.onLoad(value);
  }
}
