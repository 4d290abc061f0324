/** `webex_configs` entry. Mirrors Alertmanager's WebexConfig (config/notifiers.go). */
import { defineIntegration, orGlobal } from '../../../config/integration-def.js';
import { isEmpty, isPlainObject } from '../../../config/schema.js';
import { createWebexNotifier } from './notifier.js';

/** Validator for `webex_configs` entries. */
export const webexConfig = defineIntegration({
  name: 'webex',
  create: createWebexNotifier,
  sendResolvedDefault: true,
  goType: 'config.plain',
  fields: {
    api_url: 'url',
    message: { kind: 'string', default: '{{ template "webex.default.message" . }}' },
    room_id: { kind: 'string', keep: true },
  },
  check(o, r) {
    if (isEmpty(o['room_id'])) r.error('missing room_id on webex_config', 'missing_field');
    const hc = o['http_config'];
    if (!isPlainObject(hc) || hc['authorization'] === undefined) r.error('missing webex_configs.http_config.authorization', 'missing_field');
  },
  fillIn(o, g, r) {
    orGlobal(o, 'api_url', g, 'webex_api_url');
    if (o['api_url'] === undefined) r.error('no global Webex URL set', 'missing_global');
  },
});
