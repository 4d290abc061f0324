/**
 * Go literal syntax the scripts rely on: strconv.Unquote (expected strings, label values) and
 * strconv.ParseInt(s, 0, 64) / ParseFloat (a bare number line is an expected scalar).
 */

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/**
 * Go's strconv.Unquote (and PromQL's strutil.Unquote when `multiCharSingle`): "..." with escapes,
 * `...` raw, '...' with escapes. Byte escapes (\xNN, \NNN) are decoded as UTF-8. Undefined when invalid.
 */
export function unquote(s: string, multiCharSingle = false): string | undefined {
  const q = s[0];
  if (s.length < 2 || s[s.length - 1] !== q) return undefined;
  const body = s.slice(1, -1);
  if (q === '`') return body.includes('`') ? undefined : body;
  if (q !== '"' && q !== "'") return undefined;
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < body.length; ) {
    const ch = body[i] as string;
    if (ch === q || ch === '\n') return undefined;
    if (ch !== '\\') {
      const cp = body.codePointAt(i) as number;
      const text = String.fromCodePoint(cp);
      for (const b of enc.encode(text)) bytes.push(b);
      i += text.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined || e === q) {
      bytes.push(simple ?? e.charCodeAt(0));
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return undefined;
      const v = parseInt(hex, 16);
      if (e === 'x') bytes.push(v);
      else if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
      else for (const b of enc.encode(String.fromCodePoint(v))) bytes.push(b);
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return undefined;
      bytes.push(parseInt(oct, 8));
      i += 4;
    } else {
      return undefined;
    }
  }
  const out = new TextDecoder().decode(new Uint8Array(bytes));
  if (q === "'" && !multiCharSingle && [...out].length !== 1) return undefined;
  return out;
}

/** strconv.ParseInt(s, 0, 64) then ParseFloat, on a whole line (upstream parseNumber). */
export function parseGoNumber(s: string): number | undefined {
  if (/^[+-]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+|[1-9][0-9_]*|0)$/.test(s)) {
    const neg = s.startsWith('-');
    const body = s.replace(/^[+-]/, '').replaceAll('_', '');
    let v: number;
    if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
    else if (/^0[bB]/.test(body)) v = parseInt(body.slice(2), 2);
    else if (/^0[oO]/.test(body)) v = parseInt(body.slice(2), 8);
    else if (/^0[0-7]+$/.test(body)) v = parseInt(body, 8);
    else v = Number(body);
    return neg ? -v : v;
  }
  const lower = s.toLowerCase();
  const special = /^([+-]?)(inf|infinity|nan)$/.exec(lower);
  if (special) return special[2] === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  if (/^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?$/.test(s) && !/_$|^[+-]?_/.test(s)) {
    const v = Number(s.replaceAll('_', ''));
    return Number.isNaN(v) ? undefined : v;
  }
  if (/^[+-]?0[xX][0-9a-fA-F]*\.?[0-9a-fA-F]*[pP][+-]?\d+$/.test(s)) return hexFloat(s);
  return undefined;
}

function hexFloat(s: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (!m) return NaN;
  const mant = parseInt((m[2] ?? '') + (m[3] ?? '') || '0', 16) / 16 ** (m[3] ?? '').length;
  const v = mant * 2 ** Number(m[4]);
  return m[1] === '-' ? -v : v;
}
