/** `webhook_configs` entry. Mirrors Alertmanager's notify/webhook/config.go. */
import { defineIntegration } from '../../../config/integration-def.js';
import type { IntegrationSpec } from '../../../config/integration-def.js';
import { isEmpty } from '../../../config/schema.js';

/** The webhook spec without a notifier factory (the registry adds it). */
export const WEBHOOK_SPEC: IntegrationSpec = {
  name: 'webhook',
  sendResolvedDefault: true,
  goType: 'webhook.plain',
  fields: {
    url: 'secretTemplateUrl',
    url_file: { kind: 'string', keep: true },
    max_alerts: { kind: 'uint', default: 0, keep: true },
    timeout: { kind: 'goDuration', default: 0, keep: true },
    payload: 'any',
  },
  check(o, r) {
    if (isEmpty(o['url']) && isEmpty(o['url_file'])) r.error('one of url or url_file must be configured', 'missing_field');
    if (!isEmpty(o['url']) && !isEmpty(o['url_file'])) r.error('at most one of url & url_file must be configured', 'conflicting_fields', ['url_file']);
  },
};

/** Validator for `webhook_configs` entries. */
export const webhookConfig = defineIntegration(WEBHOOK_SPEC);
