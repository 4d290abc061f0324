/**
 * Parses one `eval` command and its block (test.go parseEval): `eval instant at <t> <expr>`,
 * `eval range from <t> to <t> step <d> <expr>`, the deprecated eval_fail/_warn/_info/_ordered
 * forms, `expect ...` lines, and expected results (series notation, a bare scalar, a string).
 */
import { parseDuration } from '../../core/duration.js';
import { duration, ScriptError, seriesLine } from './commands.js';
import type { EvalCommand, ExpectType, Expectation, ExpectedSeries } from './commands.js';
import { parseGoNumber, unquote } from './go-literals.js';

const PAT_EVAL_INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const PAT_EVAL_RANGE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const PAT_EXPECT = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$/;
const PAT_EXPECT_RANGE = /^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$/;

const EMPTY_EXPECTS = (): Record<ExpectType, Expectation[]> => ({ ordered: [], fail: [], warn: [], no_warn: [], info: [], no_info: [] });

/** Parses the eval at lines[i]; returns the index of its last line and the command. */
export function parseEval(lines: readonly string[], i: number): [number, EvalCommand] {
  const text = lines[i] as string;
  const line = i + 1;
  const inst = PAT_EVAL_INSTANT.exec(text);
  const rng = inst ? null : PAT_EVAL_RANGE.exec(text);
  if (!inst && !rng) {
    throw new ScriptError(line, "invalid evaluation command. Must be either 'eval[_fail|_warn|_ordered] instant [at <offset:duration>] <query>' or 'eval[_fail|_warn] range from <from> to <to> step <step> <query>'");
  }
  const mod = (inst ? inst[1] : rng?.[1]) ?? '';
  const expr = (inst ? inst[3] : rng?.[5]) as string;
  const where = (msg: string): ScriptError => new ScriptError(line, `error in eval ${expr} (line ${line}): ${msg}`);
  let startMs: number;
  let endMs: number;
  let stepMs = 0;
  if (inst) {
    startMs = duration(inst[2] ?? '', line, 'timestamp definition');
    endMs = startMs;
  } else {
    const r = rng as RegExpExecArray;
    [startMs, endMs, stepMs] = rangeTimes(r[2] as string, r[3] as string, r[4] as string, where);
  }
  const expects = EMPTY_EXPECTS();
  const expected: ExpectedSeries[] = [];
  let expectedScalar: number | undefined;
  let expectedString: string | undefined;
  let expectedFailMessage: string | undefined;
  let expectedFailRegexp: string | undefined;
  let excludeFromRangeQuery = false;
  let rangeVector = false;
  const legacyFail = mod === 'fail';

  for (let j = 1; i + 1 < lines.length; j++) {
    const def = lines[i + 1] as string;
    if (def === '') break;
    i++;
    if (legacyFail && def.startsWith('expected_fail_message')) {
      expectedFailMessage = def.slice('expected_fail_message'.length).trim();
      break;
    }
    if (legacyFail && def.startsWith('expected_fail_regexp')) {
      expectedFailRegexp = def.slice('expected_fail_regexp'.length).trim();
      checkRegex(expectedFailRegexp, where);
      break;
    }
    if (def.startsWith('expect range vector')) {
      const m = PAT_EXPECT_RANGE.exec(def);
      if (!m) throw where(`invalid range vector definition ${JSON.stringify(def)}`);
      [startMs, endMs, stepMs] = rangeTimes(m[1] as string, m[2] as string, m[3] as string, where);
      rangeVector = true;
      excludeFromRangeQuery = true;
      continue;
    }
    if (def.startsWith('expect string')) {
      const lit = def === 'expect string' ? '' : def.slice('expect string '.length);
      const s = lit === '' ? undefined : unquote(lit);
      if (s === undefined) throw where('expected string literal not valid - check that the string is correctly quoted');
      expectedString = s;
      excludeFromRangeQuery = true;
      continue;
    }
    if (def.split(' ')[0] === 'expect') {
      const m = PAT_EXPECT.exec(def.trim());
      if (!m) throw where('invalid expect statement, must match `expect <type> <match_type>: <string>` format');
      const type = m[1] as ExpectType;
      const body = (m[3] ?? '').trim();
      const exp: Expectation = m[2] === 'msg' ? { message: body } : m[2] === 'regex' ? { regex: checkRegex(body, where) } : {};
      expects[type].push(exp);
      j--;
      validateExpects(expects, where);
      continue;
    }
    const num = parseGoNumber(def);
    if (num !== undefined) {
      expectedScalar = num;
      break;
    }
    const s = seriesLine(def, i + 1);
    if (s.values.length > 1 && inst && !rangeVector) {
      throw where("expecting multiple values in instant evaluation not allowed. consider using 'expect range vector' directive to enable a range vector result for an instant query");
    }
    expected.push({ labels: s.labels, values: s.values, pos: j });
  }
  const cmd: EvalCommand = {
    kind: 'eval',
    line,
    expr,
    isRange: !inst,
    startMs,
    endMs,
    expectRangeVector: rangeVector,
    stepMs,
    legacyFail,
    legacyWarn: mod === 'warn',
    legacyInfo: mod === 'info',
    legacyOrdered: mod === 'ordered',
    expects,
    expected,
    excludeFromRangeQuery,
    ...(expectedFailMessage !== undefined ? { expectedFailMessage } : {}),
    ...(expectedFailRegexp !== undefined ? { expectedFailRegexp } : {}),
    ...(expectedScalar !== undefined ? { expectedScalar } : {}),
    ...(expectedString !== undefined ? { expectedString } : {}),
  };
  return [i, cmd];
}

function rangeTimes(from: string, to: string, step: string, where: (m: string) => ScriptError): [number, number, number] {
  const f = parseDuration(from);
  if (!f.ok) throw where(`invalid start timestamp definition ${JSON.stringify(from)}`);
  const t = parseDuration(to);
  if (!t.ok) throw where(`invalid end timestamp definition ${JSON.stringify(to)}`);
  if (t.value < f.value) throw where(`invalid test definition, end timestamp (${to}) is before start timestamp (${from})`);
  const s = parseDuration(step);
  if (!s.ok) throw where(`invalid step definition ${JSON.stringify(step)}`);
  return [f.value, t.value, s.value];
}

function checkRegex(pattern: string, where: (m: string) => ScriptError): string {
  try {
    new RegExp(pattern, 'u');
  } catch {
    throw where(`invalid regex ${pattern}`);
  }
  return pattern;
}

function validateExpects(e: Record<ExpectType, Expectation[]>, where: (m: string) => ScriptError): void {
  if (e.info.length > 0 && e.no_info.length > 0) throw where('invalid expect lines, info and no_info cannot be used together');
  if (e.warn.length > 0 && e.no_warn.length > 0) throw where('invalid expect lines, warn and no_warn cannot be used together');
  if (e.fail.length > 1) throw where('invalid expect lines, multiple expect fail lines are not allowed');
}
