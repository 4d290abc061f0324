/**
 * `log_configs` entry: Herald's own integration that writes each notification as one structured
 * log line instead of calling out (audit trails, log-based alerting, trying a route out). No
 * upstream equivalent; no http_config.
 */
import { defineIntegration } from '../../../config/integration-def.js';
import { createLogNotifier } from './notifier.js';

/** Validator and factory for `log_configs` entries. */
export const logConfig = defineIntegration({
  name: 'log',
  create: (config, deps) => createLogNotifier(config, deps),
  sendResolvedDefault: true,
  goType: 'log.plain',
  noHttpConfig: true,
  fields: {
    message: { kind: 'string', default: '{{ template "__subject" . }}' },
  },
});
