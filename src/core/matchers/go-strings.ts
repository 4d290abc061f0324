/**
 * Go string rules the matcher parsers depend on: unicode.IsSpace and strconv.Unquote for
 * double-quoted strings. Kept apart so both parsers share the exact Go semantics.
 */

/** Go's unicode.IsSpace (Latin-1 spaces plus the Unicode White_Space property; not U+FEFF). */
export function isGoSpace(cp: number): boolean {
  if (cp <= 0xff) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
  return (
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** Go's strings.TrimSpace. */
export function goTrimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 0x07, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b, '\\': 0x5c, '"': 0x22,
};

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

function hexValue(s: string, from: number, n: number): number | undefined {
  const part = s.slice(from, from + n);
  if (part.length !== n || !/^[0-9a-fA-F]+$/.test(part)) return undefined;
  return parseInt(part, 16);
}

/**
 * Go's strconv.Unquote for a double-quoted literal, followed by the UTF-8 validity check the
 * matcher parser applies (`\x` and octal escapes produce bytes, so the result is built as bytes).
 * Returns undefined when Go would return an error.
 */
export function goUnquoteDouble(lit: string): string | undefined {
  if (lit.length < 2 || lit[0] !== '"' || lit[lit.length - 1] !== '"') return undefined;
  const body = lit.slice(1, -1);
  if (body.includes('\n')) return undefined;
  if (!body.includes('\\')) {
    if (body.includes('"')) return undefined;
    return (body as unknown as { isWellFormed(): boolean }).isWellFormed() ? body : undefined;
  }
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    const ch = body[i] as string;
    if (ch === '"') return undefined;
    if (ch !== '\\') {
      const cp = body.codePointAt(i) as number;
      const w = cp > 0xffff ? 2 : 1;
      for (const b of encoder.encode(body.slice(i, i + w))) bytes.push(b);
      i += w;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
    } else if (e === 'x') {
      const v = hexValue(body, i + 2, 2);
      if (v === undefined) return undefined;
      bytes.push(v);
      i += 4;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const v = hexValue(body, i + 2, n);
      if (v === undefined || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
      for (const b of encoder.encode(String.fromCodePoint(v))) bytes.push(b);
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      const v = parseInt(oct, 8);
      if (v > 0xff) return undefined;
      bytes.push(v);
      i += 4;
    } else {
      // Includes \' which Go rejects inside a double-quoted string.
      return undefined;
    }
  }
  try {
    return strictDecoder.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}
