import { describe, expect, it } from 'vitest';
import { InputError } from '../../../server/errors.js';
import {
  accountsOf,
  feedInfoOf,
  parseFeedSettings,
  settingsHash,
  sourceKeyOf,
} from '../../../server/feeds/settings.js';

function fieldOf(input: unknown): string {
  try {
    parseFeedSettings(input);
  } catch (err) {
    if (err instanceof InputError) return `${err.field}: ${err.reason}`;
    throw err;
  }
  throw new Error('expected an InputError');
}

const base = { id: 'fete', title: 'Fête' };

describe('feed settings', () => {
  it('reads the older single-source form into sources, with every default', () => {
    expect(parseFeedSettings({ ...base, source: 'x', accounts: ['@Ville'], hashtags: ['#Fete'] })).toEqual({
      id: 'fete',
      title: 'Fête',
      lang: 'fr',
      state: 'active',
      hashtags: ['Fete'],
      sources: [{ network: 'x', accounts: ['Ville'] }],
      display: { languages: [], reposts: true, replies: false },
      moderation: {
        mode: 'post',
        trustedAccounts: ['Ville'],
        blockedAccounts: [],
        blockedTerms: [],
        sensitiveMedia: 'blur',
        minAccountAgeDays: null,
      },
      organiserName: 'Organisateurs',
    });
    expect(parseFeedSettings(base).sources).toEqual([{ network: 'demo', accounts: [] }]);
  });

  it('reads X, Mastodon on two instances and Bluesky in one feed, each entry keyed apart', () => {
    const settings = parseFeedSettings({
      ...base,
      hashtags: ['FeteDuLivre'],
      sources: [
        { network: 'x', accounts: ['@saint_etienne_'] },
        {
          network: 'mastodon',
          instance: 'https://Mastodon.social/',
          accounts: ['@Ville@mastodon.social'],
          mediaHost: 'files.mastodon.social',
        },
        { network: 'mastodon', instance: 'http://127.0.0.1:8080', accounts: [] },
        { network: 'bluesky', accounts: ['@Ville.bsky.social', 'did:plc:abc123'] },
      ],
    });
    expect(settings.sources).toEqual([
      { network: 'x', accounts: ['saint_etienne_'] },
      {
        network: 'mastodon',
        instance: 'https://mastodon.social',
        accounts: ['ville@mastodon.social'],
        mediaHost: 'files.mastodon.social',
      },
      { network: 'mastodon', instance: 'http://127.0.0.1:8080', accounts: [] },
      { network: 'bluesky', accounts: ['ville.bsky.social', 'did:plc:abc123'] },
    ]);
    expect(settings.sources.map(sourceKeyOf)).toEqual([
      'x',
      'mastodon:mastodon.social',
      'mastodon:127.0.0.1:8080',
      'bluesky',
    ]);
    // The town's own accounts on every network are trusted by default, and read back as they are.
    expect(settings.moderation.trustedAccounts).toEqual([
      'saint_etienne_',
      'ville@mastodon.social',
      'ville.bsky.social',
      'did:plc:abc123',
    ]);
    expect(parseFeedSettings(settings)).toEqual(settings);
    expect(accountsOf(settings, 'mastodon')).toEqual(['ville@mastodon.social']);
  });

  it('reads the new form, and gives back the same settings when it reads its own output', () => {
    const settings = parseFeedSettings({
      ...base,
      state: 'paused',
      hashtags: ['FeteDuLivre'],
      sources: [
        { network: 'x', accounts: ['saint_etienne_'] },
        { network: 'demo', accounts: [] },
      ],
      display: { languages: ['FR', 'en'], reposts: false, replies: true },
      moderation: { mode: 'pre', trustedAccounts: ['mairie'], blockedTerms: ['casse toi'], minAccountAgeDays: 30 },
      organiserName: 'Mairie de Saint-Étienne',
    });
    expect(settings.display.languages).toEqual(['fr', 'en']);
    expect(settings.moderation).toMatchObject({ mode: 'pre', trustedAccounts: ['mairie'], minAccountAgeDays: 30 });
    expect(parseFeedSettings(settings)).toEqual(settings);
    expect(settingsHash(parseFeedSettings(settings))).toBe(settingsHash(settings));
    expect(feedInfoOf(settings)).toEqual({
      id: 'fete',
      title: 'Fête',
      hashtags: ['FeteDuLivre'],
      accounts: ['saint_etienne_'],
    });
  });

  it.each([
    [
      { ...base, sources: [{ network: 'x', accounts: ['ok', 'pas bon'] }], hashtags: ['a'] },
      'sources[0].accounts[1]: must be an X username',
    ],
    [{ ...base, source: 'x', accounts: ['x'], sources: [{ network: 'x' }] }, 'sources: use "sources" or the older'],
    [
      { ...base, sources: [{ network: 'x' }, { network: 'x', accounts: ['a'] }], hashtags: ['a'] },
      'sources[1].network: "x" is listed twice',
    ],
    [{ ...base, sources: [{ network: 'x' }] }, 'sources[0].accounts: an X feed needs at least one account or hashtag'],
    [{ ...base, source: 'x' }, 'accounts: an X feed needs at least one account or hashtag'],
    [{ ...base, sources: [] }, 'sources: must list at least one source'],
    [{ ...base, sources: [{ network: 'mastodon' }] }, 'sources[0].instance: must be the address of a Mastodon server'],
    [{ ...base, sources: [{ network: 'threads' }] }, 'sources[0].network:'],
    [
      { ...base, sources: [{ network: 'mastodon', instance: 'http://mastodon.social' }], hashtags: ['a'] },
      'sources[0].instance: must be an https:// address (http:// only for a local test server)',
    ],
    [
      { ...base, sources: [{ network: 'mastodon', instance: 'https://mastodon.social/@ville' }], hashtags: ['a'] },
      'sources[0].instance: must be the server',
    ],
    [
      { ...base, sources: [{ network: 'mastodon', instance: 'https://mastodon.social', accounts: ['ville'] }] },
      'sources[0].accounts[0]: must be a Mastodon account with its server, like "ville@mastodon.social"',
    ],
    [
      {
        ...base,
        hashtags: ['a'],
        sources: [
          { network: 'mastodon', instance: 'https://mastodon.social' },
          { network: 'mastodon', instance: 'https://MASTODON.social/' },
        ],
      },
      'sources[1].instance: "mastodon:mastodon.social" is listed twice',
    ],
    [
      { ...base, sources: [{ network: 'bluesky', accounts: ['ville_bsky'] }] },
      'sources[0].accounts[0]: must be a Bluesky handle like "ville.bsky.social", or a did',
    ],
    [{ ...base, sources: [{ network: 'bluesky' }] }, 'sources[0].accounts: a Bluesky feed needs at least one account'],
    [{ ...base, source: 'mastodon', accounts: ['a'] }, 'source:'],
    [
      { ...base, moderation: { blockedAccounts: ['pas bon'] } },
      'moderation.blockedAccounts[0]: must be an account: an X username, a Mastodon "user@server" or a Bluesky handle',
    ],
    [{ ...base, hashtags: ['2026'] }, 'hashtags[0]: must be a hashtag: not only digits'],
    [{ ...base, hashtags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'hashtags: must list at most 20 hashtags'],
    [{ ...base, state: 'deleted' }, 'state:'],
    [{ ...base, display: { languages: ['français'] } }, 'display.languages[0]: must be a language code'],
    [{ ...base, moderation: { mode: 'after' } }, 'moderation.mode:'],
    [{ ...base, moderation: { blockedTerms: ['ok', '!!!'] } }, 'moderation.blockedTerms[1]: must contain a letter'],
    [{ ...base, moderation: { blockedTerms: ['x'.repeat(101)] } }, 'moderation.blockedTerms[0]: must be at most 100'],
    [
      { ...base, moderation: { minAccountAgeDays: 0 } },
      'moderation.minAccountAgeDays: must be a whole number from 1 to 3650 days',
    ],
    [{ ...base, moderation: { sensitiveMedia: 'show' } }, 'moderation.sensitiveMedia:'],
    [
      { ...base, moderation: { trustedAccounts: Array.from({ length: 101 }, (_, i) => `a${i}`) } },
      'moderation.trustedAccounts: must list at most 100',
    ],
    [{ ...base, organiserName: '  ' }, 'organiserName: must not be empty'],
    [{ ...base, colour: 'red' }, 'colour: is not a known field'],
  ])('names the field of a mistake (%#)', (input, expected) => {
    expect(fieldOf(input)).toContain(expected);
  });
});
