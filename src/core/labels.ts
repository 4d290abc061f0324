/** A label set: label name to value. Treated as immutable everywhere. */
export type Labels = Readonly<Record<string, string>>;

const CLASSIC_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Prometheus' classic label name rule. */
export function isClassicLabelName(name: string): boolean {
  return CLASSIC_LABEL_NAME.test(name);
}

/** Alertmanager 0.27+ accepts any non-empty valid UTF-8 label name. */
export function isValidLabelName(name: string): boolean {
  return name.length > 0 && isWellFormedUtf16(name);
}

export function isWellFormedUtf16(s: string): boolean {
  // Node 20 has String.prototype.isWellFormed.
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** Label sets up to this many names are sorted by insertion (see sortedNames). */
const INSERTION_SORT_MAX = 16;

/**
 * Label names sorted as Go sorts strings (byte order of UTF-8, which equals code point order).
 * Small sets (nearly all label sets) are sorted by insertion in place: Array.prototype.sort with a
 * comparator allocates a work copy on every call, which was a sixth of all allocation under alert
 * load (every fingerprint, label string and Go map encoding sorts the names).
 */
export function sortedNames(labels: Labels): string[] {
  const names = Object.keys(labels);
  const n = names.length;
  if (n > INSERTION_SORT_MAX) return names.sort(compareStrings);
  for (let i = 1; i < n; i++) {
    const x = names[i] as string;
    let j = i - 1;
    for (; j >= 0 && compareStrings(names[j] as string, x) > 0; j--) names[j + 1] = names[j] as string;
    names[j + 1] = x;
  }
  return names;
}

/** Compares by Unicode code point, like Go's string comparison (JS `<` compares UTF-16 units). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) {
      // Surrogates (0xD800-0xDFFF) encode code points above 0xFFFF and must sort after 0xE000-0xFFFF.
      const sa = ca >= 0xd800 && ca <= 0xdfff;
      const sb = cb >= 0xd800 && cb <= 0xdfff;
      if (sa !== sb) return sa ? 1 : -1;
      return ca - cb;
    }
  }
  return a.length - b.length;
}

const encoder = new TextEncoder();

/**
 * Alertmanager's alert fingerprint: FNV-1a 64 over sorted `name 0xff value 0xff`, as 16 hex digits.
 * Mirrors prometheus/common model.LabelSet.Fingerprint.
 */
export function fingerprint(labels: Labels): string {
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  const names = sortedNames(labels);
  for (const name of names) {
    for (let pass = 0; pass < 2; pass++) {
      const s = pass === 0 ? name : (labels[name] as string);
      const bytes = asciiOnly(s) ? null : encoder.encode(s);
      const len = bytes ? bytes.length : s.length;
      for (let i = 0; i <= len; i++) {
        const b = i === len ? 0xff : bytes ? (bytes[i] as number) : s.charCodeAt(i);
        h0 ^= b;
        const t0 = h0 * 0x1b3;
        let t1 = h1 * 0x1b3;
        let t2 = h2 * 0x1b3 + (h0 << 8);
        const t3 = h3 * 0x1b3 + (h1 << 8);
        t1 += t0 >>> 16;
        h0 = t0 & 0xffff;
        t2 += t1 >>> 16;
        h1 = t1 & 0xffff;
        h3 = (t3 + (t2 >>> 16)) & 0xffff;
        h2 = t2 & 0xffff;
      }
    }
  }
  return hex16(h3, h2, h1, h0);
}

function asciiOnly(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Character codes of the hex digits. */
const HEX: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

const hexAt = (n: number, shift: number): number => HEX[(n >>> shift) & 15] as number;

/**
 * Four 16-bit words as 16 hex digits, built as one flat string: concatenating the pieces made a
 * rope, and a rope as a Map key (the alert store's, every aggregation group's) is slower to hash
 * and compare on every lookup.
 */
function hex16(a: number, b: number, c: number, d: number): string {
  return String.fromCharCode(
    hexAt(a, 12), hexAt(a, 8), hexAt(a, 4), hexAt(a, 0),
    hexAt(b, 12), hexAt(b, 8), hexAt(b, 4), hexAt(b, 0),
    hexAt(c, 12), hexAt(c, 8), hexAt(c, 4), hexAt(c, 0),
    hexAt(d, 12), hexAt(d, 8), hexAt(d, 4), hexAt(d, 0),
  );
}

/** Go's strconv.Quote for the strings that occur in labels. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\x07': out += '\\a'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      default:
        if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
        else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
        else out += ch;
    }
  }
  return out + '"';
}

/** Alertmanager's model.LabelSet.String(): `{a="1", b="2"}`, sorted by name. */
export function labelsToString(labels: Labels): string {
  const names = sortedNames(labels);
  const parts = names.map((n) => `${n}=${goQuote(labels[n] as string)}`);
  return `{${parts.join(', ')}}`;
}

/** The sub-set of `labels` restricted to `names` (absent names are left out). */
export function pickLabels(labels: Labels, names: Iterable<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = labels[n];
    if (v !== undefined) out[n] = v;
  }
  return out;
}

export function labelsEqual(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

/** Go-style ordering of label sets (model.LabelSet.Before): by sorted names, then values, then length. */
export function compareLabels(a: Labels, b: Labels): number {
  const na = sortedNames(a);
  const nb = sortedNames(b);
  const n = Math.min(na.length, nb.length);
  for (let i = 0; i < n; i++) {
    const x = na[i] as string;
    const y = nb[i] as string;
    if (x !== y) return compareStrings(x, y);
    const c = compareStrings(a[x] as string, b[y] as string);
    if (c !== 0) return c;
  }
  return na.length - nb.length;
}
