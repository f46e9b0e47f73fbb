import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkConfig, ConfigError, loadConfig, parseConfigFile } from '../../server/config.js';
import { tempDir } from '../helpers/config.js';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAtoken-for-config-tests';

function windowOf(start: string, end: string): string {
  return JSON.stringify({ feeds: [{ id: 'a', title: 'A', eventWindow: { start, end } }] });
}

function xBlock(x: Record<string, unknown>): string {
  return JSON.stringify({ feeds: [{ id: 'a', title: 'A' }], x });
}

describe('loadConfig', () => {
  it('runs the built-in demo feed on port 3000 with no configuration at all', () => {
    const config = loadConfig({}, []);
    expect(config.port).toBe(3000);
    expect(config.feeds).toHaveLength(1);
    expect(config.feeds[0]).toMatchObject({ id: 'saint-etienne', sources: [{ network: 'demo' }] });
    expect(config.dataDir).toBe(path.resolve('data'));
  });

  it('caps viewers per address and connections by default, and trusts no proxy', () => {
    expect(loadConfig({}, [])).toMatchObject({
      maxViewers: 10_000,
      maxViewersPerAddress: 1000,
      maxConnections: 20_000,
      trustProxy: 0,
    });
    expect(loadConfig({ MAX_VIEWERS: '50000' }, []).maxConnections).toBe(100_000);
    expect(
      loadConfig({ MAX_VIEWERS_PER_ADDRESS: '300', MAX_CONNECTIONS: '12000', TRUST_PROXY: '1' }, []),
    ).toMatchObject({ maxViewersPerAddress: 300, maxConnections: 12_000, trustProxy: 1 });
  });

  it('keeps archives a year, at least as long as other posts, 200 posts a page, dated in Paris time by default', () => {
    expect(loadConfig({}, [])).toMatchObject({
      retentionDays: 30,
      archiveRetentionDays: 365,
      archiveSize: 200,
      timeZone: 'Europe/Paris',
    });
    expect(loadConfig({ RETENTION_DAYS: '400' }, []).archiveRetentionDays).toBe(400);
    expect(
      loadConfig({ ARCHIVE_RETENTION_DAYS: '30', ARCHIVE_SIZE: '50', TIME_ZONE: 'America/Cayenne' }, []),
    ).toMatchObject({ archiveRetentionDays: 30, archiveSize: 50, timeZone: 'America/Cayenne' });
  });

  it('reads the X source by default once a token is set', () => {
    expect(loadConfig({ X_BEARER_TOKEN: TOKEN }, []).feeds[0]!.sources).toEqual([
      { network: 'x', accounts: ['saint_etienne_'] },
    ]);
  });

  it('drops spaces and line breaks around the token', () => {
    expect(loadConfig({ X_BEARER_TOKEN: ` ${TOKEN}\n` }, []).x.bearerToken).toBe(TOKEN);
  });

  it.each([
    ['abc', /too short for a bearer token: 3 characters, at least 20/],
    ['AAAA' + ' '.repeat(1) + 'B'.repeat(30), /must not contain spaces or line breaks/],
    ['AAAA\nBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', /must not contain spaces or line breaks/],
  ])('refuses an implausible X token, naming the key without echoing it (%j)', (token, reason) => {
    const err = errorOf(() => loadConfig({ X_BEARER_TOKEN: token }, []));
    expect(err.key).toBe('X_BEARER_TOKEN');
    expect(err.message).toMatch(reason);
    expect(err.message).not.toContain(token.trim());
  });

  it('reads a config file saved with a UTF-8 byte-order mark', () => {
    const file = path.join(tempDir(), 'feeds.json');
    writeFileSync(file, '\uFEFF' + JSON.stringify({ feeds: [{ id: 'roanne', title: 'Fête' }] }), 'utf8');
    expect(loadConfig({}, ['--config', file]).feeds[0]!.id).toBe('roanne');
  });

  it('reads feeds from the file given by --config or COMMUNE_FEED_CONFIG', () => {
    const file = path.join(tempDir(), 'feeds.json');
    writeFileSync(
      file,
      JSON.stringify({
        feeds: [{ id: 'roanne', title: 'Fête', source: 'demo', accounts: ['@VilledeRoanne'], hashtags: ['#Roanne'] }],
      }),
    );
    const a = loadConfig({}, ['--config', file]);
    expect(a.feeds[0]).toMatchObject({
      id: 'roanne',
      sources: [{ network: 'demo', accounts: ['VilledeRoanne'] }],
      hashtags: ['Roanne'],
      lang: 'fr',
    });
    expect(loadConfig({ COMMUNE_FEED_CONFIG: file }, []).feeds[0]!.id).toBe('roanne');
    expect(loadConfig({}, [`--config=${file}`]).configFile).toBe(file);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', /whole number/],
    [{ PORT: '70000' }, 'PORT', /0 to 65535/],
    [{ PUBLIC_URL: 'flux.ville.fr' }, 'PUBLIC_URL', /absolute URL/],
    [{ X_API_BASE_URL: 'ftp://x' }, 'X_API_BASE_URL', /http/],
    [{ MAX_VIEWERS: '0' }, 'MAX_VIEWERS', /1 to/],
    [{ PORT: '0x50' }, 'PORT', /decimal digits, got "0x50"/],
    [{ PORT: '1e3' }, 'PORT', /decimal digits/],
    [{ PORT: ' 80' }, 'PORT', /decimal digits/],
    [{ PORT: '+80' }, 'PORT', /decimal digits/],
    [{ SNAPSHOT_SIZE: '0b11' }, 'SNAPSHOT_SIZE', /decimal digits/],
    [{ RETENTION_DAYS: '3651' }, 'RETENTION_DAYS', /1 to 3650/],
    [{ ARCHIVE_RETENTION_DAYS: '3651' }, 'ARCHIVE_RETENTION_DAYS', /1 to 3650/],
    [
      { RETENTION_DAYS: '60', ARCHIVE_RETENTION_DAYS: '30' },
      'ARCHIVE_RETENTION_DAYS',
      /at least RETENTION_DAYS \(60\)/,
    ],
    [{ ARCHIVE_SIZE: '0' }, 'ARCHIVE_SIZE', /1 to 5000/],
    [{ TIME_ZONE: 'Europe/Saint-Etienne' }, 'TIME_ZONE', /IANA time zone/],
    [{ MAX_VIEWERS_PER_ADDRESS: '0' }, 'MAX_VIEWERS_PER_ADDRESS', /1 to/],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY', /whole number from 0 to 10/],
    [{ TRUST_PROXY: '-1' }, 'TRUST_PROXY', /0 to 10/],
    [{ MAX_CONNECTIONS: 'many' }, 'MAX_CONNECTIONS', /whole number/],
    [{ MAX_CONNECTIONS: '10000' }, 'MAX_CONNECTIONS', /more than MAX_VIEWERS \(10000\)/],
    [{ MAX_VIEWERS: '500', MAX_CONNECTIONS: '400' }, 'MAX_CONNECTIONS', /more than MAX_VIEWERS \(500\)/],
  ])('names the key and the reason for a bad environment variable (%o)', (env, key, reason) => {
    const err = errorOf(() => loadConfig(env as NodeJS.ProcessEnv, []));
    expect(err.key).toBe(key);
    expect(err.message).toMatch(reason);
  });

  it('refuses an X feed without a token', () => {
    const file = path.join(tempDir(), 'c.json');
    writeFileSync(file, JSON.stringify({ feeds: [{ id: 'a', title: 'A', source: 'x', hashtags: ['A'] }] }));
    expect(errorOf(() => loadConfig({}, ['--config', file])).key).toBe('X_BEARER_TOKEN');
  });

  it('says when the file cannot be read', () => {
    expect(errorOf(() => loadConfig({}, ['--config', '/nonexistent/c.json'])).message).toMatch(
      /cannot be read \(ENOENT\)/,
    );
  });
});

