/**
 * The console's frame: a header, the screen, and the navigation (a bottom
 * bar on a phone, a left column from 60rem on). Nothing is wider than the
 * screen at 390 px.
 */
import { css } from 'lit';

export const shellStyles = css`
  :host {
    --console-bottom-offset: 4.5rem;
    min-height: 100vh;
    background: var(--c-page);
  }

  .top {
    position: sticky;
    top: 0;
    z-index: 10;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 1rem;
    padding: 0.5rem 1rem;
    border-bottom: 1px solid var(--c-line);
    background: var(--c-bg);
  }

  .brand {
    margin: 0;
    font-weight: 700;
  }

  .current-feed {
    margin: 0;
    color: var(--c-muted);
    overflow-wrap: anywhere;
  }

  .skip {
    position: absolute;
    inset-inline-start: 0.5rem;
    top: -10rem;
  }

  .skip:focus {
    top: 0.5rem;
    z-index: 30;
  }

  main {
    padding: 1rem 1rem calc(var(--console-bottom-offset) + 1rem);
    max-width: 48rem;
    margin: 0 auto;
    min-width: 0;
  }

  main > h1 {
    font-size: 1.5rem;
    margin-bottom: 1rem;
  }

  main > h1:focus {
    outline: none;
  }

  main > h1:focus-visible {
    outline: 3px solid var(--c-focus);
  }

  nav ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  nav a {
    display: flex;
    align-items: center;
    justify-content: center;
    min-height: 2.75rem;
    padding: 0.25rem 0.5rem;
    border-radius: 0.5rem;
    color: var(--c-text);
    font-weight: 600;
    text-decoration: none;
  }

  nav a[aria-current='page'] {
    background: var(--c-selected);
    color: var(--c-accent);
    box-shadow: inset 0 -3px 0 var(--c-accent);
  }

  .account {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }

  .who {
    margin: 0;
    width: 100%;
    color: var(--c-muted);
  }

  /* Phone: the bottom bar. */
  /* Above the snackbar: the "Plus" menu opens over it. */
  .bottom {
    position: fixed;
    z-index: 25;
    inset-inline: 0;
    bottom: 0;
    border-top: 1px solid var(--c-line);
    background: var(--c-bg);
    padding-bottom: env(safe-area-inset-bottom, 0);
  }

  .bottom .bar {
    display: grid;
    grid-template-columns: repeat(4, minmax(0, 1fr));
    gap: 0.25rem;
    padding: 0.25rem;
  }

  .bottom .bar a,
  .bottom .bar button {
    width: 100%;
    min-height: 3.5rem;
    padding: 0.25rem;
    border: 0;
    font-size: 0.9375rem;
  }

  .sheet {
    max-height: 70vh;
    overflow-y: auto;
    padding: 0.75rem 1rem;
    border-bottom: 1px solid var(--c-line);
  }

  .sheet[hidden] {
    display: none;
  }

  .sheet ul {
    display: grid;
    gap: 0.25rem;
    margin-bottom: 0.75rem;
  }

  .sheet a {
    justify-content: flex-start;
  }

  .side {
    display: none;
  }

  .start {
    max-width: 28rem;
    margin: 0 auto;
  }

  /* Desk: a column on the left with everything. */
  @media (min-width: 60rem) {
    :host {
      --console-bottom-offset: 0px;
    }

    .shell {
      display: grid;
      grid-template-columns: 15rem minmax(0, 1fr);
      grid-template-rows: auto 1fr;
    }

    .top {
      grid-column: 1 / -1;
    }

    .side {
      display: flex;
      flex-direction: column;
      gap: 1.5rem;
      position: sticky;
      top: 3.5rem;
      align-self: start;
      padding: 1rem;
    }

    .side ul {
      display: grid;
      gap: 0.25rem;
    }

    .side a {
      justify-content: flex-start;
    }

    .side a[aria-current='page'] {
      box-shadow: inset 3px 0 0 var(--c-accent);
    }

    .bottom {
      display: none;
    }

    main {
      width: 100%;
    }
  }
`;
