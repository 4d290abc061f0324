/** `pagerduty_configs` entry. Mirrors Alertmanager's notify/pagerduty/config.go. */
import { atMostOne, defineIntegration, orGlobal } from '../../../config/integration-def.js';
import { isEmpty, isPlainObject } from '../../../config/schema.js';
import { createPagerdutyNotifier } from './notifier.js';

/** DefaultPagerdutyDetails: added for every key the user did not set. */
export const DEFAULT_PAGERDUTY_DETAILS: Readonly<Record<string, string>> = {
  firing: '{{ .Alerts.Firing | toJson }}',
  resolved: '{{ .Alerts.Resolved | toJson }}',
  num_firing: '{{ .Alerts.Firing | len }}',
  num_resolved: '{{ .Alerts.Resolved | len }}',
};

/** Validator for `pagerduty_configs` entries. */
export const pagerdutyConfig = defineIntegration({
  name: 'pagerduty',
  create: createPagerdutyNotifier,
  sendResolvedDefault: true,
  goType: 'pagerduty.plain',
  fields: {
    service_key: 'secret',
    service_key_file: 'string',
    routing_key: 'secret',
    routing_key_file: 'string',
    url: 'url',
    client: { kind: 'string', default: '{{ template "pagerduty.default.client" . }}' },
    client_url: { kind: 'string', default: '{{ template "pagerduty.default.clientURL" . }}' },
    description: { kind: 'string', default: '{{ template "pagerduty.default.description" .}}' },
    details: { map: 'any' },
    images: { list: { type: 'pagerduty.PagerdutyImage', fields: { src: 'string', alt: 'string', href: 'string' } } },
    links: { list: { type: 'pagerduty.PagerdutyLink', fields: { href: 'string', text: 'string' } } },
    source: 'string',
    severity: 'string',
    class: 'string',
    component: 'string',
    group: 'string',
    timeout: { kind: 'goDuration', default: 0, keep: true },
  },
  check(o, r) {
    if (['routing_key', 'service_key', 'routing_key_file', 'service_key_file'].every((k) => isEmpty(o[k]))) {
      r.error('missing service or routing key in PagerDuty config', 'missing_field');
    }
    atMostOne(o, r, 'routing_key', 'routing_key_file');
    atMostOne(o, r, 'service_key', 'service_key_file');
    const details = isPlainObject(o['details']) ? o['details'] : {};
    for (const [k, v] of Object.entries(DEFAULT_PAGERDUTY_DETAILS)) if (!(k in details)) details[k] = v;
    o['details'] = details;
    if (isEmpty(o['source'])) o['source'] = o['client'];
  },
  fillIn(o, g, r) {
    orGlobal(o, 'url', g, 'pagerduty_url');
    if (o['url'] === undefined) r.error('no global PagerDuty URL set', 'missing_global');
  },
});
