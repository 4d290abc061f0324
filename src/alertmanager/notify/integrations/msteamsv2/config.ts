/** `msteamsv2_configs` entry. Mirrors Alertmanager's notify/msteamsv2/config.go. */
import { atMostOne, defineIntegration } from '../../../config/integration-def.js';
import { isEmpty, isPlainObject } from '../../../config/schema.js';
import { createMsteamsv2Notifier } from './notifier.js';

/** Validator for `msteamsv2_configs` entries. */
export const msteamsv2Config = defineIntegration({
  name: 'msteamsv2',
  create: createMsteamsv2Notifier,
  sendResolvedDefault: true,
  goType: 'msteamsv2.plain',
  inheritHttpConfig: false,
  fields: {
    webhook_url: 'secretUrl',
    webhook_url_file: 'string',
    title: { kind: 'string', default: '{{ template "msteamsv2.default.title" . }}' },
    text: { kind: 'string', default: '{{ template "msteamsv2.default.text" . }}' },
  },
  check(o, r) {
    if (o['webhook_url'] === undefined && isEmpty(o['webhook_url_file'])) r.error('one of webhook_url or webhook_url_file must be configured', 'missing_field');
    atMostOne(o, r, 'webhook_url', 'webhook_url_file');
  },
  fillIn(o, g) {
    const global = g['http_config'];
    const own = o['http_config'];
    // Alertmanager copies the global http_config, or only its proxy_url into a partial local one.
    if (own === undefined) {
      if (global !== undefined) o['http_config'] = structuredClone(global);
    } else if (isPlainObject(own) && own['proxy_url'] === undefined && isPlainObject(global) && global['proxy_url'] !== undefined) {
      own['proxy_url'] = global['proxy_url'];
    }
  },
});
