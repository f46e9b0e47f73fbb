/**
 * The configurator's form: what it says (valid values only), what is wrong
 * next to the field it concerns, the settings of the chosen mode only, and
 * whether the accent colour reads on the theme's background. Plain ES
 * module, no build step; text is set with textContent only (the page runs
 * under Trusted Types).
 */

import { contrast, DEFAULTS } from './configurateur-snippet.js';

/** Background of each theme, to warn about an accent colour that would be hard to read. */
const THEME_BACKGROUNDS = { light: ['#ffffff'], dark: ['#15171b'], auto: ['#ffffff', '#15171b'] };

/** WCAG AA for normal text. */
const MIN_CONTRAST = 4.5;

export const form = /** @type {HTMLFormElement} */ (document.getElementById('configurateur'));
export const serverInput = /** @type {HTMLInputElement} */ (document.getElementById('cf-server'));
export const feedSelect = /** @type {HTMLSelectElement} */ (document.getElementById('cf-feed'));
const accentToggle = /** @type {HTMLInputElement} */ (document.getElementById('cf-accent-on'));
const accentInput = /** @type {HTMLInputElement} */ (document.getElementById('cf-accent'));
const accentContrast = /** @type {HTMLElement} */ (document.getElementById('cf-accent-contrast'));

/** Last valid server address, kept while the field holds a mistake. */
let lastServer = location.origin;

/** The server's address without a trailing slash, or an error message. */
function parseServer(raw) {
  const value = raw.trim();
  if (!value) return { error: 'Indiquez l’adresse du serveur, par exemple https://flux.ma-commune.fr.' };
  let url;
  try {
    url = new URL(value);
  } catch {
    return { error: 'Adresse invalide : elle doit commencer par https:// (ou http://).' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { error: 'Adresse invalide : elle doit commencer par https:// (ou http://).' };
  }
  if (url.search || url.hash || url.username || url.password) {
    return { error: 'Indiquez seulement l’adresse du serveur, sans « ? », « # » ni identifiants.' };
  }
  return { value: (url.origin + url.pathname).replace(/\/+$/, '') };
}

/** A whole number within the field's min and max, '' when empty, or an error. */
function readNumber(input) {
  const text = input.value.trim();
  if (text === '') return { value: '' };
  const number = Number(text);
  const min = Number(input.min);
  const max = Number(input.max);
  if (!Number.isInteger(number) || number < min || number > max) {
    return { error: `Saisissez un nombre entier de ${min} à ${max}.` };
  }
  return { value: number };
}

function showError(input, message) {
  const error = document.getElementById(`${input.id}-error`);
  if (!error) return;
  error.textContent = message ?? '';
  error.hidden = !message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** The value of the chosen radio button of `name`, or the widget's default. */
export function checked(name) {
  const input = form.querySelector(`input[name="${name}"]:checked`);
  return input ? input.value : DEFAULTS[name];
}

/** Everything the form says, valid values only. */
export function readSettings() {
  const server = parseServer(serverInput.value);
  showError(serverInput, server.error);
  if (server.value) lastServer = server.value;

  const numbers = {};
  for (const name of ['limit', 'speed', 'interval', 'radius']) {
    const input = form.elements.namedItem(name);
    const result = readNumber(input);
    showError(input, result.error);
    numbers[name] = result.error ? '' : result.value;
  }

  return {
    server: lastServer,
    feed: feedSelect.value,
    mode: checked('mode'),
    lang: checked('lang'),
    theme: checked('theme'),
    limit: numbers.limit,
    speed: numbers.speed,
    interval: numbers.interval,
    timeZone: form.elements.namedItem('timeZone').value,
    accent: accentToggle.checked ? accentInput.value : '',
    font: form.elements.namedItem('font').value,
    radius: numbers.radius,
  };
}

/** Changes a text only when it differs, so that a live region does not repeat itself. */
export function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

export function updateAccentContrast(settings) {
  if (!settings.accent) {
    accentContrast.classList.remove('hint--warning');
    setText(accentContrast, 'Couleur du thème choisi (par défaut).');
    return;
  }
  const ratio = Math.min(...THEME_BACKGROUNDS[settings.theme].map((bg) => contrast(settings.accent, bg)));
  const shown = ratio.toFixed(1).replace('.', ',');
  accentContrast.classList.toggle('hint--warning', ratio < MIN_CONTRAST);
  const advice =
    settings.theme === 'auto'
      ? 'Avec le thème automatique, la couleur doit se lire sur fond clair comme sur fond sombre : choisissez plutôt un thème fixe.'
      : `Choisissez une couleur plus ${settings.theme === 'dark' ? 'claire' : 'foncée'}.`;
  setText(
    accentContrast,
    ratio >= MIN_CONTRAST
      ? `Contraste avec le fond : ${shown}:1, suffisant.`
      : `Contraste avec le fond : ${shown}:1, insuffisant (4,5:1 au moins) : les liens seraient difficiles à lire. ${advice}`,
  );
}

/** Shows only the settings of the chosen mode (speed for the ticker, rotation for the wall). */
export function showModeFields(mode) {
  for (const field of form.querySelectorAll('[data-mode]')) field.hidden = field.dataset.mode !== mode;
}

/**
 * Fills in this server's address, and calls `refresh` whenever the form
 * changes: a colour picked turns the accent on, "reset the style" empties it.
 */
export function startForm(refresh) {
  serverInput.value = location.origin;
  accentInput.addEventListener('input', () => {
    accentToggle.checked = true;
  });
  form.addEventListener('input', refresh);
  form.addEventListener('change', refresh);
  form.addEventListener('submit', (event) => event.preventDefault());
  document.getElementById('cf-reset-style')?.addEventListener('click', () => {
    accentToggle.checked = false;
    accentInput.value = '#1a6b3c';
    form.elements.namedItem('font').value = '';
    form.elements.namedItem('radius').value = '';
    refresh();
  });
}
