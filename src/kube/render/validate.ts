/**
 * Checks one AlertmanagerConfig object alone: its spec (./decode-spec.ts), then what it renders
 * to, loaded by Herald's own Alertmanager config loader in a small configuration of its own, so
 * every integration, duration and matcher is checked exactly as the tenant's full configuration
 * will be. This is what the admission webhook runs (pkg/admission/admission.go upstream runs only
 * the semantic validation) and what the renderer runs per object before adding it.
 */
import { loadConfig, loadConfigValue } from '../../alertmanager/config/index.js';
import { formatPath } from '../../core/result.js';
import type { Issue } from '../../core/result.js';
import type { AlertmanagerConfigObject } from '../api.js';
import { decodeObject } from './decode-spec.js';
import type { Fragment } from './decode-spec.js';
import { PLACEHOLDER_SECRET, placeholderSecrets } from './secrets.js';

/** A receiver name no object can produce (object receivers always contain two `/`). */
const VALIDATION_RECEIVER = 'herald-kube-validation';

/**
 * At admission time the tenant's `global` section is unknown, so every value an integration may
 * take from it is assumed present; the renderer checks again against the real one.
 */
const ADMISSION_GLOBAL: Readonly<Record<string, string>> = {
  smtp_from: 'alertmanager@example.invalid',
  smtp_smarthost: 'smtp.example.invalid:25',
  slack_api_url: PLACEHOLDER_SECRET,
  opsgenie_api_key: 'placeholder',
  wechat_api_secret: 'placeholder',
  wechat_api_corp_id: 'placeholder',
  victorops_api_key: 'placeholder',
  telegram_bot_token: 'placeholder',
  jira_api_url: PLACEHOLDER_SECRET,
};

export type ValidationResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Issues as one line for a status message or an admission response. */
export function issuesReason(issues: readonly Issue[], max = 10): string {
  const lines = issues.slice(0, max).map((it) => (it.path && it.path.length > 0 ? `${formatPath(it.path)}: ${it.message}` : it.message));
  if (issues.length > max) lines.push(`and ${issues.length - max} more problems`);
  return lines.join('; ');
}

/** Maps a path in the check configuration back to the object (`spec.receivers[0].slack_configs[0]...`). */
function objectPath(path: readonly (string | number)[], intervalsKey: string): (string | number)[] {
  const [head, ...rest] = path;
  switch (head) {
    case 'receivers':
      return ['spec', 'receivers', ...rest];
    case 'route':
      // route.routes[0] is the object's top route.
      return ['spec', 'route', ...rest.slice(2)];
    case 'inhibit_rules':
      return ['spec', 'inhibitRules', ...rest];
    case 'time_intervals':
      return ['spec', intervalsKey, ...rest];
    default:
      return [...path];
  }
}

/** Whether JSON text of `v` reads back as `v`: no undefined, no non-finite number or -0 (JSON writes them as null or 0). */
function sameAsJson(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (typeof v !== 'object' || v === null) return v !== undefined;
  const items: unknown[] = Array.isArray(v) ? v : Object.values(v);
  for (const x of items) if (!sameAsJson(x)) return false;
  return true;
}

/**
 * Loads a fragment (secrets already resolved or replaced) with Herald's loader; `global` is the
 * tenant's `global` section, which integrations fill in from (slack_api_url, smtp_*...).
 */
export function checkFragment(fragment: Fragment, global: unknown, beta: boolean): Issue[] {
  const doc: Record<string, unknown> = {
    route: { receiver: VALIDATION_RECEIVER, routes: fragment.route ? [fragment.route] : [] },
    receivers: [...fragment.receivers, { name: VALIDATION_RECEIVER }],
    inhibit_rules: fragment.inhibitRules,
    time_intervals: fragment.timeIntervals,
  };
  if (global !== undefined && global !== null) doc['global'] = global;
  // As data first (a reconcile checks every object of a tenant whose whole did not load); the
  // text, for the issues exactly as it gives them, only when that finds a problem.
  if (sameAsJson(doc) && loadConfigValue(doc).ok) return [];
  const res = loadConfig(JSON.stringify(doc));
  if (res.ok) return [];
  const intervalsKey = beta ? 'timeIntervals' : 'muteTimeIntervals';
  return res.issues.map((it) => {
    const { range: _range, span: _span, ...rest } = it;
    return it.path ? { ...rest, path: objectPath(it.path, intervalsKey) } : rest;
  });
}

/** Validates one object without cluster access (secrets are not read). */
export function validateAlertmanagerConfigObject(obj: unknown): ValidationResult {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return { ok: false, reason: 'the object must be a JSON object' };
  const kind: unknown = (obj as { kind?: unknown }).kind;
  if (kind !== 'AlertmanagerConfig') return { ok: false, reason: `kind: expected AlertmanagerConfig, got ${JSON.stringify(kind ?? null)}` };
  const o = obj as AlertmanagerConfigObject;
  const decoded = decodeObject(o);
  if (!decoded.ok) return { ok: false, reason: issuesReason(decoded.issues) };
  const issues = checkFragment(placeholderSecrets(decoded.value), ADMISSION_GLOBAL, o.apiVersion === 'monitoring.coreos.com/v1beta1');
  return issues.length > 0 ? { ok: false, reason: issuesReason(issues) } : { ok: true };
}
