/** `msteams_configs` entry. Mirrors Alertmanager's notify/msteams/config.go. */
import { atMostOne, defineIntegration } from '../../../config/integration-def.js';
import { isEmpty } from '../../../config/schema.js';
import { createMsteamsNotifier } from './notifier.js';

/** Validator for `msteams_configs` entries. */
export const msteamsConfig = defineIntegration({
  name: 'msteams',
  create: createMsteamsNotifier,
  sendResolvedDefault: true,
  goType: 'msteams.plain',
  fields: {
    webhook_url: 'secretUrl',
    webhook_url_file: 'string',
    title: { kind: 'string', default: '{{ template "msteams.default.title" . }}' },
    summary: { kind: 'string', default: '{{ template "msteams.default.summary" . }}' },
    text: { kind: 'string', default: '{{ template "msteams.default.text" . }}' },
  },
  check(o, r) {
    if (o['webhook_url'] === undefined && isEmpty(o['webhook_url_file'])) r.error('one of webhook_url or webhook_url_file must be configured', 'missing_field');
    atMostOne(o, r, 'webhook_url', 'webhook_url_file');
  },
});
