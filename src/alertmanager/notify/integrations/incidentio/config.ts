/** `incidentio_configs` entry. Mirrors Alertmanager's notify/incidentio/config.go. */
import { atMostOne, defineIntegration } from '../../../config/integration-def.js';
import { isEmpty, isPlainObject } from '../../../config/schema.js';
import { createIncidentioNotifier } from './notifier.js';

/** Validator for `incidentio_configs` entries. */
export const incidentioConfig = defineIntegration({
  name: 'incidentio',
  create: createIncidentioNotifier,
  sendResolvedDefault: true,
  goType: 'incidentio.plain',
  fields: {
    url: { kind: 'url', keep: true },
    url_file: { kind: 'string', keep: true },
    alert_source_token: 'secret',
    alert_source_token_file: 'string',
    max_alerts: { kind: 'uint', default: 0, keep: true },
    timeout: { kind: 'goDuration', default: 0, keep: true },
  },
  check(o, r) {
    if (o['url'] === undefined && isEmpty(o['url_file'])) r.error('one of url or url_file must be configured', 'missing_field');
    atMostOne(o, r, 'url', 'url_file');
    atMostOne(o, r, 'alert_source_token', 'alert_source_token_file');
    const hc = o['http_config'];
    const hasToken = !isEmpty(o['alert_source_token']) || !isEmpty(o['alert_source_token_file']);
    if (isPlainObject(hc)) {
      if (hc['authorization'] !== undefined && hasToken) r.error('cannot specify alert_source_token or alert_source_token_file when using http_config.authorization', 'conflicting_fields');
      if (hc['authorization'] === undefined && !hasToken) r.error('at least one of alert_source_token, alert_source_token_file or http_config.authorization must be configured', 'missing_field');
    }
  },
});
