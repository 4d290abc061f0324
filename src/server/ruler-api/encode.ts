/**
 * JSON of Prometheus' /api/v1/rules and /api/v1/alerts, byte for byte as web/api/v1/api.go writes
 * it: the RuleGroup, AlertingRule, RecordingRule and Alert structs with their field order and
 * `omitempty` tags (lastError, keepFiringSince, groupNextToken), alert values as
 * strconv.FormatFloat(v, 'e', -1, 64), times as Go's time.Time JSON (RFC 3339, nanosecond
 * precision, zero time `0001-01-01T00:00:00Z`), durations and evaluation times as float seconds.
 */
import { goJsonString, goTimeJson } from '../../core/go-json.js';
import type { AlertingRuleView, AlertView, GroupView, RecordingRuleView } from '../../ruler/api.js';
import { encodeLabels } from '../prometheus-api/json.js';

/** strconv.FormatFloat(v, 'e', -1, 64): shortest mantissa, exponent signed with at least two digits (`1e+00`). */
export function formatFloatE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const [mant = '0', exp = '0'] = Math.abs(v).toExponential().split('e');
  const e = Number(exp);
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  return `${sign}${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** A float64 as Go's encoding/json writes it (same thresholds and exponent form as JS for finite values). */
function jsonFloat(v: number): string {
  if (!Number.isFinite(v)) return '0'; // Go would fail the whole response; views never hold these.
  return Object.is(v, -0) ? '-0' : String(v);
}

/** One alert (api.go Alert); keepFiringSince only when set. */
export function encodeAlert(a: AlertView): string {
  let out = `{"labels":${encodeLabels(a.labels)},"annotations":${encodeLabels(a.annotations)},"state":${goJsonString(a.state)},"activeAt":"${goTimeJson(a.activeAt)}"`;
  if (a.keepFiringSince !== 0) out += `,"keepFiringSince":"${goTimeJson(a.keepFiringSince)}"`;
  return `${out},"value":"${formatFloatE(a.value)}"}`;
}

/** The alerts Prometheus lists: ActiveAlerts(), i.e. those not resolved. */
export function activeAlerts(rule: AlertingRuleView): AlertView[] {
  return rule.alerts.filter((a) => a.resolvedAt === 0);
}

function lastErrorField(e: string): string {
  return e === '' ? '' : `,"lastError":${goJsonString(e)}`;
}

/** AlertingRule; `alerts` is `null` when excluded (a nil slice), `[]` when there are none. */
export function encodeAlertingRule(r: AlertingRuleView, excludeAlerts: boolean): string {
  const alerts = excludeAlerts ? 'null' : `[${activeAlerts(r).map(encodeAlert).join(',')}]`;
  return (
    `{"state":${goJsonString(r.state)},"name":${goJsonString(r.name)},"query":${goJsonString(r.query)}` +
    `,"duration":${jsonFloat(r.durationSeconds)},"keepFiringFor":${jsonFloat(r.keepFiringForSeconds)}` +
    `,"labels":${encodeLabels(r.labels)},"annotations":${encodeLabels(r.annotations)},"alerts":${alerts}` +
    `,"health":${goJsonString(r.health)}${lastErrorField(r.lastError)}` +
    `,"evaluationTime":${jsonFloat(r.evaluationTime)},"lastEvaluation":"${goTimeJson(r.lastEvaluation)}","type":"alerting"}`
  );
}

export function encodeRecordingRule(r: RecordingRuleView): string {
  return (
    `{"name":${goJsonString(r.name)},"query":${goJsonString(r.query)},"labels":${encodeLabels(r.labels)}` +
    `,"health":${goJsonString(r.health)}${lastErrorField(r.lastError)}` +
    `,"evaluationTime":${jsonFloat(r.evaluationTime)},"lastEvaluation":"${goTimeJson(r.lastEvaluation)}","type":"recording"}`
  );
}

/** RuleGroup with its already encoded rules. */
export function encodeGroup(g: GroupView, rulesJson: readonly string[]): string {
  return (
    `{"name":${goJsonString(g.name)},"file":${goJsonString(g.file)},"rules":[${rulesJson.join(',')}]` +
    `,"interval":${jsonFloat(g.intervalSeconds)},"limit":${g.limit}` +
    `,"evaluationTime":${jsonFloat(g.evaluationTime)},"lastEvaluation":"${goTimeJson(g.lastEvaluation)}"}`
  );
}

/** RuleDiscovery: `{"groups":[...]}` plus groupNextToken when there is a next page. */
export function encodeRuleDiscovery(groupsJson: readonly string[], nextToken: string): string {
  const token = nextToken === '' ? '' : `,"groupNextToken":${goJsonString(nextToken)}`;
  return `{"groups":[${groupsJson.join(',')}]${token}}`;
}

/** AlertDiscovery: `{"alerts":[...]}`. */
export function encodeAlertDiscovery(alertsJson: readonly string[]): string {
  return `{"alerts":[${alertsJson.join(',')}]}`;
}
