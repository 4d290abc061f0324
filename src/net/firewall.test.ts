import { describe, expect, it } from 'vitest';
import type { LookupAddress } from 'node:dns';
import { Firewall, FirewallConfigError, FirewallError, guardedLookup } from './firewall.js';
import { parseCidr, parseIp } from './ip.js';

describe('parseIp', () => {
  it.each([
    ['1.2.3.4', [1, 2, 3, 4]],
    ['::1', [...new Array<number>(15).fill(0), 1]],
    ['::ffff:10.0.0.1', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1]],
    ['fe80::1%eth0', [0xfe, 0x80, ...new Array<number>(13).fill(0), 1]],
    ['[2001:db8::]', [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(12).fill(0)]],
  ])('%s', (s, bytes) => expect([...(parseIp(s) ?? [])]).toEqual(bytes));

  it.each(['1.2.3', '1.2.3.256', 'example.com', '::g', ''])('rejects %s', (s) => expect(parseIp(s)).toBeUndefined());

  it.each(['10.0.0.0/33', '10.0.0.0/x', 'nope/8', 'fc00::/129'])('rejects CIDR %s', (s) => expect(parseCidr(s)).toBeUndefined());
});

describe('Firewall.check', () => {
  const fw = new Firewall({ blockCidrs: ['203.0.113.0/24', '2001:db8::/32'], allowCidrs: ['10.1.2.0/24'] });
  it.each([
    ['8.8.8.8', undefined],
    ['10.0.0.1', 'private network'],
    ['172.16.5.5', 'private network'],
    ['172.32.0.1', undefined],
    ['192.168.1.1', 'private network'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['0.0.0.0', 'unspecified address'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.251', 'link-local'],
    ['::', 'unspecified address'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'private network'],
    ['fc00::1', 'private network'],
    ['2606:4700::1111', undefined],
    ['::ffff:10.0.0.1', 'private network'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:8.8.8.8', undefined],
    ['203.0.113.7', 'blocked network'],
    ['::ffff:203.0.113.7', 'blocked network'],
    ['2001:db8::5', 'blocked network'],
    ['10.1.2.3', undefined],
    ['::ffff:10.1.2.3', undefined],
    ['not-an-ip', 'blocked network'],
  ])('%s -> %s', (ip, want) => expect(fw.check(ip)).toBe(want));

  it('private addresses pass when blocking them is off; listed networks still do not', () => {
    const open = new Firewall({ blockPrivateAddresses: false, blockCidrs: ['10.0.0.0/8'] });
    expect(open.check('127.0.0.1')).toBeUndefined();
    expect(open.check('10.9.9.9')).toBe('blocked network');
    expect(new Firewall({ blockPrivateAddresses: false }).inactive).toBe(true);
  });

  it('a mapped IPv4 network matches plain IPv4 addresses', () => {
    expect(new Firewall({ blockPrivateAddresses: false, blockCidrs: ['::ffff:198.51.100.0/120'] }).check('198.51.100.9')).toBe('blocked network');
  });

  it('reports every bad CIDR', () => {
    expect(() => new Firewall({ blockCidrs: ['10/8', 'x'] })).toThrow(new FirewallConfigError('receiver firewall: invalid CIDR in block list: "10/8", "x"'));
  });

  it('error text and retryability', () => {
    const e = new FirewallError('10.0.0.1', 'private network');
    expect(e.message).toBe('receiver firewall: address 10.0.0.1 is blocked (private network)');
    expect(e.retryable).toBe(false);
  });
});

describe('guardedLookup', () => {
  const fake =
    (addrs: LookupAddress[]) =>
    (_h: string, _o: unknown, cb: (e: NodeJS.ErrnoException | null, a: LookupAddress[]) => void): void =>
      cb(null, addrs);
  const run = (addrs: LookupAddress[], all: boolean) =>
    new Promise<{ err: Error | null; addr: unknown }>((resolve) => {
      guardedLookup(new Firewall(), fake(addrs))('hook.example', { all }, ((err: Error | null, addr: unknown) => resolve({ err, addr })));
    });

  it('refuses a name that resolves only to blocked addresses (DNS rebinding)', async () => {
    const r = await run([{ address: '10.0.0.1', family: 4 }], false);
    expect(r.err?.message).toBe('receiver firewall: address 10.0.0.1 is blocked (private network)');
  });

  it('drops blocked addresses and keeps the rest', async () => {
    expect(await run([{ address: '::1', family: 6 }, { address: '93.184.216.34', family: 4 }], false)).toEqual({ err: null, addr: '93.184.216.34' });
    expect(await run([{ address: '::1', family: 6 }, { address: '93.184.216.34', family: 4 }], true)).toEqual({ err: null, addr: [{ address: '93.184.216.34', family: 4 }] });
  });
});
