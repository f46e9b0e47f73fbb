import { describe, expect, it } from 'vitest';
import { REDACTED, redactor } from '../../server/redact.js';

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAMbC%2Fexample%3DSecret';

describe('redactor', () => {
  it('hides a secret in any letter case', () => {
    const redact = redactor([TOKEN]);
    const text = `as sent ${TOKEN}, lower ${TOKEN.toLowerCase()}, upper ${TOKEN.toUpperCase()}.`;
    expect(redact(text)).toBe(`as sent ${REDACTED}, lower ${REDACTED}, upper ${REDACTED}.`);
  });

  it('hides the URL-decoded form of a secret too', () => {
    expect(redactor([TOKEN])(`bearer ${decodeURIComponent(TOKEN)}`)).toBe(`bearer ${REDACTED}`);
  });

  it('reads a secret literally, special characters included', () => {
    const redact = redactor(['a.b*c+d?(e)[f]{g}|h^i$j\\k-long-enough']);
    expect(redact('x a.b*c+d?(e)[f]{g}|h^i$j\\k-long-enough y')).toBe(`x ${REDACTED} y`);
    expect(redact('aXb*c+d?(e)[f]{g}|h^i$j\\k-long-enough')).toBe('aXb*c+d?(e)[f]{g}|h^i$j\\k-long-enough');
  });

  it('leaves text alone when there is no secret', () => {
    expect(redactor([undefined, ''])('HTTP 401: Unauthorized')).toBe('HTTP 401: Unauthorized');
  });
});
