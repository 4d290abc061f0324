/**
 * Runs the eval commands of a promqltest script against a PromQL engine, as Prometheus'
 * promql/promqltest/test.go (v3.14) does: range evals once; instant evals at their time, then
 * with `@` pinned on every selector at other times (atModifierTestCases), and each instant query
 * again as a range query over [t-1m, t+1m] whose middle step must give the same result.
 */
import type { QueryOptions, QueryResult } from '../api.js';
import type { Expr } from '../ast.js';
import type { QueryValue, Sample, SeriesSource } from '../value.js';
import { atModifierCases, usesStartOrEnd } from './at-modifier.js';
import { checkAnnotations, checkExpectedFailure, checkMatrixSorted, compareResult, expectsFailure } from './compare.js';
import { Environments, touchesHistograms } from './environment.js';
import type { EvalCommand, Script } from './script.js';

/** What the runner needs from the engine; the conformance test adapts the real modules to it. */
export interface ConformanceEngine {
  parse(input: string): { ok: true; expr: Expr } | { ok: false; message: string };
  /** Expr.String(), when available: names the `@`-pinned queries as upstream does. */
  print?(expr: Expr): string;
  instantQuery(source: SeriesSource, expr: Expr, timeMs: number, options: QueryOptions): Promise<QueryResult>;
  rangeQuery(source: SeriesSource, expr: Expr, startMs: number, endMs: number, stepMs: number, options: QueryOptions): Promise<QueryResult>;
}

/** The options upstream's NewTestEngine uses for these scripts (lookback 5m, 10,000 samples...). */
export const UPSTREAM_TEST_OPTIONS: QueryOptions = {
  lookbackDeltaMs: 5 * 60_000,
  maxSamples: 10_000,
  timeoutMs: 100_000,
  defaultSubqueryStepMs: 60_000,
  experimentalFunctions: true,
};

/** How one eval command went. */
export type CaseOutcome =
  | { readonly status: 'pass' }
  | { readonly status: 'fail'; readonly message: string }
  | { readonly status: 'skip'; readonly reason: string };

const PASS: CaseOutcome = { status: 'pass' };
const QUERY_CONTEXT_FUNCS = /(start|end|range|step)\(\)/;
const NATIVE_HISTOGRAMS = 'needs native histograms (Herald stores float samples only)';

function failure(message: string): CaseOutcome {
  return { status: 'fail', message };
}

/** The text of a query error, or undefined when the engine crashed instead of failing the query. */
function queryErrorText(e: unknown): string | undefined {
  if (e instanceof Error && (e.name === 'PromQLQueryError' || e.name === 'PromQLParseError')) return e.message;
  return undefined;
}

function crash(e: unknown, what: string): CaseOutcome {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return failure(`engine crashed ${what}: ${text}`);
}

/** One script bound to an engine; evals must be run in script order (they share loaded data). */
export class ScriptSession {
  private readonly envs: Environments;

  constructor(
    readonly script: Script,
    private readonly engine: ConformanceEngine,
    private readonly options: QueryOptions = UPSTREAM_TEST_OPTIONS,
  ) {
    this.envs = new Environments(script);
  }

  /** The eval commands with their index in the script. */
  evals(): { index: number; cmd: EvalCommand }[] {
    const out: { index: number; cmd: EvalCommand }[] = [];
    this.script.commands.forEach((cmd, index) => {
      if (cmd.kind === 'eval') out.push({ index, cmd });
    });
    return out;
  }

  /** Runs the eval command at `index`. Never throws: engine crashes become failures. */
  async run(index: number): Promise<CaseOutcome> {
    const cmd = this.script.commands[index];
    if (cmd?.kind !== 'eval') return failure(`command ${index} is not an eval`);
    const env = this.envs.at(index);
    if (cmd.expected.some((e) => e.values.includes('hist'))) return { status: 'skip', reason: NATIVE_HISTOGRAMS };
    let parsed: ReturnType<ConformanceEngine['parse']>;
    try {
      parsed = this.engine.parse(cmd.expr);
    } catch (e) {
      return crash(e, 'in the parser');
    }
    if (!parsed.ok) {
      // Upstream rejects the whole script when an eval does not parse; a failure text that still
      // satisfies `expect fail` is accepted, anything else is a parser bug.
      if (expectsFailure(cmd) && checkExpectedFailure(cmd, parsed.message) === undefined) return PASS;
      return failure(`parse error: ${parsed.message}`);
    }
    if (touchesHistograms(env, parsed.expr)) return { status: 'skip', reason: NATIVE_HISTOGRAMS };
    try {
      return cmd.isRange ? await this.runRange(cmd, parsed.expr, env.source) : await this.runInstant(cmd, parsed.expr, env.source);
    } catch (e) {
      return crash(e, 'while running the case');
    }
  }

