import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Whether a fetch may reach loopback, link-local and private addresses. In AWS they are refused
 * (in Lambda, 127.0.0.1:9001 is the runtime API and 169.254.169.254 the instance metadata); a
 * laptop may poll its own feed generator on localhost.
 */
export type PrivateAddressPolicy = 'allow' | 'refuse';

/** Every address a host name resolves to. */
export type HostResolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const resolveHost: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

function ranges(...subnets: Array<[string, number]>): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of subnets)
    list.addSubnet(network, prefix, isIP(network) === 6 ? 'ipv6' : 'ipv4');
  return list;
}

// Node's BlockList also matches IPv4-mapped IPv6 forms (::ffff:127.0.0.1) against the IPv4 ranges.
const PRIVATE_RANGES: ReadonlyArray<[string, BlockList]> = [
  ['unspecified', ranges(['0.0.0.0', 8], ['::', 128])],
  ['loopback', ranges(['127.0.0.0', 8], ['::1', 128])],
  ['link-local', ranges(['169.254.0.0', 16], ['fe80::', 10])],
  ['private', ranges(['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['fc00::', 7])],
  ['shared (carrier-grade NAT)', ranges(['100.64.0.0', 10])],
  // Deprecated IPv4-compatible addresses (::a.b.c.d) are never a public feed.
  ['IPv4-compatible', ranges(['::', 96])],
];

// NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits, judged as that address.
const NAT64 = ranges(['64:ff9b::', 96]);

/** The name of the non-public range an address belongs to, or undefined for a public address. */
export function privateRangeOf(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return undefined;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  for (const [name, list] of PRIVATE_RANGES) if (list.check(address, type)) return name;
  if (type === 'ipv6' && NAT64.check(address, 'ipv6')) return privateRangeOf(embeddedIpv4(address));
  return undefined;
}

function embeddedIpv4(address: string): string {
  const groups = address.split(':');
  const low = Number.parseInt(groups.at(-1) || '0', 16);
  const high = Number.parseInt(groups.at(-2) || '0', 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** How a fetch finds and judges addresses; tests hand in their own resolver. */
export interface FetchNetwork {
  resolve: HostResolver;
  /** The non-public range an address is in (refused under the "refuse" policy), else undefined. */
  refusedRange: (address: string) => string | undefined;
}

export const DEFAULT_NETWORK: FetchNetwork = { resolve: resolveHost, refusedRange: privateRangeOf };

const REFUSAL = 'this monitor does not fetch private addresses';

/** A feed or redirect pointed at an address the policy refuses. */
export class PrivateAddressError extends Error {
  override name = 'PrivateAddressError';
}

/** Refuses a URL whose host is itself a literal address in a refused range (no lookup happens then). */
export function checkLiteralAddress(hostname: string, network: FetchNetwork): void {
  const address = hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(address) === 0) return;
  const range = network.refusedRange(address);
  if (range) throw new PrivateAddressError(`address ${address} is ${range}; ${REFUSAL}`);
}

/**
 * A `lookup` for net.connect that resolves once and hands net.connect exactly the addresses it
 * checked, so no second resolution can answer differently. Under "refuse", a host with any
 * address in a refused range is refused whole.
 */
export function guardedLookup(network: FetchNetwork, policy: PrivateAddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    network.resolve(hostname).then(
      (addresses) => {
        const wanted = addresses.filter((a) => !options.family || a.family === options.family);
        for (const { address } of policy === 'refuse' ? wanted : []) {
          const range = network.refusedRange(address);
          if (range) {
            callback(
              new PrivateAddressError(
                `host ${hostname} resolves to ${address}, which is ${range}; ${REFUSAL}`,
              ),
              '',
            );
            return;
          }
        }
        const first = wanted[0];
        if (!first) {
          callback(
            Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND', hostname }),
            '',
          );
        } else if (options.all) {
          callback(null, wanted);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, ''),
    );
  };
}
