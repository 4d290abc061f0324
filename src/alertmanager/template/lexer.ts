/**
 * Lexer for Go's text/template language: splits a template into text and action tokens. Follows
 * the token rules of text/template/parse/lex.go (trim markers `{{- ` / ` -}}`, comments, raw and
 * quoted strings, char constants, numbers, `:=`/`=`, keywords), written afresh for Herald.
 */

export type TokKind =
  | 'text' | 'left' | 'right' | 'space' | 'ident' | 'field' | 'variable' | 'string' | 'rawString'
  | 'char' | 'number' | 'bool' | 'nil' | 'dot' | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign'
  | 'comma' | 'keyword' | 'comment' | 'eof' | 'error';

/** One token; `pos` is the offset in the source, `line` 1-based. */
export interface Token {
  readonly kind: TokKind;
  readonly val: string;
  readonly pos: number;
  readonly line: number;
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);
const SPACE = /[ \t\r\n]/;

function isAlnum(c: string): boolean {
  return /[\p{L}\p{Nd}_]/u.test(c);
}

/** Tokenizes the whole text. The last token is `eof` or `error` (its `val` is Go's message). */
export function lex(text: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  let line = 1;
  let parenDepth = 0;
  const emit = (kind: TokKind, start: number, end: number, val = text.slice(start, end)): void => {
    out.push({ kind, val, pos: start, line });
    for (let i = start; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  };
  const fail = (msg: string, at: number): Token[] => {
    out.push({ kind: 'error', val: msg, pos: at, line });
    return out;
  };

  for (;;) {
    // Text up to the next left delimiter.
    const ld = text.indexOf('{{', pos);
    if (ld < 0) {
      if (pos < text.length) emit('text', pos, text.length);
      out.push({ kind: 'eof', val: '', pos: text.length, line });
      return out;
    }
    let textEnd = ld;
    const trimLeft = text.startsWith('{{- ', ld) || text.startsWith('{{-\t', ld) || text.startsWith('{{-\n', ld) || text.startsWith('{{-\r', ld);
    if (trimLeft) while (textEnd > pos && SPACE.test(text[textEnd - 1] as string)) textEnd--;
    if (textEnd > pos) emit('text', pos, textEnd);
    // Count lines in trimmed whitespace.
    for (let i = textEnd; i < ld; i++) if (text.charCodeAt(i) === 10) line++;
    pos = ld + 2 + (trimLeft ? 1 : 0);
    // Comment.
    let afterMarker = pos;
    while (afterMarker < text.length && SPACE.test(text[afterMarker] as string) && trimLeft) afterMarker++;
    if (text.startsWith('/*', trimLeft ? afterMarker : pos)) {
      const cstart = trimLeft ? afterMarker : pos;
      const cend = text.indexOf('*/', cstart + 2);
      if (cend < 0) return fail('unclosed comment', cstart);
      let p = cend + 2;
      let trimRight = false;
      if (/^[ \t\r\n]-}}/.test(text.slice(p, p + 4))) {
        trimRight = true;
        p += 1;
        while (p < text.length && SPACE.test(text[p] as string) && !text.startsWith('-}}', p)) p++;
        p += 1;
      } else if (!text.startsWith('}}', p)) {
        return fail('comment ends before closing delimiter', cstart);
      }
      emit('comment', cstart, cend + 2);
      for (let i = cend + 2; i < p + 2; i++) if (text.charCodeAt(i) === 10) line++;
      pos = p + 2;
      if (trimRight) while (pos < text.length && SPACE.test(text[pos] as string)) { if (text.charCodeAt(pos) === 10) line++; pos++; }
      continue;
    }
    out.push({ kind: 'left', val: '{{', pos: ld, line });
    const actionLine = line;
    parenDepth = 0;
    // Inside action.
    for (;;) {
      // Right delimiter (with optional trim marker).
      if (/^[ \t\r\n]-}}/.test(text.slice(pos, pos + 4))) {
        emit('space', pos, pos + 1);
        out.push({ kind: 'right', val: '}}', pos: pos + 2, line });
        pos += 4;
        while (pos < text.length && SPACE.test(text[pos] as string)) { if (text.charCodeAt(pos) === 10) line++; pos++; }
        break;
      }
      if (text.startsWith('}}', pos)) {
        if (parenDepth > 0) return fail('unclosed left paren', pos);
        out.push({ kind: 'right', val: '}}', pos, line });
        pos += 2;
        break;
      }
      if (pos >= text.length) return fail(actionLine === line ? 'unclosed action' : `unclosed action started at \u0000:${actionLine}`, pos);
      const c = text[pos] as string;
      const start = pos;
      if (SPACE.test(c)) {
        while (pos < text.length && SPACE.test(text[pos] as string) && !/^[ \t\r\n]-}}/.test(text.slice(pos, pos + 4))) pos++;
        emit('space', start, pos);
        continue;
      }
      if (c === '=') { pos++; emit('assign', start, pos); continue; }
      if (c === ':') {
        if (text[pos + 1] !== '=') return fail('expected :=', pos);
        pos += 2; emit('declare', start, pos); continue;
      }
      if (c === '|') { pos++; emit('pipe', start, pos); continue; }
      if (c === ',') { pos++; emit('comma', start, pos); continue; }
      if (c === '(') { pos++; parenDepth++; emit('lparen', start, pos); continue; }
      if (c === ')') {
        pos++; parenDepth--;
        if (parenDepth < 0) return fail('unexpected right paren', start);
        emit('rparen', start, pos); continue;
      }
      if (c === '"') {
        pos++;
        for (;;) {
          const d = text[pos];
          if (d === undefined || d === '\n') return fail('unterminated quoted string', start);
          if (d === '\\') { pos += 2; continue; }
          pos++;
          if (d === '"') break;
        }
        emit('string', start, pos); continue;
      }
      if (c === '`') {
        const end = text.indexOf('`', pos + 1);
        if (end < 0) return fail('unterminated raw quoted string', start);
        pos = end + 1;
        emit('rawString', start, pos); continue;
      }
      if (c === "'") {
        pos++;
        for (;;) {
          const d = text[pos];
          if (d === undefined || d === '\n') return fail('unterminated character constant', start);
          if (d === '\\') { pos += 2; continue; }
          pos++;
          if (d === "'") break;
        }
        emit('char', start, pos); continue;
      }
      if (c === '$') {
        pos++;
        while (pos < text.length && isAlnum(text[pos] as string)) pos++;
        if (!atTerminator(text, pos)) return fail(`bad character ${goRune(text[pos] as string)}`, pos);
        emit('variable', start, pos); continue;
      }
      if (c === '.') {
        const n = text[pos + 1];
        if (n !== undefined && /[0-9]/.test(n)) {
          pos = scanNumber(text, pos);
          emit('number', start, pos); continue;
        }
        pos++;
        if (n !== undefined && isAlnum(n)) {
          while (pos < text.length && isAlnum(text[pos] as string)) pos++;
          if (!atTerminator(text, pos)) return fail(`bad character ${goRune(text[pos] as string)}`, pos);
          emit('field', start, pos); continue;
        }
        emit('dot', start, pos); continue;
      }
      if (/[0-9+-]/.test(c)) {
        pos = scanNumber(text, pos);
        const t = text[pos];
        if (t !== undefined && isAlnum(t)) return fail(`bad number syntax: "${text.slice(start, pos + t.length)}"`, start);
        emit('number', start, pos); continue;
      }
      if (isAlnum(c)) {
        while (pos < text.length && isAlnum(text[pos] as string)) pos++;
        const w = text.slice(start, pos);
        if (!atTerminator(text, pos)) return fail(`bad character ${goRune(text[pos] as string)}`, pos);
        if (KEYWORDS.has(w)) emit('keyword', start, pos);
        else if (w === 'true' || w === 'false') emit('bool', start, pos);
        else if (w === 'nil') emit('nil', start, pos);
        else emit('ident', start, pos);
        continue;
      }
      return fail(`unrecognized character in action: ${goRune(c)}`, start);
    }
  }
}