describe('parseConfigFile', () => {
  it.each([
    ['{', 'feeds.json', /not valid JSON/],
    ['{"feeds":[]}', 'feeds.json.feeds', /at least one feed/],
    ['{"feeds":[{"id":"Saint Etienne","title":"x"}]}', 'feeds.json.feeds[0].id', /lowercase/],
    ['{"feeds":[{"id":"a","title":""}]}', 'feeds.json.feeds[0].title', /empty/],
    ['{"feeds":[{"id":"a","title":"A","source":"myspace"}]}', 'feeds.json.feeds[0].source', /.+/],
    [
      '{"feeds":[{"id":"a","title":"A","accounts":["not a handle!"]}]}',
      'feeds.json.feeds[0].accounts[0]',
      /X username/,
    ],
    ['{"feeds":[{"id":"a","title":"A","hashtags":["two words"]}]}', 'feeds.json.feeds[0].hashtags[0]', /hashtag/],
    ['{"feeds":[{"id":"a","title":"A","pollSeconds":0}]}', 'feeds.json.feeds[0].pollSeconds', /.+/],
    ['{"feeds":[{"id":"a","title":"A"},{"id":"a","title":"B"}]}', 'feeds.json.feeds[1].id', /declared twice/],
    ['{"feeds":[{"id":"a","title":"A","colour":"red"}]}', 'feeds.json.feeds[0]', /colour/],
    [
      '{"feeds":[{"id":"a","title":"A","source":"x"}]}',
      'feeds.json.feeds[0].accounts',
      /at least one account or hashtag/,
    ],
    [
      '{"feeds":[{"id":"a","title":"A","eventWindow":{"start":"demain","end":"2026-10-11"}}]}',
      'feeds.json.feeds[0].eventWindow.start',
      /ISO 8601/,
    ],
    [windowOf('1', '2026-10-11T20:00:00Z'), 'feeds.json.feeds[0].eventWindow.start', /with a time zone/],
    [windowOf('2026-10-09T08:00:00', '2026-10-11T20:00:00Z'), 'feeds.json.feeds[0].eventWindow.start', /time zone/],
    [windowOf('2026-10-09', '2026-10-11T20:00:00Z'), 'feeds.json.feeds[0].eventWindow.start', /ISO 8601 date-time/],
    [windowOf('2026-10-09T08:00:00Z', '2026-02-30T20:00:00Z'), 'feeds.json.feeds[0].eventWindow.end', /ISO 8601/],
    [windowOf('2026-10-09T08:00:00Z', '2026-10-09T24:00:00Z'), 'feeds.json.feeds[0].eventWindow.end', /ISO 8601/],
    [
      windowOf('2026-10-11T20:00:00+02:00', '2026-10-09T08:00:00+02:00'),
      'feeds.json.feeds[0].eventWindow.end',
      /after the start/,
    ],
    [
      windowOf('2026-10-11T20:00:00+02:00', '2026-10-11T18:00:00Z'),
      'feeds.json.feeds[0].eventWindow.end',
      /after the start/,
    ],
    [
      '{"feeds":[{"id":"a","title":"A","pollSeconds":86401}]}',
      'feeds.json.feeds[0].pollSeconds',
      /from 1 to 86400 seconds/,
    ],
    [
      '{"feeds":[{"id":"a","title":"A","paceSeconds":3601}]}',
      'feeds.json.feeds[0].paceSeconds',
      /from 0.05 to 3600 seconds/,
    ],
    [xBlock({ slowPollSeconds: 2_592_000 }), 'feeds.json.x.slowPollSeconds', /from 1 to 86400 seconds/],
    [xBlock({ fastPollSeconds: 3_601 }), 'feeds.json.x.fastPollSeconds', /from 1 to 3600 seconds/],
    [xBlock({ fastPollSeconds: 0 }), 'feeds.json.x.fastPollSeconds', /from 1 to 3600 seconds/],
    [xBlock({ slowPollSeconds: 1.5 }), 'feeds.json.x.slowPollSeconds', /whole number from 1 to 86400/],
    [xBlock({ recheckHours: 48 }), 'feeds.json.x.recheckHours', /from 0.1 to 24 hours/],
  ])('names the key and the reason: %s', (text, key, reason) => {
    const err = errorOf(() => parseConfigFile(text, 'feeds.json'));
    expect(err.key).toBe(key);
    expect(err.reason).toMatch(reason);
  });

  it('accepts the longest intervals, an event window with offsets and a byte-order mark', () => {
    const file = parseConfigFile(
      '\uFEFF' +
        JSON.stringify({
          feeds: [
            {
              id: 'a',
              title: 'A',
              pollSeconds: 86_400,
              eventWindow: { start: '2026-10-16T08:00:00+02:00', end: '2026-10-16T06:00:00.5Z' },
            },
          ],
          x: { slowPollSeconds: 86_400, fastPollSeconds: 3_600, recheckHours: 24 },
        }),
    );
    expect(file.x?.slowPollSeconds).toBe(86_400);
    expect(file.feeds[0]!.eventWindow?.end).toBe('2026-10-16T06:00:00.5Z');
  });
});

