import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { badUserInput } from '../../../../shared/errors';

/** Which outbound targets a deployment allows besides public addresses. */
export interface TargetPolicy {
  allowLoopback: boolean;
  allowPrivate: boolean;
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

// Everything that is not a public unicast address: private, shared (CGNAT), link-local,
// documentation, benchmarking, multicast, reserved, "this network", and NAT64 (which can
// reach the IPv4 private ranges).
const nonPublic = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  nonPublic.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  nonPublic.addSubnet(net, bits, 'ipv6');
}

export type AddressClass = 'public' | 'loopback' | 'private';

export function classifyAddress(address: string): AddressClass {
  const ip = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (loopback.check(ip, family)) return 'loopback';
  if (nonPublic.check(ip, family)) return 'private';
  return 'public';
}

export function addressAllowed(address: string, policy: TargetPolicy): boolean {
  const cls = classifyAddress(address);
  return cls === 'public' || (cls === 'loopback' && policy.allowLoopback) || (cls === 'private' && policy.allowPrivate);
}

const refuse = (message: string) => badUserInput(message, [{ field: 'url', message }]);

/**
 * Validates a webhook target (SSRF): http or https, no credentials, and a host whose every
 * resolved address is public unless the policy allows loopback or private ranges. Delivery
 * checks the addresses again at connect time ({@link guardedLookup}), so a DNS answer that
 * changes later (rebinding) is refused too.
 */
export async function validateWebhookUrl(raw: string, policy: TargetPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse(`"${raw.slice(0, 100)}" is not a URL`);
  }
  if (raw.length > 2000) throw refuse('the URL is longer than 2000 characters');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse(`only http and https URLs are allowed (got ${url.protocol.replace(':', '')})`);
  if (url.username || url.password) throw refuse('the URL must not carry credentials; use the signing secret to authenticate deliveries');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw refuse(`the host "${host}" does not resolve`);
    }
  }
  const blocked = addresses.find((a) => !addressAllowed(a, policy));
  if (blocked) throw refuse(`the URL points to a ${classifyAddress(blocked)} address (${blocked}); webhooks may only target public addresses`);
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that refuses non-allowed addresses at connect time. */
export function guardedLookup(policy: TargetPolicy) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true, verbatim: true } as never, (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => {
      if (err) return callback(err, '');
      const blocked = addresses.find((a) => !addressAllowed(a.address, policy));
      if (blocked) {
        const refused = Object.assign(new Error(`refused to connect to ${classifyAddress(blocked.address)} address ${blocked.address}`), {
          code: 'EHUBBLOCKED',
        });
        return callback(refused, '');
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}