/** Go's atTerminator: what may follow an identifier, field or variable. */
function atTerminator(text: string, pos: number): boolean {
  const c = text[pos];
  return c === undefined || /[ \t\r\n.,|:)(]/.test(c) || text.startsWith('}}', pos);
}

/** Go's %#U: U+002F '/'. */
function goRune(c: string): string {
  const cp = c.codePointAt(0) as number;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${String.fromCodePoint(cp)}'`;
}

function scanNumber(text: string, pos: number): number {
  let p = pos;
  if (text[p] === '+' || text[p] === '-') p++;
  let digits = /[0-9_]/;
  if (text[p] === '0' && /[xX]/.test(text[p + 1] ?? '')) { p += 2; digits = /[0-9a-fA-F_]/; }
  else if (text[p] === '0' && /[oO]/.test(text[p + 1] ?? '')) { p += 2; digits = /[0-7_]/; }
  else if (text[p] === '0' && /[bB]/.test(text[p + 1] ?? '')) { p += 2; digits = /[01_]/; }
  while (p < text.length && digits.test(text[p] as string)) p++;
  if (text[p] === '.') { p++; while (p < text.length && digits.test(text[p] as string)) p++; }
  if (digits.source === '[0-9_]' && /[eE]/.test(text[p] ?? '')) {
    p++;
    if (text[p] === '+' || text[p] === '-') p++;
    while (p < text.length && /[0-9_]/.test(text[p] as string)) p++;
  }
  if (text[p] === 'i') p++;
  return p;
}
