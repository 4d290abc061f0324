/**
 * Expansion of alert label/annotation templates as Prometheus' rules/alerting.go does it: the text
 * behind the `$labels`/`$externalLabels`/`$externalURL`/`$value` definitions, template
 * `__alert_<alertname>`, missingkey=zero, Prometheus' functions (template/template.go), and any
 * failure rendered as `<error expanding template: ...>` instead of thrown.
 *
 * The template engine is synchronous but `query` is not. An expansion therefore runs the template;
 * when `query` meets an expression it has no result for yet, execution stops, the query runs, its
 * result (or error) is cached for this expansion, and the template runs again from the start.
 * Execution is deterministic given the cache, so the final run is exactly Go's single pass.
 */
import type { Labels } from '../../core/labels.js';
import type { Tree } from '../../alertmanager/template/ast.js';
import { DEFAULT_LIMITS, ExecFailure, FuncError, TextOutput, execute } from '../../alertmanager/template/exec.js';
import { GoStruct } from '../../alertmanager/template/values.js';
import type { GoValue } from '../../alertmanager/template/values.js';
import type { RuleSample } from '../api.js';
import { ALERT_TEMPLATE_PREFIX, alertTemplateName, parseAlertText } from './check.js';
import { labelsValue, prometheusFuncs } from './funcs.js';

/** What `.Labels`, `.ExternalLabels`, `.ExternalURL` and `.Value` hold (template.AlertTemplateData). */
export interface AlertTemplateData {
  /** The alert's labels (the result sample's labels). */
  readonly labels: Labels;
  readonly externalLabels: Labels;
  /** `.ExternalURL`; the env's externalURL when absent. */
  readonly externalURL?: string;
  readonly value: number;
}

/** The evaluation an expansion belongs to. */
export interface TemplateEnv {
  /** The rule evaluation time (ms): `now` and the time `query` runs at. */
  readonly evalTimeMs: number;
  /** --web.external-url: `externalURL`, `pathPrefix`. */
  readonly externalURL: string;
  /** Instant query at the evaluation time; a thrown error's message becomes Go's `error calling query: <message>`. */
  query(expr: string): Promise<RuleSample[]>;
}

/** An expansion's outcome: the text, or Go's error text (without the `<error expanding template>` wrapper). */
export type ExpandResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

/** Distinct queries one expansion may run (each new one re-runs the template). */
export const MAX_TEMPLATE_QUERIES = 100;

const DATA_TYPE = 'struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }';

/** Raised inside execution when `query` needs a result that is not cached yet. */
class NeedQuery extends Error {
  constructor(readonly expr: string) {
    super(`query ${expr} not yet run`);
  }
}

type QueryOutcome = { readonly ok: true; readonly samples: readonly RuleSample[] } | { readonly ok: false; readonly error: string };

function dataValue(data: AlertTemplateData, env: TemplateEnv): GoValue {
  return new GoStruct(DATA_TYPE, new Map<string, GoValue>([
    ['Labels', labelsValue(data.labels)],
    ['ExternalLabels', labelsValue(data.externalLabels)],
    ['ExternalURL', data.externalURL ?? env.externalURL],
    ['Value', data.value],
  ]));
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Expands `text` for the alerting rule `alertname`; resolves to the text or Go's error
 * (`error parsing template __alert_X: ...`, `error executing template __alert_X: ...`). Never rejects.
 */
export async function tryExpandAlertTemplate(
  alertname: string,
  text: string,
  data: AlertTemplateData,
  env: TemplateEnv,
): Promise<ExpandResult> {
  return expandText(alertTemplateName(alertname), ALERT_TEMPLATE_PREFIX + text, dataValue(data, env), env);
}

/** Template.Expand of `text` named `name` with any dot (the alert forms above, and tests). Never rejects. */
export async function expandText(name: string, text: string, dot: GoValue, env: TemplateEnv): Promise<ExpandResult> {
  const parsed = parseAlertText(name, text);
  if (typeof parsed === 'string') return { ok: false, error: `error parsing template ${name}: ${parsed}` };
  const root = parsed.get(name) as Tree;
  const results = new Map<string, QueryOutcome>();
  const funcs = prometheusFuncs({
    evalTimeMs: env.evalTimeMs,
    externalURL: env.externalURL,
    query(expr) {
      const hit = results.get(expr);
      if (hit === undefined) {
        if (results.size >= MAX_TEMPLATE_QUERIES) {
          throw new FuncError(`too many distinct queries in one template expansion (limit ${MAX_TEMPLATE_QUERIES})`);
        }
        throw new NeedQuery(expr);
      }
      if (!hit.ok) throw new FuncError(hit.error);
      return hit.samples;
    },
  });
  for (;;) {
    const out = new TextOutput();
    try {
      execute({ trees: parsed, funcs, out, limits: DEFAULT_LIMITS, steps: 0 }, root, dot);
      return { ok: true, text: out.toString() };
    } catch (e) {
      if (!(e instanceof NeedQuery)) return { ok: false, error: executionError(name, e) };
      results.set(e.expr, await runQuery(env, e.expr));
    }
  }
}

async function runQuery(env: TemplateEnv, expr: string): Promise<QueryOutcome> {
  try {
    return { ok: true, samples: await env.query(expr) };
  } catch (e) {
    return { ok: false, error: errorText(e) };
  }
}

function executionError(name: string, e: unknown): string {
  if (e instanceof ExecFailure) return `error executing template ${name}: ${e.message}`;
  if (e instanceof RangeError) {
    return `error executing template ${name}: template: ${name}: exceeded maximum template depth (${DEFAULT_LIMITS.maxDepth})`;
  }
  // An engine bug surfaces as Go reports a recovered panic, never as a crash.
  return `panic expanding template ${name}: ${errorText(e)}`;
}

/**
 * Expands `text` for the alerting rule `alertname` as Prometheus does: the result, or
 * `<error expanding template: <Go error>>` on any failure. Never rejects.
 */
export async function expandAlertTemplate(
  alertname: string,
  text: string,
  data: AlertTemplateData,
  env: TemplateEnv,
): Promise<string> {
  const r = await tryExpandAlertTemplate(alertname, text, data, env);
  return r.ok ? r.text : `<error expanding template: ${r.error}>`;
}
