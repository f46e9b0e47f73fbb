import { describe, expect, it } from 'vitest';
import { addressGroup, clientAddress } from '../../../server/http/client-address.js';

describe('addressGroup', () => {
  it('counts an IPv4 address as itself', () => {
    expect(addressGroup('192.0.2.1')).toBe('192.0.2.1');
    expect(addressGroup('192.0.2.2')).toBe('192.0.2.2');
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(addressGroup('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressGroup('::FFFF:c000:0201')).toBe('192.0.2.1');
    expect(addressGroup('0:0:0:0:0:ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('counts every IPv6 address of a /64 as one, however it is written', () => {
    const group = addressGroup('2001:db8:1:2::1');
    expect(group).toBe('2001:db8:1:2::/64');
    for (const address of [
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:0DB8:0001:0002:0000:0000:0000:0abc',
      '2001:db8:1:2:a:b:192.0.2.1',
      '2001:db8:1:2::7%eth0',
    ]) {
      expect(addressGroup(address), address).toBe(group);
    }
    expect(addressGroup('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressGroup('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressGroup('::1')).toBe('0:0:0:0::/64');
  });

  it('leaves what is not an IP address as it is', () => {
    expect(addressGroup('unknown')).toBe('unknown');
  });
});

describe('clientAddress', () => {
  it("takes the socket's peer and ignores X-Forwarded-For when no proxy is trusted", () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', 0)).toBe('203.0.113.9');
    expect(clientAddress('203.0.113.9', undefined, 0)).toBe('203.0.113.9');
    expect(clientAddress(undefined, undefined, 0)).toBe('unknown');
  });

  it('takes the address the trusted proxy saw, never what the client wrote before it', () => {
    // nginx appends $remote_addr to what the client sent.
    expect(clientAddress('127.0.0.1', '198.51.100.1', 1)).toBe('198.51.100.1');
    expect(clientAddress('127.0.0.1', '6.6.6.6, 198.51.100.1', 1)).toBe('198.51.100.1');
    // Two proxies: a CDN, then nginx.
    expect(clientAddress('127.0.0.1', '6.6.6.6, 198.51.100.1, 192.0.2.50', 2)).toBe('198.51.100.1');
    expect(clientAddress('127.0.0.1', '2001:db8::5', 1)).toBe('2001:db8::5');
  });

  it("keeps the socket's peer when the header is missing or the trusted hop is not an address", () => {
    expect(clientAddress('127.0.0.1', undefined, 1)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '', 1)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '1.2.3.4, not-an-ip', 1)).toBe('127.0.0.1');
  });

  it('takes the leftmost address of a request that came through fewer proxies than declared', () => {
    expect(clientAddress('127.0.0.1', '198.51.100.1', 3)).toBe('198.51.100.1');
  });
});
