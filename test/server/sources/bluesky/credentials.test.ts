import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../server/config.js';
import { blueskyAccountFromEnv } from '../../../../server/sources/bluesky/credentials.js';

function refusal(env: NodeJS.ProcessEnv): ConfigError {
  try {
    blueskyAccountFromEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a configuration error');
}

describe('the town’s Bluesky account from the environment', () => {
  it('is absent when neither variable is set', () => {
    expect(blueskyAccountFromEnv({})).toBeUndefined();
    expect(blueskyAccountFromEnv({ BLUESKY_HANDLE: ' ', BLUESKY_APP_PASSWORD: '' })).toBeUndefined();
  });

  it('reads the handle, the app password and the PDS', () => {
    const env = {
      BLUESKY_HANDLE: ' @Ville-Saint-Etienne.fr ',
      BLUESKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop\n',
      BLUESKY_PDS_URL: 'https://pds.ville.fr/',
    };
    expect(blueskyAccountFromEnv(env)).toEqual({
      credentials: { identifier: 'ville-saint-etienne.fr', appPassword: 'abcd-efgh-ijkl-mnop' },
      pdsUrl: 'https://pds.ville.fr',
    });
  });

  it('names the variable that is missing when only one is set', () => {
    expect(refusal({ BLUESKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop' }).key).toBe('BLUESKY_HANDLE');
    expect(refusal({ BLUESKY_HANDLE: 'ville.fr' }).key).toBe('BLUESKY_APP_PASSWORD');
  });

  it('refuses what is not an app password, without echoing it', () => {
    const error = refusal({ BLUESKY_HANDLE: 'ville.fr', BLUESKY_APP_PASSWORD: 'MonMotDePasse2026!' });
    expect(error.key).toBe('BLUESKY_APP_PASSWORD');
    expect(error.message).toContain('app password');
    expect(error.message).not.toContain('MonMotDePasse2026!');
  });

  it('refuses a handle or a PDS address that cannot work', () => {
    expect(refusal({ BLUESKY_HANDLE: 'ville', BLUESKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop' }).key).toBe(
      'BLUESKY_HANDLE',
    );
    const pds = { BLUESKY_HANDLE: 'ville.fr', BLUESKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop' };
    expect(refusal({ ...pds, BLUESKY_PDS_URL: 'bsky.social' }).key).toBe('BLUESKY_PDS_URL');
    expect(refusal({ ...pds, BLUESKY_PDS_URL: 'ftp://bsky.social' }).key).toBe('BLUESKY_PDS_URL');
  });
});
