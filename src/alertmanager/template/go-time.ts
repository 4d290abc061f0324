/**
 * Go's time.Time and time.Duration as template values: String() in Go's
 * `2006-01-02 15:04:05.999999999 -0700 MST` form, Format with Go reference layouts, and the
 * methods real Alertmanager templates call. Herald times are epoch milliseconds; 0 is Go's zero
 * time (0001-01-01 UTC). Zone abbreviations come from Intl (Go uses tzdata; names can differ for
 * zones without a common English abbreviation, which print as `+09` style offsets here).
 */
import type { GoMethod, GoValue } from './values.js';

/** 0001-01-01T00:00:00Z, Go's zero time, in epoch milliseconds. */
const ZERO_MS = new Date('0001-01-01T00:00:00Z').getTime();

/** A time zone: a name and the offset (seconds east of UTC) and abbreviation at an instant. */
export interface Zone {
  readonly name: string;
  at(ms: number): { offset: number; abbr: string };
}

export const UTC_ZONE: Zone = { name: 'UTC', at: () => ({ offset: 0, abbr: 'UTC' }) };

const zoneCache = new Map<string, Zone | undefined>();

/** Loads an IANA zone (time.LoadLocation); undefined when unknown. "Local" is UTC in Herald. */
export function loadZone(name: string): Zone | undefined {
  if (name === '' || name === 'UTC') return UTC_ZONE;
  if (name === 'Local') return { name: 'Local', at: (ms) => UTC_ZONE.at(ms) };
  if (zoneCache.has(name)) return zoneCache.get(name);
  let zone: Zone | undefined;
  try {
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
    const us = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'short' });
    const gb = new Intl.DateTimeFormat('en-GB', { timeZone: name, timeZoneName: 'short' });
    const part = (f: Intl.DateTimeFormat, ms: number): string => f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? '';
    zone = {
      name,
      at(ms) {
        const off = part(fmt, ms); // "GMT+05:30" or "GMT"
        const m = /GMT([+-])(\d\d):(\d\d)/.exec(off);
        const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
        let abbr = part(us, ms);
        if (/^GMT[+-]/.test(abbr)) abbr = part(gb, ms);
        if (/^GMT[+-]/.test(abbr) || abbr === 'GMT' && offset !== 0) {
          const sign = offset < 0 ? '-' : '+';
          const a = Math.abs(offset);
          const hh = String(Math.floor(a / 3600)).padStart(2, '0');
          const mm = Math.floor((a % 3600) / 60);
          abbr = sign + hh + (mm ? String(mm).padStart(2, '0') : '');
        }
        return { offset, abbr };
      },
    };
  } catch {
    zone = undefined;
  }
  zoneCache.set(name, zone);
  return zone;
}

/** time.Duration in nanoseconds. */
export class GoDuration {
  readonly methods: Record<string, GoMethod>;
  constructor(readonly nanos: bigint) {
    this.methods = {
      String: { params: [], call: () => this.toString() },
      Seconds: { params: [], call: () => Number(this.nanos) / 1e9 },
      Minutes: { params: [], call: () => Number(this.nanos) / 6e10 },
      Hours: { params: [], call: () => Number(this.nanos) / 3.6e12 },
      Milliseconds: { params: [], call: () => this.nanos / 1000000n },
      Round: { params: ['int'], call: ([m]) => this.round(m as bigint) },
      Truncate: { params: ['int'], call: ([m]) => new GoDuration((m as bigint) <= 0n ? this.nanos : this.nanos - (this.nanos % (m as bigint))) },
    };
  }
  private round(m: bigint): GoDuration {
    if (m <= 0n) return this;
    let r = this.nanos % m;
    if (this.nanos < 0n) {
      r = -r;
      return new GoDuration(r + r < m ? this.nanos + r : this.nanos + r - m);
    }
    return new GoDuration(r + r < m ? this.nanos - r : this.nanos + m - r);
  }
  /** Go's Duration.String: "1h2m3.5s", "1.5ms", "0s". */
  toString(): string {
    let d = this.nanos;
    const neg = d < 0n;
    if (neg) d = -d;
    let s: string;
    if (d < 1000000000n) {
      if (d === 0n) return '0s';
      const [unit, div] = d < 1000n ? ['ns', 1n] : d < 1000000n ? ['µs', 1000n] : ['ms', 1000000n];
      s = fracString(d, div) + unit;
    } else {
      const h = d / 3600000000000n;
      const m = (d / 60000000000n) % 60n;
      const sec = fracString(d % 60000000000n, 1000000000n) + 's';
      s = h > 0n ? `${h}h${m}m${sec}` : m > 0n ? `${m}m${sec}` : sec;
    }
    return neg ? '-' + s : s;
  }
}

