/**
 * The commands of a promqltest script as data (Prometheus promql/promqltest/test.go loadCmd,
 * clearCmd, evalCmd), and the helpers the command parsers share.
 */
import type { Labels } from '../../core/labels.js';
import { parseDuration } from '../../core/duration.js';
import { parseSeriesLine } from './series-notation.js';
import type { SeqValue, SeriesLine } from './series-notation.js';
import type { StOffset } from './start-timestamps.js';

/** One series line of a `load` block. */
export interface LoadedSeries {
  readonly labels: Labels;
  readonly values: readonly SeqValue[];
  /** 1-based line of the series in the script. */
  readonly line: number;
  /** From a preceding `metric@st` line: per sample, its start time as an offset from the sample's time. */
  readonly startOffsets?: readonly StOffset[];
}

/** `load <interval>`: sample i of each series is at i * interval from time 0. */
export interface LoadCommand {
  readonly kind: 'load';
  readonly line: number;
  readonly intervalMs: number;
  /** `load_with_nhcb`: classic histograms are also converted to native histograms with custom buckets. */
  readonly withNhcb: boolean;
  /** True when some series carry start timestamps (`metric@st ...` lines). */
  readonly hasStartTimestamps: boolean;
  readonly series: readonly LoadedSeries[];
}

/** `clear`: drops everything loaded so far. */
export interface ClearCommand {
  readonly kind: 'clear';
  readonly line: number;
}

/** The kinds of `expect` line. */
export type ExpectType = 'ordered' | 'fail' | 'warn' | 'no_warn' | 'info' | 'no_info';

/** One `expect <type> [msg|regex: <text>]` line; neither `message` nor `regex` means "anything". */
export interface Expectation {
  readonly message?: string;
  readonly regex?: string;
}

/** One expected result line: labels and their value(s). */
export interface ExpectedSeries {
  readonly labels: Labels;
  readonly values: readonly SeqValue[];
  /** 1-based position among the result lines (upstream's `pos`, used by `expect ordered`). */
  readonly pos: number;
}

/** `eval instant|range ...` with everything its block expects. */
export interface EvalCommand {
  readonly kind: 'eval';
  readonly line: number;
  readonly expr: string;
  readonly isRange: boolean;
  /**
   * Range: the query's start, end and step. Instant: the evaluation time is `endMs`; with
   * `expect range vector from a to b step s`, startMs/endMs/stepMs are a/b/s and b is the
   * evaluation time (as upstream); without it, startMs = endMs and stepMs = 0.
   */
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  /** `expect range vector` was given (an instant query expected to return a matrix). */
  readonly expectRangeVector: boolean;
  /** Legacy flags of eval_fail / eval_warn / eval_info / eval_ordered. */
  readonly legacyFail: boolean;
  readonly legacyWarn: boolean;
  readonly legacyInfo: boolean;
  readonly legacyOrdered: boolean;
  readonly expectedFailMessage?: string;
  readonly expectedFailRegexp?: string;
  readonly expects: Readonly<Record<ExpectType, readonly Expectation[]>>;
  /** A bare number line: the query must return this scalar. */
  readonly expectedScalar?: number;
  readonly expectedString?: string;
  readonly expected: readonly ExpectedSeries[];
  /** `expect range vector` or `expect string`: not re-run as a range query. */
  readonly excludeFromRangeQuery: boolean;
}

/** Any script command. */
export type Command = LoadCommand | ClearCommand | EvalCommand;

/** A parsed script: its commands in order. */
export interface Script {
  readonly commands: readonly Command[];
}

/** A script error at a 1-based line; parseScript turns it into an Issue. */
export class ScriptError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** A Prometheus duration (model.ParseDuration) in ms, or a ScriptError naming `what`. */
export function duration(text: string, line: number, what: string): number {
  const d = parseDuration(text);
  if (!d.ok) throw new ScriptError(line, `invalid ${what} ${JSON.stringify(text)}: ${d.issues[0]?.message ?? ''}`);
  return d.value;
}

/** A series-notation line, or a ScriptError at `line`. */
export function seriesLine(text: string, line: number): SeriesLine {
  const r = parseSeriesLine(text);
  if (!r.ok) throw new ScriptError(line, `${r.issues[0]?.message ?? 'bad series'} in ${JSON.stringify(text)}`);
  return r.value;
}
