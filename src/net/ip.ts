/**
 * IP addresses as bytes and CIDR matching, as Go's net.IP / net.IPNet do: IPv4-mapped IPv6
 * addresses (::ffff:a.b.c.d) are treated as the IPv4 address, so a mapped address cannot slip
 * past an IPv4 rule.
 */
import { isIP } from 'node:net';

/** 4 bytes (IPv4) or 16 bytes (IPv6). */
export type IpBytes = Uint8Array;

function parseV4(s: string): IpBytes | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string;
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

function parseV6(s: string): IpBytes | undefined {
  let text = s;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseV4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
    text = text.slice(0, lastColon + 1) + '0';
    tail.unshift(-1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const words = (h: string): number[] => (h === '' ? [] : h.split(':').map((w) => (/^[0-9a-fA-F]{1,4}$/.test(w) ? parseInt(w, 16) : NaN)));
  let head = words(halves[0] ?? '');
  let rest = halves.length === 2 ? words(halves[1] ?? '') : [];
  const fix = (ws: number[]): number[] => (tail.length > 0 ? [...ws.slice(0, -1), ...tail.slice(1)] : ws);
  if (halves.length === 2) rest = fix(rest);
  else head = fix(head);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  if (all.some((w) => Number.isNaN(w))) return undefined;
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** Parses an address (an IPv6 zone `%eth0` and brackets are ignored); undefined when not an IP. */
export function parseIp(s: string): IpBytes | undefined {
  let t = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  const zone = t.indexOf('%');
  if (zone >= 0) t = t.slice(0, zone);
  const kind = isIP(t);
  if (kind === 4) return parseV4(t);
  if (kind === 6) return parseV6(t);
  return undefined;
}

/** The IPv4 address of an IPv4-mapped IPv6 address (Go's To4); others unchanged. */
export function unmap(ip: IpBytes): IpBytes {
  if (ip.length !== 16) return ip;
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return ip;
  return ip[10] === 0xff && ip[11] === 0xff ? ip.slice(12) : ip;
}

export interface Cidr {
  readonly text: string;
  readonly base: IpBytes;
  readonly bits: number;
}

/** `10.0.0.0/8`, `fc00::/7`; a bare address is a single-host network. */
export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  const ipText = slash < 0 ? s : s.slice(0, slash);
  const raw = parseIp(ipText);
  if (!raw) return undefined;
  let bits = raw.length * 8;
  if (slash >= 0) {
    const b = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b) || Number(b) > raw.length * 8) return undefined;
    bits = Number(b);
  }
  // ::ffff:0:0/96-style mapped networks are IPv4 networks, as in Go.
  const base = unmap(raw);
  if (base.length === 4 && raw.length === 16) bits = Math.max(0, bits - 96);
  return { text: s, base, bits };
}

/** True when `ip` (already unmapped) lies in `c`; families never match each other. */
export function cidrContains(c: Cidr, ip: IpBytes): boolean {
  if (c.base.length !== ip.length) return false;
  let bits = c.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((ip[i] as number) & mask) !== ((c.base[i] as number) & mask)) return false;
  }
  return true;
}
