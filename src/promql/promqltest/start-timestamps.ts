/**
 * Start-timestamp lines of `load` blocks (test.go isSTLine / parseSTSequence): `metric@st <items>`
 * precedes the sample line of the same series and gives, per sample, the start time as an offset
 * from the sample's own time. Items: `_`, `_xN` (N skipped), `<dur>`, `<dur>xN` (N+1 equal),
 * `<dur>+<dur>xN` / `<dur>-<dur>xN` (N+1, stepping). Durations may carry a sign.
 */
import { parseDuration } from '../../core/duration.js';

/** Per sample: the start-time offset in ms, or 'omit' when the sample has none. */
export type StOffset = number | 'omit';

/** True for a `metric{...}@st ...` line. */
export function isStLine(line: string): boolean {
  const sp = line.search(/[ \t]/);
  return sp > 0 && line.slice(0, sp).endsWith('@st');
}

/** Splits `metric@st items` into the metric text and the items text. */
export function splitStLine(line: string): { metric: string; items: string } {
  const sp = line.search(/[ \t]/);
  return { metric: line.slice(0, sp - 3), items: line.slice(sp + 1).trim() };
}

/** A signed duration at the start of `s`, in ms, and the rest; units stop before `x`. */
function durationPrefix(s: string): { ms: number; rest: string } | string {
  const m = /^([+-]?)(\d+(?:[a-wyzA-Z]+)?)/.exec(s);
  if (!m) return `expected digits in duration ${JSON.stringify(s)}`;
  const d = parseDuration(m[2] as string);
  if (!d.ok) return `invalid duration ${JSON.stringify(m[2])}`;
  return { ms: m[1] === '-' ? -d.value : d.value, rest: s.slice(m[0].length) };
}

function count(s: string): number | undefined {
  return /^\d+$/.test(s) ? Number(s) : undefined;
}

/** Parses the items of an `@st` line; a string is the error text. */
export function parseStSequence(text: string): StOffset[] | string {
  const out: StOffset[] = [];
  for (const item of text.split(/[ \t]+/).filter((x) => x !== '')) {
    if (item === '_') {
      out.push('omit');
      continue;
    }
    if (item.startsWith('_x')) {
      const n = count(item.slice(2));
      if (n === undefined || n === 0) return `invalid ST item ${JSON.stringify(item)}: invalid repeat count`;
      for (let i = 0; i < n; i++) out.push('omit');
      continue;
    }
    const base = durationPrefix(item);
    if (typeof base === 'string') return `invalid ST item ${JSON.stringify(item)}: ${base}`;
    if (base.rest === '') {
      out.push(base.ms);
      continue;
    }
    let delta = 0;
    let rest = base.rest;
    if (rest[0] === '+' || rest[0] === '-') {
      const d = durationPrefix(rest.slice(1));
      if (typeof d === 'string') return `invalid ST item ${JSON.stringify(item)}: invalid step duration: ${d}`;
      delta = rest[0] === '-' ? -d.ms : d.ms;
      rest = d.rest;
    }
    const n = rest[0] === 'x' ? count(rest.slice(1)) : undefined;
    if (n === undefined) return `invalid ST item ${JSON.stringify(item)}: expected 'x<count>'`;
    for (let i = 0, v = base.ms; i <= n; i++, v += delta) out.push(v);
  }
  return out;
}
