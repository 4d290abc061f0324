/**
 * The conformance cases Herald does not run, each with its reason. Upstream runs these scripts
 * with every experimental parser feature on (promqltest.TestParserOpts: experimental functions,
 * duration expressions, extended range selectors, binop fill modifiers) and with start timestamps
 * stored (NewTestEngine: UseStartTimestamps); the conformance test parses with the same features,
 * so those cases run here too. Skipped are what Herald's store cannot hold (native histograms,
 * start timestamps) and cases a known problem elsewhere breaks (kind `unimplemented`, so
 * PROMQL_CONFORMANCE_ALL=1 still runs them). Cases that touch
 * native histogram data elsewhere are skipped at run time by the runner (a loaded `{{...}}` series
 * matched by a selector, or `{{...}}` in the expected result).
 */
import type { EvalCommand } from './script.js';

/** One skip: a file, a line of it, or every case whose expression matches. */
export interface SkipRule {
  /** File name, e.g. `native_histograms.test`; absent for a rule that applies to every file. */
  readonly file?: string;
  /** 1-based line of one eval command. */
  readonly line?: number;
  /** A case is skipped when its expression matches. */
  readonly expr?: RegExp;
  /**
   * `storage`: Herald cannot hold the data the case needs. `unimplemented`: the engine lacks the
   * feature for now; delete the rule when it lands (PROMQL_CONFORMANCE_ALL=1 runs these anyway).
   */
  readonly kind: 'storage' | 'unimplemented';
  readonly reason: string;
}

/** The skip list used by the conformance test. */
export const SKIPS: readonly SkipRule[] = [
  { kind: 'storage', file: 'native_histograms.test', reason: 'native histograms (Herald stores float samples only)' },
  { kind: 'storage', file: 'start_timestamps.test', reason: 'start timestamps (`@st` series, UseStartTimestamps) are not stored by Herald' },
];

/** The reason a case is skipped, or undefined when it runs. `all` keeps only the storage skips. */
export function skipReason(file: string, cmd: EvalCommand, options: { all?: boolean } = {}, rules: readonly SkipRule[] = SKIPS): string | undefined {
  for (const r of rules) {
    if (options.all === true && r.kind === 'unimplemented') continue;
    if (r.file !== undefined && r.file !== file) continue;
    if (r.line !== undefined && r.line !== cmd.line) continue;
    if (r.expr !== undefined && !r.expr.test(cmd.expr)) continue;
    return r.reason;
  }
  return undefined;
}
