/**
 * A small YAML writer that lays text out as yaml.v3's Marshal does (what Mimir's ruler config API
 * returns): 4-space indentation, block sequences indented under their key with the item's mapping
 * 2 columns after the `- `, map keys sorted by yaml.v3's keyList order, strings plain when they
 * read back as the same string, else single-quoted, double-quoted when they would read as another
 * type or hold special characters, and multi-line strings as literal blocks (`|`, `|-`, `|+`).
 * Behaviour from go-yaml v3 encode.go / emitterc.go (`yaml_emitter_increase_indent`,
 * `yaml_emitter_analyze_scalar`) and sorter.go; the code is Herald's own.
 */

/** What can be written: strings, ordered mappings and sequences. */
export type EmitNode = string | EmitRaw | readonly EmitNode[] | { readonly entries: ReadonlyArray<readonly [string, EmitNode]> };

/** A scalar written as is (numbers). */
export interface EmitRaw {
  readonly raw: string;
}

function isRaw(n: EmitNode): n is EmitRaw {
  return typeof n === 'object' && !Array.isArray(n) && 'raw' in n;
}

const BEST_INDENT = 4;

function isSeq(n: EmitNode): n is readonly EmitNode[] {
  return Array.isArray(n);
}

function isMap(n: EmitNode): n is { readonly entries: ReadonlyArray<readonly [string, EmitNode]> } {
  return typeof n === 'object' && !Array.isArray(n) && 'entries' in n;
}

function isEmptyCollection(n: EmitNode): boolean {
  return (isSeq(n) && n.length === 0) || (isMap(n) && n.entries.length === 0);
}

/** Writes a document; always ends with a newline. */
export function emitYaml(root: EmitNode): string {
  const lines: string[] = [];
  if (typeof root === 'string') return `${scalar(root, 0).join('\n')}\n`;
  if (isRaw(root)) return `${root.raw}\n`;
  if (isEmptyCollection(root)) return isSeq(root) ? '[]\n' : '{}\n';
  block(root, 0, lines, '');
  return `${lines.join('\n')}\n`;
}

/** The indentation of a collection nested under a mapping key at `indent` (yaml.v3 rounds to multiples of 4). */
function nested(indent: number): number {
  return BEST_INDENT * Math.floor((indent + BEST_INDENT) / BEST_INDENT);
}

/** Writes a non-empty collection at `indent`; `first` is the text that precedes its first line (`- ` of a parent item). */
function block(n: EmitNode, indent: number, lines: string[], first: string): void {
  const pad = ' '.repeat(indent);
  let prefix = first === '' ? pad : first;
  if (isSeq(n)) {
    for (const item of n) {
      const lead = `${prefix}- `;
      prefix = pad;
      if (typeof item === 'string' || isRaw(item) || isEmptyCollection(item)) {
        const text = typeof item === 'string' ? scalar(item, indent + 2) : isRaw(item) ? [item.raw] : [isSeq(item) ? '[]' : '{}'];
        lines.push(lead + (text[0] ?? ''), ...text.slice(1));
      } else {
        block(item, indent + 2, lines, lead);
      }
    }
    return;
  }
  if (!isMap(n)) return;
  for (const [k, v] of n.entries) {
    const key = `${prefix}${scalar(k, indent).join(' ')}:`;
    prefix = pad;
    if (typeof v === 'string') {
      const text = scalar(v, nested(indent));
      lines.push(`${key} ${text[0] ?? ''}`, ...text.slice(1));
    } else if (isRaw(v)) {
      lines.push(`${key} ${v.raw}`);
    } else if (isEmptyCollection(v)) {
      lines.push(`${key} ${isSeq(v) ? '[]' : '{}'}`);
    } else {
      lines.push(key);
      block(v, nested(indent), lines, '');
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Scalars

const NON_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN|[-+]?[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+|<<)$/;
const OLD_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function isPrintable(c: number): boolean {
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) || (c >= 0x10000 && c <= 0x10ffff);
}

interface Analysis {
  readonly plain: boolean;
  readonly single: boolean;
  readonly literal: boolean;
}

function analyze(s: string): Analysis {
  let special = false;
  for (const ch of s) if (!isPrintable(ch.codePointAt(0) as number)) special = true;
  const multiline = s.includes('\n');
  const lines = s.split('\n');
  const trailingSpaceInLine = lines.some((l) => / $/.test(l));
  const startsWithSpace = /^[ \n]/.test(s);
  const endsWithSpace = / $/.test(s);
  const indicatorStart = /^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !(/^[-?:][^ \n]/.test(s) && !/^[-?:][,[\]{}]/.test(s));
  const docMarker = /^(?:---|\.\.\.)/.test(s);
  const inner = s.includes(': ') || s.includes(' #') || s.endsWith(':');
  const plain = !special && !multiline && s !== '' && !startsWithSpace && !endsWithSpace && !indicatorStart && !docMarker && !inner;
  const single = !special && !(multiline && (trailingSpaceInLine || lines.some((l) => /^ /.test(l))));
  const literal = !special && multiline && !trailingSpaceInLine && !startsWithSpace;
  return { plain, single, literal };
}

/** The scalar as lines (more than one for a literal block whose content sits at `indent`). */
function scalar(s: string, indent: number): string[] {
  const resolvesOther = NON_STRING.test(s) || OLD_BOOL.test(s) || BASE60.test(s);
  const a = analyze(s);
  if (s.includes('\n') && a.literal) return literal(s, indent);
  if (!resolvesOther && a.plain) return [s];
  if (!resolvesOther && a.single && !s.includes('\n')) return [`'${s.replace(/'/g, "''")}'`];
  return [doubleQuoted(s)];
}

function literal(s: string, indent: number): string[] {
  const m = /\n*$/.exec(s);
  const trailing = m ? m[0].length : 0;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing === 0 ? s : s.slice(0, s.length - (chomp === '+' ? 1 : trailing));
  const pad = ' '.repeat(indent);
  return [`|${chomp}`, ...body.split('\n').map((l) => (l === '' ? '' : pad + l))];
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\0': '\\0',
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
  '"': '\\"',
  '\\': '\\\\',
  '\x85': '\\N',
  '\xa0': '\\_',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const esc = ESCAPES[ch];
    const c = ch.codePointAt(0) as number;
    if (esc !== undefined) out += esc;
    else if (!isPrintable(c)) out += c <= 0xff ? `\\x${c.toString(16).toUpperCase().padStart(2, '0')}` : c <= 0xffff ? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}` : `\\U${c.toString(16).toUpperCase().padStart(8, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

// ---------------------------------------------------------------------------------------------
// Key order

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isLetter(c: string): boolean {
  return /\p{L}/u.test(c);
}

/** yaml.v3's keyList.Less for string keys: letters by code point, digit runs by numeric value. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ca = ar[i] as string;
    const cb = br[i] as string;
    if (ca === cb) {
      digits = isDigit(ca);
      continue;
    }
    const al = isLetter(ca);
    const bl = isLetter(cb);
    if (al && bl) return (ca.codePointAt(0) as number) < (cb.codePointAt(0) as number);
    if (al || bl) return digits ? al : bl;
    let an = 0;
    let bn = 0;
    if (ca === '0' || cb === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] as string); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai] as string); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi] as string); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return (ca.codePointAt(0) as number) < (cb.codePointAt(0) as number);
  }
  return ar.length < br.length;
}

/** Entries of a string map in yaml.v3's marshal order. */
export function sortedYamlEntries(m: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.entries(m).sort((x, y) => (yamlKeyLess(x[0], y[0]) ? -1 : yamlKeyLess(y[0], x[0]) ? 1 : 0));
}