function fracString(v: bigint, div: bigint): string {
  const whole = v / div;
  const frac = v % div;
  if (frac === 0n) return String(whole);
  const width = String(div).length - 1;
  return `${whole}.${String(frac).padStart(width, '0').replace(/0+$/, '')}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** time.Time: an instant (ms since epoch, plus sub-ms nanoseconds) in a zone. */
export class GoTime {
  readonly methods: Record<string, GoMethod>;
  constructor(readonly unixMs: number, readonly zone: Zone = UTC_ZONE, readonly subMsNanos = 0) {
    this.methods = {
      String: { params: [], call: () => this.toString() },
      Format: { params: ['string'], call: ([l]) => this.format(l as string) },
      UTC: { params: [], call: () => new GoTime(this.unixMs, UTC_ZONE, this.subMsNanos) },
      Local: { params: [], call: () => new GoTime(this.unixMs, loadZone('Local'), this.subMsNanos) },
      Unix: { params: [], call: () => BigInt(Math.floor(this.unixMs / 1000)) },
      UnixMilli: { params: [], call: () => BigInt(this.unixMs) },
      UnixMicro: { params: [], call: () => BigInt(this.unixMs) * 1000n + BigInt(Math.floor(this.subMsNanos / 1000)) },
      UnixNano: { params: [], call: () => BigInt(this.unixMs) * 1000000n + BigInt(this.subMsNanos) },
      IsZero: { params: [], call: () => this.unixMs === ZERO_MS && this.subMsNanos === 0 },
      Year: { params: [], call: () => BigInt(this.fields().year) },
      Month: { params: [], call: () => MONTHS[this.fields().month - 1] },
      Day: { params: [], call: () => BigInt(this.fields().day) },
      Hour: { params: [], call: () => BigInt(this.fields().hour) },
      Minute: { params: [], call: () => BigInt(this.fields().minute) },
      Second: { params: [], call: () => BigInt(this.fields().second) },
      Nanosecond: { params: [], call: () => BigInt(this.fields().nanos) },
      Weekday: { params: [], call: () => DAYS[this.fields().weekday] },
      YearDay: { params: [], call: () => BigInt(this.fields().yday) },
      Add: { params: ['any'], call: ([d]) => this.add(d) },
      Sub: { params: ['time'], call: ([t]) => new GoDuration(this.nanosSinceEpoch() - (t as GoTime).nanosSinceEpoch()) },
      Before: { params: ['time'], call: ([t]) => this.nanosSinceEpoch() < (t as GoTime).nanosSinceEpoch() },
      After: { params: ['time'], call: ([t]) => this.nanosSinceEpoch() > (t as GoTime).nanosSinceEpoch() },
      Equal: { params: ['time'], call: ([t]) => this.nanosSinceEpoch() === (t as GoTime).nanosSinceEpoch() },
    };
  }

  /** From Herald Millis (0 = Go's zero time). */
  static fromMillis(ms: number): GoTime {
    return new GoTime(ms === 0 ? ZERO_MS : ms);
  }

  nanosSinceEpoch(): bigint {
    return BigInt(this.unixMs) * 1000000n + BigInt(this.subMsNanos);
  }

  private add(d: GoValue): GoTime {
    const n = d instanceof GoDuration ? d.nanos : typeof d === 'bigint' ? d : 0n;
    const total = this.nanosSinceEpoch() + n;
    const ms = total / 1000000n - (total % 1000000n < 0n ? 1n : 0n);
    return new GoTime(Number(ms), this.zone, Number(total - ms * 1000000n));
  }

  fields(): { year: number; month: number; day: number; hour: number; minute: number; second: number; nanos: number; weekday: number; yday: number; offset: number; abbr: string } {
    const { offset, abbr } = this.zone.at(this.unixMs);
    const d = new Date(this.unixMs + offset * 1000);
    const year = d.getUTCFullYear();
    const start = new Date(0);
    start.setUTCFullYear(year, 0, 1);
    start.setUTCHours(0, 0, 0, 0);
    const yday = Math.floor((d.getTime() - start.getTime()) / 86400000) + 1;
    return {
      year, month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(), nanos: d.getUTCMilliseconds() * 1000000 + this.subMsNanos, weekday: d.getUTCDay(), yday, offset, abbr,
    };
  }

  toString(): string {
    return this.format('2006-01-02 15:04:05.999999999 -0700 MST');
  }

  /** Formats with a Go reference layout (Mon Jan 2 15:04:05 MST 2006). */
  format(layout: string): string {
    const f = this.fields();
    let out = '';
    let i = 0;
    const p2 = (n: number): string => String(n).padStart(2, '0');
    const zoneOut = (z: boolean, colon: boolean, secs: boolean, hoursOnly: boolean): string => {
      if (z && f.offset === 0) return 'Z';
      const sign = f.offset < 0 ? '-' : '+';
      const a = Math.abs(f.offset);
      let s = sign + p2(Math.floor(a / 3600));
      if (!hoursOnly) s += (colon ? ':' : '') + p2(Math.floor((a % 3600) / 60));
      if (secs) s += (colon ? ':' : '') + p2(a % 60);
      return s;
    };
    const tokens: Array<[string, () => string]> = [
      ['January', () => MONTHS[f.month - 1] as string],
      ['Jan', () => (MONTHS[f.month - 1] as string).slice(0, 3)],
      ['Monday', () => DAYS[f.weekday] as string],
      ['Mon', () => (DAYS[f.weekday] as string).slice(0, 3)],
      ['MST', () => f.abbr],
      ['2006', () => String(f.year).padStart(4, '0')],
      ['002', () => String(f.yday).padStart(3, '0')],
      ['01', () => p2(f.month)],
      ['02', () => p2(f.day)],
      ['03', () => p2(f.hour % 12 === 0 ? 12 : f.hour % 12)],
      ['04', () => p2(f.minute)],
      ['05', () => p2(f.second)],
      ['06', () => p2(f.year % 100)],
      ['15', () => p2(f.hour)],
      ['__2', () => String(f.yday).padStart(3, ' ')],
      ['_2', () => String(f.day).padStart(2, ' ')],
      ['-07:00:00', () => zoneOut(false, true, true, false)],
      ['-070000', () => zoneOut(false, false, true, false)],
      ['-07:00', () => zoneOut(false, true, false, false)],
      ['-0700', () => zoneOut(false, false, false, false)],
      ['-07', () => zoneOut(false, false, false, true)],
      ['Z07:00:00', () => zoneOut(true, true, true, false)],
      ['Z070000', () => zoneOut(true, false, true, false)],
      ['Z07:00', () => zoneOut(true, true, false, false)],
      ['Z0700', () => zoneOut(true, false, false, false)],
      ['Z07', () => zoneOut(true, false, false, true)],
      ['PM', () => (f.hour >= 12 ? 'PM' : 'AM')],
      ['pm', () => (f.hour >= 12 ? 'pm' : 'am')],
      ['1', () => String(f.month)],
      ['2', () => String(f.day)],
      ['3', () => String(f.hour % 12 === 0 ? 12 : f.hour % 12)],
      ['4', () => String(f.minute)],
      ['5', () => String(f.second)],
    ];
    outer: while (i < layout.length) {
      // Fractional seconds: .000 / .999 (or with comma) after a seconds field, not followed by a digit.
      const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
      if (frac) {
        const digits = (frac[1] as string).length;
        const ns = String(f.nanos).padStart(9, '0').slice(0, digits);
        if ((frac[1] as string)[0] === '0') out += (layout[i] as string) + ns;
        else {
          const t = ns.replace(/0+$/, '');
          if (t !== '') out += (layout[i] as string) + t;
        }
        i += frac[0].length;
        continue;
      }
      for (const [tok, fn] of tokens) {
        if (layout.startsWith(tok, i)) {
          // "Jan"/"Mon" must not be followed by a lower-case letter (Go: "Janet" is literal).
          if ((tok === 'Jan' || tok === 'Mon') && /[a-z]/.test(layout[i + 3] ?? '')) continue;
          out += fn();
          i += tok.length;
          continue outer;
        }
      }
      out += layout[i];
      i++;
    }
    return out;
  }
}