describe('the Mastodon and Bluesky settings of the environment', () => {
  const MASTO = 'm'.repeat(43);

  it('reads Mastodon tokens by instance host, and Bluesky as no account by default', () => {
    const config = loadConfig({ MASTODON_TOKENS: ` https://Mastodon.social/=${MASTO}, 127.0.0.1:8080=${MASTO}x ` }, []);
    expect(config.mastodon?.tokens).toEqual({ 'mastodon.social': MASTO, '127.0.0.1:8080': `${MASTO}x` });
    expect(loadConfig({}, []).bluesky).toEqual({});
  });

  it('lists a wrong Mastodon or Bluesky setting with the other errors, for check-config to print them all', () => {
    const checked = checkConfig(
      { PORT: 'eighty', MASTODON_TOKENS: 'mastodon.social', BLUESKY_APPVIEW_URL: 'appview' },
      [],
    );
    expect(checked.ok ? [] : checked.errors.map((e) => e.key)).toEqual([
      'PORT',
      'MASTODON_TOKENS',
      'BLUESKY_APPVIEW_URL',
    ]);
  });

  it.each([
    [{ MASTODON_TOKENS: 'mastodon.social' }, 'MASTODON_TOKENS', 'entry 1 must be host=token'],
    [
      { MASTODON_TOKENS: `mastodon.social=short` },
      'MASTODON_TOKENS',
      'the token of mastodon.social must be at least 20',
    ],
    [{ MASTODON_TOKENS: `a b=${MASTO}` }, 'MASTODON_TOKENS', 'entry 1 must start with a host name'],
    [{ BLUESKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop' }, 'BLUESKY_HANDLE', 'is not set'],
    [
      { BLUESKY_JETSTREAM_URL: 'https://jetstream.example/subscribe' },
      'BLUESKY_JETSTREAM_URL',
      'must be a wss:// or ws:// URL',
    ],
    [{ BLUESKY_APPVIEW_URL: 'appview' }, 'BLUESKY_APPVIEW_URL', 'must be an absolute URL'],
  ])('names the key of a wrong setting, never the secret (%#)', (env, key, reason) => {
    const err = errorOf(() => loadConfig(env, []));
    expect(err.key).toBe(key);
    expect(err.reason).toContain(reason);
    expect(err.message).not.toContain('short');
    expect(err.message).not.toContain('abcd-efgh');
  });

  it('reads the town’s Bluesky account and the addresses of a local AppView and Jetstream', () => {
    const config = loadConfig(
      {
        BLUESKY_HANDLE: '@Ville.bsky.social',
        BLUESKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop',
        BLUESKY_APPVIEW_URL: 'http://127.0.0.1:9000/',
        BLUESKY_JETSTREAM_URL: 'ws://127.0.0.1:9001/subscribe',
      },
      [],
    );
    expect(config.bluesky).toEqual({
      account: { credentials: { identifier: 'ville.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' } },
      appViewUrl: 'http://127.0.0.1:9000',
      jetstreamUrl: 'ws://127.0.0.1:9001/subscribe',
    });
  });
});
