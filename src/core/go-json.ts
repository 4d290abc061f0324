/**
 * Byte-compatible output of Go's encoding/json as Alertmanager's notifiers (and Prometheus' API
 * for label sets) produce it (json.NewEncoder(...).Encode: HTML-safe escaping, map keys sorted,
 * trailing newline), and of
 * Go's time.Time JSON form (RFC 3339 with nanoseconds, trailing zeros trimmed).
 */
import type { Millis } from './alert.js';
import { ZERO_TIME } from './alert.js';
import type { Labels } from './labels.js';
import { sortedNames } from './labels.js';
import { cachedTimeFormat } from './time-cache.js';

/** A Go map[string]string: emitted with keys in Go's (byte-wise) order. */
export class GoMap {
  constructor(readonly entries: Labels) {}
}

/** A value Go's encoder would emit. Plain objects stand for structs: keys in insertion order. */
export type GoJsonValue = string | number | boolean | null | GoMap | readonly GoJsonValue[] | { readonly [k: string]: GoJsonValue };

// Characters JSON.stringify leaves alone but Go escapes (HTML-safe set, line/paragraph separators),
// and surrogates, where a lone one is invalid UTF-8 that Go writes as the escape \ufffd.
// \b and \f too: JSON.stringify writes them as short escapes, Go as \u0008 and \u000c.
const NEEDS_SLOW_PATH = /[\b\f<>&\u2028\u2029\ud800-\udfff]/;

// Nothing in the string needs an escape of either kind: it is written between quotes as it is.
// (Control characters are exactly what it looks for.)
// eslint-disable-next-line no-control-regex
const AS_IS = /^[^"\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]*$/;

/** A JSON string literal exactly as Go's encoder writes it. */
export function goJsonString(s: string): string {
  if (AS_IS.test(s)) return `"${s}"`;
  if (!NEEDS_SLOW_PATH.test(s)) return JSON.stringify(s);
  let out = '"';
  let run = 0;
  const flush = (i: number): void => {
    if (i > run) out += JSON.stringify(s.slice(run, i)).slice(1, -1);
  };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c === 0x3c) rep = '\\u003c';
    else if (c === 0x3e) rep = '\\u003e';
    else if (c === 0x26) rep = '\\u0026';
    else if (c === 0x08) rep = '\\u0008';
    else if (c === 0x0c) rep = '\\u000c';
    else if (c === 0x2028) rep = '\\u2028';
    else if (c === 0x2029) rep = '\\u2029';
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      rep = '\\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) rep = '\\ufffd';
    if (rep !== undefined) {
      flush(i);
      out += rep;
      run = i + 1;
    }
  }
  flush(s.length);
  return out + '"';
}

/** Encodes `v` as Go's json.Encoder.Encode does, including the trailing newline. */
export function goJsonEncode(v: GoJsonValue): string {
  const parts: string[] = [];
  write(v, parts);
  parts.push('\n');
  return parts.join('');
}

function write(v: GoJsonValue, out: string[]): void {
  if (v === null) {
    out.push('null');
  } else if (typeof v === 'string') {
    out.push(goJsonString(v));
  } else if (typeof v === 'number') {
    out.push(Number.isFinite(v) ? String(v) : 'null');
  } else if (typeof v === 'boolean') {
    out.push(v ? 'true' : 'false');
  } else if (v instanceof GoMap) {
    const names = sortedNames(v.entries);
    out.push('{');
    for (let i = 0; i < names.length; i++) {
      const n = names[i] as string;
      if (i > 0) out.push(',');
      out.push(goJsonString(n), ':', goJsonString(v.entries[n] as string));
    }
    out.push('}');
  } else if (Array.isArray(v)) {
    out.push('[');
    const arr = v as readonly GoJsonValue[];
    for (let i = 0; i < arr.length; i++) {
      if (i > 0) out.push(',');
      write(arr[i] as GoJsonValue, out);
    }
    out.push(']');
  } else {
    out.push('{');
    let first = true;
    for (const [k, val] of Object.entries(v as { readonly [k: string]: GoJsonValue })) {
      if (!first) out.push(',');
      first = false;
      out.push(goJsonString(k), ':');
      write(val, out);
    }
    out.push('}');
  }
}

/** Go's zero time.Time as JSON. */
export const GO_ZERO_TIME_JSON = '0001-01-01T00:00:00Z';

/** Alerts of one flush share their times (time-cache.ts). */
const rfc3339Nano = cachedTimeFormat((t) => {
  const iso = new Date(t).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const ms = t % 1000 === 0 ? '' : iso.slice(19, 23).replace(/0+$/, '');
  return iso.slice(0, 19) + ms + 'Z';
});

/** time.Time.MarshalJSON for a UTC time: RFC3339Nano, fractional zeros trimmed. */
export function goTimeJson(t: Millis): string {
  return t === ZERO_TIME ? GO_ZERO_TIME_JSON : rfc3339Nano(t);
}
