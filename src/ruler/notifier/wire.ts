/**
 * The body Prometheus POSTs to Alertmanager's /api/v2/alerts: a JSON array of PostableAlert, as
 * Go's json.Marshal writes the go-swagger model (prometheus notifier/util.go alertsToOpenAPIAlerts,
 * alertmanager api/v2/models/postable_alert.go). Field order is the model's: annotations (left
 * out when empty), endsAt, startsAt, generatorURL (left out when empty), labels; map keys sorted
 * byte-wise; HTML-safe string escaping; times as strfmt.DateTime (RFC 3339, milliseconds, UTC).
 * Each alert is encoded once and the text reused for every Alertmanager it goes to.
 */
import { formatTime } from '../../core/alert.js';
import { GoMap, goJsonEncode, goJsonString } from '../../core/go-json.js';
import type { Labels } from '../../core/labels.js';
import type { OutgoingAlert } from '../api.js';

/** One PostableAlert as JSON text (no trailing newline). */
export function encodePostableAlert(a: OutgoingAlert): string {
  let out = '{';
  if (Object.keys(a.annotations).length > 0) out += `"annotations":${encodeLabelSet(a.annotations)},`;
  out += `"endsAt":"${formatTime(a.endsAt)}","startsAt":"${formatTime(a.startsAt)}",`;
  if (a.generatorURL !== '') out += `"generatorURL":${goJsonString(a.generatorURL)},`;
  return `${out}"labels":${encodeLabelSet(a.labels)}}`;
}

/** The request body for a batch of already encoded alerts. */
export function encodeBatch(encoded: readonly string[]): string {
  return `[${encoded.join(',')}]`;
}

function encodeLabelSet(l: Labels): string {
  // goJsonEncode ends with the Encoder's newline; json.Marshal has none.
  return goJsonEncode(new GoMap(l)).slice(0, -1);
}
