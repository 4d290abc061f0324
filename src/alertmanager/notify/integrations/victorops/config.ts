/** `victorops_configs` entry. Mirrors Alertmanager's VictorOpsConfig (config/notifiers.go) and its fill-ins. */
import { atMostOne, defineIntegration, orGlobal, withTrailingSlash } from '../../../config/integration-def.js';
import { scalarText, isEmpty, isPlainObject } from '../../../config/schema.js';
import { createVictoropsNotifier } from './notifier.js';

const RESERVED = ['routing_key', 'message_type', 'state_message', 'entity_display_name', 'monitoring_tool', 'entity_id', 'entity_state'];
const tpl = (n: string): { kind: 'string'; default: string; keep: true } => ({ kind: 'string', default: `{{ template "victorops.default.${n}" . }}`, keep: true });

/** Validator for `victorops_configs` entries. */
export const victoropsConfig = defineIntegration({
  name: 'victorops',
  create: createVictoropsNotifier,
  sendResolvedDefault: true,
  goType: 'config.plain',
  fields: {
    api_key: 'secret',
    api_key_file: 'string',
    api_url: { kind: 'url', keep: true },
    routing_key: { kind: 'string', keep: true },
    message_type: { kind: 'string', default: 'CRITICAL', keep: true },
    state_message: tpl('state_message'),
    entity_display_name: tpl('entity_display_name'),
    monitoring_tool: tpl('monitoring_tool'),
    custom_fields: { map: 'string' },
  },
  check(o, r) {
    if (isEmpty(o['routing_key'])) r.error('missing Routing key in VictorOps config', 'missing_field');
    atMostOne(o, r, 'api_key', 'api_key_file');
    const custom = isPlainObject(o['custom_fields']) ? o['custom_fields'] : {};
    for (const f of RESERVED) {
      if (f in custom) r.error(`victorOps config contains custom field ${f} which cannot be used as it conflicts with the fixed/static fields`, 'invalid_value', ['custom_fields', f]);
    }
  },
  fillIn(o, g, r) {
    orGlobal(o, 'api_url', g, 'victorops_api_url');
    if (o['api_url'] === undefined) r.error('no global VictorOps URL set', 'missing_global');
    else o['api_url'] = withTrailingSlash(scalarText(o['api_url']));
    orGlobal(o, 'api_key', g, 'victorops_api_key');
    orGlobal(o, 'api_key_file', g, 'victorops_api_key_file');
    if (isEmpty(o['api_key']) && isEmpty(o['api_key_file'])) r.error('no global VictorOps API Key set', 'missing_global');
  },
});
