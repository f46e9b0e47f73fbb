import type { ClientRequest } from 'node:http';
import { ApiRequestError } from 'twitter-api-v2';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../../../server/sources/x/client.js';

/** A request that failed before any answer, as twitter-api-v2 reports it. */
function requestFailure(code: string, message: string, host = 'api.x.com'): ApiRequestError {
  return new ApiRequestError('Request failed.', {
    request: { host } as ClientRequest,
    error: Object.assign(new Error(message), { code, hostname: host }),
  });
}

describe('classifyError', () => {
  it('names a DNS failure (ENOTFOUND, EAI_AGAIN) with the reason "dns" and the host that did not resolve', () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      const err = classifyError(requestFailure(code, `getaddrinfo ${code} api.x.com`), 'search');
      expect(err).toMatchObject({ kind: 'unavailable', reason: 'dns', endpoint: 'search' });
      expect(err.message).toBe(
        `X could not be reached: the name api.x.com does not resolve (DNS ${code}); check the server's DNS resolver and network`,
      );
    }
  });

  it('says what failed for another network error, with no reason code', () => {
    const err = classifyError(requestFailure('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:443'), 'timeline');
    expect(err).toMatchObject({ kind: 'unavailable', reason: undefined });
    expect(err.message).toBe('X could not be reached: connect ECONNREFUSED 127.0.0.1:443');
  });
});
