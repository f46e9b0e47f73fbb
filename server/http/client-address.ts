/**
 * Who is asking: the client's address as this server may believe it
 * (`X-Forwarded-For` only through the proxies the operator trusts), and the
 * group that address belongs to for per-address limits. Pure functions.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Stands for a socket whose address Node no longer knows (it closed meanwhile). */
const UNKNOWN = 'unknown';

/**
 * The client's address. With `trustedProxies` = 0 (the default) it is the
 * socket's peer and `X-Forwarded-For` is ignored, so a client cannot choose
 * its address. With N trusted proxies in front (nginx on the same machine:
 * 1), each of them appended the address it saw to `X-Forwarded-For`; the
 * client is the Nth address from the right counting the socket's peer, and
 * whatever the client wrote further left is never read. A request that came
 * through fewer proxies than declared (a direct connection) is taken at its
 * leftmost address, and a hop that is not an IP address leaves the socket's.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: number,
): string {
  const peer = socketAddress || UNKNOWN;
  if (trustedProxies <= 0 || forwardedFor === undefined) return peer;
  const hops = forwardedFor
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop.length > 0);
  const chain = [...hops, peer];
  const client = chain[Math.max(0, chain.length - 1 - trustedProxies)]!;
  return isIPv4(client) || isIPv6(client) ? client : peer;
}

/** The eight 16-bit groups of a valid IPv6 address (zone removed), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  const bare = address.split('%')[0]!.toLowerCase();
  if (!isIPv6(bare)) return undefined;
  // An embedded IPv4 in the last 32 bits (`::ffff:192.0.2.1`) is two more groups.
  const text = bare.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a: string, b: string, c: string, d: string) =>
    [(Number(a) << 8) | Number(b), (Number(c) << 8) | Number(d)].map((g) => g.toString(16)).join(':'),
  );
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(rest);
  const missing = rest === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<number>(missing).fill(0), ...right];
}

/**
 * The group an address counts in for per-address limits: an IPv4 address is
 * its own group (an IPv4-mapped IPv6 address counts as that IPv4 address);
 * an IPv6 address counts as its /64, since one host or one home gets a whole
 * /64 and can pick any address inside it. Anything else is its own group.
 */
export function addressGroup(address: string): string {
  if (isIPv4(address)) return address;
  const groups = ipv6Groups(address);
  if (!groups) return address;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The per-address group of the client of a Node request: the one rule for every per-address limit. */
export function requestAddressGroup(
  incoming: { socket?: { remoteAddress?: string | undefined } } | undefined,
  forwardedFor: string | undefined,
  trustedProxies: number,
): string {
  return addressGroup(
    clientAddress(incoming?.socket?.remoteAddress, trustedProxies > 0 ? forwardedFor : undefined, trustedProxies),
  );
}
