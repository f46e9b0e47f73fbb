/**
 * The configurator's "Réseaux du flux" panel: which networks a feed reads,
 * and the `sources` of that feed to paste into the server's configuration
 * file, one entry per network. Pure functions first (tested on their own),
 * then the panel's wiring. Plain ES module, no build step; nodes are built
 * with textContent only (the page runs under Trusted Types).
 */

/** The networks a feed can read, in the order the panel shows them. */
export const NETWORKS = ['x', 'mastodon', 'bluesky'];

/** The instance proposed when none is typed. */
export const DEFAULT_INSTANCE = 'https://mastodon.social';

/** Handles typed with commas, spaces or new lines, without their first "@", each once. */
export function parseAccounts(text) {
  const accounts = String(text ?? '')
    .split(/[\s,;]+/)
    .map((account) => account.trim().replace(/^@/, ''))
    .filter(Boolean);
  return [...new Set(accounts)];
}

/**
 * What is wrong with an account for its network, or '' when it reads well:
 * `ville_de_x` on X, `ville@instance` on Mastodon, `ville.bsky.social` on Bluesky.
 */
export function accountProblem(network, account) {
  if (network === 'x') {
    return /^[A-Za-z0-9_]{1,15}$/.test(account)
      ? ''
      : `« ${account} » : un compte X fait 1 à 15 lettres, chiffres ou _.`;
  }
  if (network === 'mastodon') {
    return /^[A-Za-z0-9_]+(@[a-z0-9-]+(\.[a-z0-9-]+)+)?$/i.test(account)
      ? ''
      : `« ${account} » : un compte Mastodon s’écrit nom@instance, par exemple ville@mastodon.social.`;
  }
  return /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*$/i.test(account)
    ? ''
    : `« ${account} » : un compte Bluesky est un nom de domaine, par exemple ville.bsky.social.`;
}

/** The instance's address (`https://host`), or undefined when it is not one. */
export function parseInstance(text) {
  const value = String(text ?? '').trim() || DEFAULT_INSTANCE;
  try {
    const url = new URL(/^https?:\/\//i.test(value) ? value : `https://${value}`);
    if (url.protocol !== 'https:' || url.pathname !== '/' || url.search || url.hash || url.username) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/**
 * The feed's `sources`, one per chosen network, each with the feed's hashtags
 * and its own accounts. A Mastodon account typed without its instance gets
 * the instance's domain.
 *
 * @param {{ hashtags: string[] }} feed
 * @param {{ network: string, accounts: string[], instance?: string }[]} chosen
 */
export function buildSources(feed, chosen) {
  const hashtags = (feed?.hashtags ?? []).map((tag) => tag.replace(/^#/, ''));
  return chosen.map(({ network, accounts, instance }) => {
    if (network !== 'mastodon') return { network, accounts, hashtags };
    const domain = new URL(instance ?? DEFAULT_INSTANCE).host;
    const full = accounts.map((account) => (account.includes('@') ? account : `${account}@${domain}`));
    return { network, instance: instance ?? DEFAULT_INSTANCE, accounts: full, hashtags };
  });
}

/** The snippet to paste: the feed's id and title, and its `sources`, as JSON. */
export function buildSourcesSnippet(feed, chosen) {
  const entry = { id: feed?.id ?? 'mon-flux', title: feed?.title ?? '', sources: buildSources(feed, chosen) };
  return JSON.stringify(entry, null, 2).replace(/\[\n\s+([^\n[\]{}]*)\n\s+\]/g, '[$1]');
}

// ---------------------------------------------------------------- the panel

/**
 * Wires the panel: reads its fields, shows what is wrong with an account
 * next to its field, and writes the snippet. `currentFeed()` is the feed the
 * main form has chosen.
 */
export function startSourcesPanel(currentFeed) {
  const panel = document.getElementById('cf-networks');
  const code = document.getElementById('cf-sources');
  if (!panel || !code) return () => {};

  function read() {
    const chosen = [];
    let problems = 0;
    for (const network of NETWORKS) {
      const on = /** @type {HTMLInputElement} */ (panel.querySelector(`[name="${network}"]`)).checked;
      const input = /** @type {HTMLInputElement} */ (panel.querySelector(`[name="${network}-accounts"]`));
      const error = /** @type {HTMLElement} */ (document.getElementById(`cf-${network}-error`));
      for (const field of panel.querySelectorAll(`[data-network="${network}"]`)) field.hidden = !on;
      const accounts = parseAccounts(input.value);
      let message = on ? (accounts.map((account) => accountProblem(network, account)).find(Boolean) ?? '') : '';
      let instance;
      if (on && network === 'mastodon') {
        instance = parseInstance(/** @type {HTMLInputElement} */ (panel.querySelector('[name="instance"]')).value);
        if (!instance) message = 'L’instance s’écrit comme une adresse https://, par exemple https://mastodon.social.';
      }
      error.textContent = message;
      error.hidden = !message;
      input.setAttribute('aria-invalid', message ? 'true' : 'false');
      if (message) problems++;
      if (on && !message) chosen.push(network === 'mastodon' ? { network, accounts, instance } : { network, accounts });
    }
    return { chosen, problems };
  }

  function refresh() {
    const { chosen, problems } = read();
    const text =
      chosen.length === 0 && problems === 0
        ? 'Choisissez au moins un réseau.'
        : buildSourcesSnippet(currentFeed(), chosen);
    if (code.textContent !== text) code.textContent = text;
  }

  panel.addEventListener('input', refresh);
  panel.addEventListener('change', refresh);
  panel.addEventListener('submit', (event) => event.preventDefault());
  refresh();
  return refresh;
}
