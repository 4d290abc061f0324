/**
 * The receiver firewall. Mirrors Mimir's FirewallDialer (pkg/util/net/firewall_dialer.go, the
 * `alertmanager_receivers_firewall_block_*` limits): the address actually dialled is checked, after
 * DNS resolution, so a hostname that resolves (or re-resolves) to an internal address is refused.
 * Herald adds an allow-list that wins over every block rule, for reachable internal relays.
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { cidrContains, parseCidr, parseIp, unmap } from './ip.js';
import type { Cidr, IpBytes } from './ip.js';

export interface FirewallOptions {
  /** Block private, loopback, link-local and unspecified addresses; default true. */
  readonly blockPrivateAddresses?: boolean;
  /** Additional networks to block (CIDR or single address). */
  readonly blockCidrs?: readonly string[];
  /** Networks always allowed, even when a block rule matches. */
  readonly allowCidrs?: readonly string[];
}

export type BlockReason = 'private network' | 'loopback' | 'link-local' | 'unspecified address' | 'blocked network';

/** Refused by the firewall: final, never retried (sendRequest honours `retryable`). */
export class FirewallError extends Error {
  readonly code = 'EFIREWALL';
  readonly retryable = false;
  constructor(
    readonly address: string,
    readonly reason: BlockReason,
  ) {
    super(`receiver firewall: address ${address} is blocked (${reason})`);
    this.name = 'FirewallError';
  }
}

/** A firewall rule list that does not parse. */
export class FirewallConfigError extends Error {}

const BUILTIN: ReadonlyArray<readonly [string, BlockReason]> = [
  ['0.0.0.0/8', 'unspecified address'],
  ['::/128', 'unspecified address'],
  ['127.0.0.0/8', 'loopback'],
  ['::1/128', 'loopback'],
  ['10.0.0.0/8', 'private network'],
  ['172.16.0.0/12', 'private network'],
  ['192.168.0.0/16', 'private network'],
  ['fc00::/7', 'private network'],
  ['169.254.0.0/16', 'link-local'],
  ['fe80::/10', 'link-local'],
  ['224.0.0.0/24', 'link-local'],
  ['ff02::/16', 'link-local'],
];

const BUILTIN_CIDRS = BUILTIN.map(([c, r]) => [parseCidr(c) as Cidr, r] as const);

function compile(list: readonly string[] | undefined, what: string): Cidr[] {
  const out: Cidr[] = [];
  const bad: string[] = [];
  for (const s of list ?? []) {
    const c = parseCidr(s.trim());
    if (c) out.push(c);
    else bad.push(JSON.stringify(s));
  }
  if (bad.length > 0) throw new FirewallConfigError(`receiver firewall: invalid CIDR in ${what}: ${bad.join(', ')}`);
  return out;
}

/** The decision function; build once, call per connection. */
export class Firewall {
  private readonly allow: Cidr[];
  private readonly block: Cidr[];
  private readonly blockPrivate: boolean;

  /** Throws FirewallConfigError naming every bad entry. */
  constructor(opts: FirewallOptions = {}) {
    this.blockPrivate = opts.blockPrivateAddresses ?? true;
    this.block = compile(opts.blockCidrs, 'block list');
    this.allow = compile(opts.allowCidrs, 'allow list');
  }

  /** Why `address` is blocked, or undefined when it may be dialled. Non-IP text is blocked. */
  check(address: string): BlockReason | undefined {
    const raw = parseIp(address);
    if (!raw) return 'blocked network';
    return this.checkBytes(unmap(raw));
  }

  private checkBytes(ip: IpBytes): BlockReason | undefined {
    if (this.allow.some((c) => cidrContains(c, ip))) return undefined;
    if (this.blockPrivate) for (const [c, reason] of BUILTIN_CIDRS) if (cidrContains(c, ip)) return reason;
    if (this.block.some((c) => cidrContains(c, ip))) return 'blocked network';
    return undefined;
  }

  /** Throws FirewallError when blocked. */
  assert(address: string): void {
    const reason = this.check(address);
    if (reason) throw new FirewallError(address, reason);
  }

  /** True when no rule can block anything. */
  get inactive(): boolean {
    return !this.blockPrivate && this.block.length === 0;
  }
}

type BaseLookup = (hostname: string, options: { all: true; family?: number }, cb: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const SYSTEM_LOOKUP: BaseLookup = (h, o, cb) => dnsLookup(h, o, cb);

/**
 * A `lookup` for net.connect that resolves with `base` and drops blocked addresses; fails with
 * FirewallError when every address is blocked. Used on the agents so each connection re-checks.
 */
export function guardedLookup(fw: Firewall, base: BaseLookup = SYSTEM_LOOKUP): LookupFunction {
  return (hostname, options, callback) => {
    const family = typeof options.family === 'number' ? options.family : undefined;
    base(hostname, family === undefined || family === 0 ? { all: true } : { all: true, family }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const allowed: LookupAddress[] = [];
      let firstBlocked: FirewallError | undefined;
      for (const a of addresses) {
        const reason = fw.check(a.address);
        if (reason === undefined) allowed.push(a);
        else firstBlocked ??= new FirewallError(a.address, reason);
      }
      const first = allowed[0];
      if (!first) return callback(firstBlocked ?? new Error(`lookup ${hostname}: no addresses`), '', 0);
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      else callback(null, first.address, first.family);
    });
  };
}
