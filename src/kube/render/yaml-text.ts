/**
 * A rendered configuration (plain data) -> YAML text, the same text as `yaml`'s
 * `stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })` gives, written directly: that
 * library builds a node per value before writing, which was most of a large reconcile's time.
 * Only what is known to be written the same is written here (block maps and sequences, numbers,
 * booleans, null, strings that stay plain, the empty string); a document holding anything else
 * (a string that needs quotes, a multi-line string, a non-finite number, a non-plain object) is
 * handed to the library whole, so the text is always the library's.
 */
import { stringify } from 'yaml';

type Obj = Record<string, unknown>;

/** Thrown inside the writer when a value is not one it knows; the library writes the document. */
class NotWritten extends Error {}

/** The configuration's YAML text. */
export function configYaml(doc: Readonly<Obj>): string {
  try {
    const out: string[] = [];
    writeMap(doc, '', out);
    return out.length === 0 ? '{}\n' : out.join('');
  } catch (e) {
    if (!(e instanceof NotWritten)) throw e;
    return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
  }
}

/** Characters allowed in a plain scalar here; the library writes a string of them without quotes unless a rule below says otherwise. */
const PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9_./=!"'()?&%+@*~<>^$|;: -]*$/;
/** A `: ` or ` #` inside, or a trailing space or colon, needs quotes. */
const NEEDS_QUOTES = /: | #|[ :]$/;
/** Plain text the YAML 1.2 core schema reads as something other than a string. */
const CORE_NON_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

function plainString(s: string): string {
  if (s === '') return '""';
  if (!PLAIN.test(s) || NEEDS_QUOTES.test(s) || CORE_NON_STRING.test(s)) throw new NotWritten();
  return s;
}

function isObj(v: unknown): v is Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A value written on the line of its key or dash, or undefined when it needs lines of its own. */
function inline(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return plainString(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new NotWritten();
      return Object.is(v, -0) ? '-0' : JSON.stringify(v);
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
      if (!isObj(v)) throw new NotWritten();
      for (const k in v) if (v[k] !== undefined) return undefined;
      return '{}';
    default:
      throw new NotWritten();
  }
}

/** Writes the entries of a map, each line starting with `indent` (the first one's indent already written when `first` is given). */
function writeMap(m: Readonly<Obj>, indent: string, out: string[], first = indent): void {
  let lead = first;
  for (const k of Object.keys(m)) {
    const v = m[k];
    if (v === undefined) continue;
    const key = plainString(k);
    if (key === '""') throw new NotWritten();
    const text = inline(v);
    if (text !== undefined) {
      out.push(`${lead}${key}: ${text}\n`);
    } else {
      out.push(`${lead}${key}:\n`);
      writeBlock(v, `${indent}  `, out);
    }
    lead = indent;
  }
}

function writeSeq(s: readonly unknown[], indent: string, out: string[], first = indent): void {
  let lead = first;
  for (const item of s) {
    const v = item === undefined ? null : item;
    const text = inline(v);
    if (text !== undefined) out.push(`${lead}- ${text}\n`);
    else if (Array.isArray(v)) writeSeq(v, `${indent}  `, out, `${lead}- `);
    else writeMap(v as Obj, `${indent}  `, out, `${lead}- `);
    lead = indent;
  }
}

/** A non-empty map or sequence on the lines below its key. */
function writeBlock(v: unknown, indent: string, out: string[]): void {
  if (Array.isArray(v)) writeSeq(v, indent, out);
  else writeMap(v as Obj, indent, out);
}
