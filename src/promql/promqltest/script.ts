/**
 * Parser of promqltest scripts (Prometheus promql/promqltest/test.go, v3.14): `load`,
 * `load_with_nhcb`, `clear` and `eval` commands (see eval-command.ts). PromQL expressions are
 * kept as text; whoever runs the script parses them.
 */
import type { Labels } from '../../core/labels.js';
import { fail, issue, ok } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import { duration, ScriptError, seriesLine } from './commands.js';
import type { Command, LoadCommand, LoadedSeries, Script } from './commands.js';
import { parseEval } from './eval-command.js';
import { labelKey } from './compare.js';
import { parseMetricText } from './series-notation.js';
import { isStLine, parseStSequence, splitStLine } from './start-timestamps.js';
import type { StOffset } from './start-timestamps.js';

export type { ClearCommand, Command, EvalCommand, ExpectType, Expectation, ExpectedSeries, LoadCommand, LoadedSeries, Script } from './commands.js';

const PAT_LOAD = /^load(?:_(with_nhcb))?\s+(.+?)$/;

/** Parses a whole script. Like upstream, the first error stops parsing; it carries its 1-based line. */
export function parseScript(text: string): Result<Script> {
  const lines = text.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  const commands: Command[] = [];
  try {
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] as string;
      if (l === '') continue;
      const word = (l.split(/[\t ]+/, 1)[0] as string).toLowerCase();
      if (word === 'clear') {
        commands.push({ kind: 'clear', line: i + 1 });
      } else if (word.startsWith('load')) {
        const [next, cmd] = parseLoad(lines, i);
        commands.push(cmd);
        i = next;
      } else if (word.startsWith('eval')) {
        const [next, cmd] = parseEval(lines, i);
        commands.push(cmd);
        i = next;
      } else {
        throw new ScriptError(i + 1, `invalid command ${JSON.stringify(l)}`);
      }
    }
  } catch (e) {
    if (!(e instanceof ScriptError)) throw e;
    return fail([toIssue(e)]);
  }
  return ok({ commands });
}

function toIssue(e: ScriptError): Issue {
  return issue('bad_script', e.message, { range: { start: { line: e.line, column: 1 } } });
}

function parseLoad(lines: readonly string[], i: number): [number, LoadCommand] {
  const m = PAT_LOAD.exec(lines[i] as string);
  if (!m) throw new ScriptError(i + 1, 'invalid load command. (load[_with_nhcb] <step:duration>)');
  const line = i + 1;
  const intervalMs = duration(m[2] as string, line, 'step definition');
  const series: LoadedSeries[] = [];
  let pendingSt: { labels: Labels; offsets: StOffset[]; line: number } | undefined;
  let hasStartTimestamps = false;
  while (i + 1 < lines.length && lines[i + 1] !== '') {
    i++;
    const def = lines[i] as string;
    if (isStLine(def)) {
      if (pendingSt) throw new ScriptError(pendingSt.line, '@st line has no following sample line');
      const parts = splitStLine(def);
      const metric = parseMetricText(parts.metric);
      if (!metric.ok) throw new ScriptError(i + 1, `invalid @st line metric ${JSON.stringify(parts.metric)}: ${metric.issues[0]?.message ?? ''}`);
      const offsets = parseStSequence(parts.items);
      if (typeof offsets === 'string') throw new ScriptError(i + 1, `invalid @st sequence: ${offsets}`);
      pendingSt = { labels: metric.value, offsets, line: i + 1 };
      hasStartTimestamps = true;
      continue;
    }
    const r = seriesLine(def, i + 1);
    if (pendingSt) {
      if (labelKey(pendingSt.labels) !== labelKey(r.labels)) throw new ScriptError(pendingSt.line, '@st metric does not match the following sample line metric');
      if (pendingSt.offsets.length !== r.values.length) {
        throw new ScriptError(pendingSt.line, `@st line has ${pendingSt.offsets.length} values but sample line has ${r.values.length}`);
      }
      series.push({ labels: r.labels, values: r.values, line: i + 1, startOffsets: pendingSt.offsets });
      pendingSt = undefined;
    } else {
      series.push({ labels: r.labels, values: r.values, line: i + 1 });
    }
  }
  if (pendingSt) throw new ScriptError(pendingSt.line, '@st line has no following sample line');
  return [i, { kind: 'load', line, intervalMs, withNhcb: m[1] === 'with_nhcb', hasStartTimestamps, series }];
}
