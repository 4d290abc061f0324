/**
 * The data an eval command sees: the series of every `load` since the last `clear` (test.go
 * loadCmd.append into a fresh storage per clear), in a MemorySeriesSource. Native histogram
 * samples cannot be stored; their series are remembered so the runner can skip cases reading them.
 */
import type { Labels } from '../../core/labels.js';
import { matchesAll } from '../../core/matcher.js';
import type { Expr, VectorSelector } from '../ast.js';
import { MemorySeriesSource } from '../memory-source.js';
import { labelKey } from './compare.js';
import type { Command, LoadCommand, Script } from './script.js';

/** What an eval command reads. */
export interface Environment {
  readonly source: MemorySeriesSource;
  /** Label sets of series holding native histogram samples, which Herald cannot load. */
  readonly histogramSeries: readonly Labels[];
}

/** Classic histogram series become native ones with custom buckets under `load_with_nhcb`. */
function nhcbLabels(labels: Labels): Labels | undefined {
  const name = labels['__name__'] ?? '';
  const m = /^(.*)_(bucket|count|sum)$/.exec(name);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (k !== 'le') out[k] = v;
  out['__name__'] = m[1] as string;
  return out;
}

function load(env: { source: MemorySeriesSource; histogramSeries: Labels[] }, cmd: LoadCommand): void {
  // Within one load a series written twice keeps its last line only (loadCmd.set replaces).
  const last = new Map<string, LoadCommand['series'][number]>();
  for (const s of cmd.series) last.set(labelKey(s.labels), s);
  for (const s of last.values()) {
    let hist = false;
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      if (v === 'hist') hist = true;
      else if (v === 'stale') env.source.addStale(s.labels, i * cmd.intervalMs);
      else if (typeof v === 'number') env.source.add(s.labels, i * cmd.intervalMs, v);
    }
    if (hist) env.histogramSeries.push(s.labels);
    const nhcb = cmd.withNhcb ? nhcbLabels(s.labels) : undefined;
    if (nhcb) env.histogramSeries.push(nhcb);
  }
}

function selectors(e: Expr, out: VectorSelector[]): VectorSelector[] {
  switch (e.kind) {
    case 'VectorSelector':
      out.push(e);
      break;
    case 'MatrixSelector':
      out.push(e.vectorSelector);
      break;
    case 'Call':
      for (const a of e.args) selectors(a, out);
      break;
    case 'AggregateExpr':
      selectors(e.expr, out);
      if (e.param) selectors(e.param, out);
      break;
    case 'BinaryExpr':
      selectors(e.lhs, out);
      selectors(e.rhs, out);
      break;
    case 'SubqueryExpr':
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      selectors(e.expr, out);
      break;
    case 'NumberLiteral':
    case 'StringLiteral':
      break;
  }
  return out;
}

/** True when a selector of `expr` matches a series that held native histogram samples. */
export function touchesHistograms(env: Environment, expr: Expr): boolean {
  if (env.histogramSeries.length === 0) return false;
  return selectors(expr, []).some((s) => env.histogramSeries.some((l) => matchesAll(s.matchers, l)));
}

/** Builds (and caches, for consecutive evals) the environment of each command of a script. */
export class Environments {
  private envAt = -1;
  private env: Environment | undefined;

  constructor(private readonly script: Script) {}

  /** The data loaded when command `index` runs: loads since the last `clear` before it. */
  at(index: number): Environment {
    const cmds = this.script.commands;
    let last = -1;
    for (let i = index - 1; i >= 0; i--) {
      const k = (cmds[i] as Command).kind;
      if (k === 'load' || k === 'clear') {
        last = i;
        break;
      }
    }
    if (this.env && this.envAt === last) return this.env;
    let first = 0;
    for (let i = last; i >= 0; i--) {
      if ((cmds[i] as Command).kind === 'clear') {
        first = i + 1;
        break;
      }
    }
    const env = { source: new MemorySeriesSource(), histogramSeries: [] as Labels[] };
    for (let i = first; i <= last; i++) {
      const c = cmds[i] as Command;
      if (c.kind === 'load') load(env, c);
    }
    this.env = env;
    this.envAt = last;
    return env;
  }
}