  private async runRange(cmd: EvalCommand, expr: Expr, source: SeriesSource): Promise<CaseOutcome> {
    let res: QueryResult;
    try {
      res = await this.engine.rangeQuery(source, expr, cmd.startMs, cmd.endMs, cmd.stepMs, this.options);
    } catch (e) {
      const text = queryErrorText(e);
      if (text === undefined) return crash(e, 'in range query');
      if (expectsFailure(cmd)) return outcome(checkExpectedFailure(cmd, text));
      return failure(`error evaluating query ${JSON.stringify(cmd.expr)} (line ${cmd.line}): ${text}`);
    }
    if (expectsFailure(cmd)) return failure(`expected error evaluating query ${JSON.stringify(cmd.expr)} (line ${cmd.line}) but got none`);
    const a = checkAnnotations(cmd, cmd.expr, res.annotations);
    if (a !== undefined) return failure(a);
    const c = compareResult(cmd, res.value);
    return c === undefined ? PASS : failure(`error in eval ${cmd.expr} (line ${cmd.line}): ${c}`);
  }

  private async runInstant(cmd: EvalCommand, expr: Expr, source: SeriesSource): Promise<CaseOutcome> {
    const evalTime = cmd.endMs;
    const queries = [{ expr, evalTimeMs: evalTime, label: cmd.expr, rangeCheck: !QUERY_CONTEXT_FUNCS.test(cmd.expr) }];
    for (const q of atModifierCases(expr, evalTime)) {
      const printed = printOrUndefined(this.engine, q.expr);
      // Upstream tests its regex on the printed, pinned query; without a printer, the tree tells.
      const rangeCheck = printed !== undefined ? !QUERY_CONTEXT_FUNCS.test(printed) : !usesStartOrEnd(q.expr) && !QUERY_CONTEXT_FUNCS.test(cmd.expr.replace(/@\s*(start|end)\(\)/g, ''));
      const label = `${printed ?? `${cmd.expr} [every selector @ ${evalTime / 1000}]`} (evaluated at ${q.evalTimeMs / 1000}s)`;
      queries.push({ ...q, label, rangeCheck });
    }
    for (const q of queries) {
      const r = await this.instantOnce(cmd, q.expr, q.evalTimeMs, q.label, q.rangeCheck, source);
      if (r.status !== 'pass') return r;
    }
    return PASS;
  }

  private async instantOnce(cmd: EvalCommand, expr: Expr, t: number, label: string, rangeCheck: boolean, source: SeriesSource): Promise<CaseOutcome> {
    let res: QueryResult;
    try {
      res = await this.engine.instantQuery(source, expr, t, this.options);
    } catch (e) {
      const text = queryErrorText(e);
      if (text === undefined) return crash(e, `in instant query ${label}`);
      if (expectsFailure(cmd)) return outcome(checkExpectedFailure(cmd, text));
      return failure(`error evaluating query ${JSON.stringify(label)} (line ${cmd.line}): ${text}`);
    }
    if (expectsFailure(cmd)) return failure(`expected error evaluating query ${JSON.stringify(label)} (line ${cmd.line}) but got none`);
    const a = checkAnnotations(cmd, label, res.annotations);
    if (a !== undefined) return failure(a);
    const c = compareResult(cmd, res.value);
    if (c !== undefined) return failure(`error in eval ${label} (line ${cmd.line}): ${c}`);
    if (cmd.excludeFromRangeQuery || !rangeCheck) return PASS;

    let range: QueryResult;
    try {
      range = await this.engine.rangeQuery(source, expr, t - 60_000, t + 60_000, 60_000, this.options);
    } catch (e) {
      const text = queryErrorText(e);
      if (text === undefined) return crash(e, `in range mode of ${label}`);
      return failure(`error evaluating query ${JSON.stringify(label)} (line ${cmd.line}) in range mode: ${text}`);
    }
    if (cmd.legacyOrdered || cmd.expects.ordered.length > 0) return PASS;
    const mid = middleStep(range.value, t);
    if (typeof mid === 'string') return failure(`error in eval ${label} (line ${cmd.line}) range mode: ${mid}`);
    let asInstant: QueryValue = mid;
    if (res.value.type === 'scalar') {
      const first = mid.samples[0];
      if (!first) return failure(`error in eval ${label} (line ${cmd.line}) range mode: scalar query gave no point at ${t}`);
      asInstant = { type: 'scalar', t, v: first.v };
    }
    const rc = compareResult(cmd, asInstant);
    return rc === undefined ? PASS : failure(`error in eval ${label} (line ${cmd.line}) range mode: ${rc}`);
  }
}

/** The printed query, or undefined without a printer (or when the printer fails: not our subject here). */
function printOrUndefined(engine: ConformanceEngine, e: Expr): string | undefined {
  try {
    return engine.print?.(e);
  } catch {
    return undefined;
  }
}

function outcome(err: string | undefined): CaseOutcome {
  return err === undefined ? PASS : failure(err);
}

/** The points of a range result at time t, as an instant vector (matrix must be sorted). */
function middleStep(v: QueryValue, t: number): { type: 'vector'; samples: Sample[] } | string {
  if (v.type !== 'matrix') return `range query returned a ${v.type}, not a matrix`;
  const samples: Sample[] = [];
  for (const s of v.series) {
    for (let i = 0; i < s.t.length; i++) {
      if (s.t[i] === t) {
        samples.push({ labels: s.labels, t, v: s.v[i] as number });
        break;
      }
    }
  }
  const unsorted = checkMatrixSorted(v.series);
  if (unsorted !== undefined) return unsorted;
  return { type: 'vector', samples };
}
