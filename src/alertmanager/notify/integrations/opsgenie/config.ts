/** `opsgenie_configs` entry. Mirrors Alertmanager's notify/opsgenie/config.go and its global fill-ins. */
import { atMostOne, defineIntegration, orGlobal, withTrailingSlash } from '../../../config/integration-def.js';
import { scalarText, isEmpty, isPlainObject } from '../../../config/schema.js';
import { createOpsgenieNotifier } from './notifier.js';

const RESPONDER_TYPES = /^(team|teams|user|escalation|schedule)$/;

/** Validator for `opsgenie_configs` entries. */
export const opsgenieConfig = defineIntegration({
  name: 'opsgenie',
  create: createOpsgenieNotifier,
  sendResolvedDefault: true,
  goType: 'opsgenie.plain',
  fields: {
    api_key: 'secret',
    api_key_file: 'string',
    api_url: 'url',
    message: { kind: 'string', default: '{{ template "opsgenie.default.message" . }}' },
    description: { kind: 'string', default: '{{ template "opsgenie.default.description" . }}' },
    source: { kind: 'string', default: '{{ template "opsgenie.default.source" . }}' },
    details: { map: 'string' },
    entity: 'string',
    responders: { list: { type: 'opsgenie.OpsGenieConfigResponder', fields: { id: 'string', name: 'string', username: 'string', type: 'string' } } },
    actions: 'string',
    tags: 'string',
    note: 'string',
    priority: 'string',
    update_alerts: 'bool',
  },
  check(o, r) {
    atMostOne(o, r, 'api_key', 'api_key_file');
    const responders = Array.isArray(o['responders']) ? o['responders'] : [];
    responders.forEach((resp: unknown, i) => {
      if (!isPlainObject(resp)) return;
      const s = (k: string): string => (typeof resp[k] === 'string' ? resp[k] : '');
      const shown = `{${s('id')} ${s('name')} ${s('username')} ${s('type')}}`;
      if (s('id') === '' && s('username') === '' && s('name') === '') {
        r.error(`opsGenieConfig responder ${shown} has to have at least one of id, username or name specified`, 'invalid_value', ['responders', i]);
      }
      if (!s('type').includes('{{')) {
        resp['type'] = s('type').toLowerCase();
        if (!RESPONDER_TYPES.test(s('type'))) {
          r.error(`opsGenieConfig responder ${shown} type does not match valid options ^(team|teams|user|escalation|schedule)$`, 'invalid_value', ['responders', i, 'type']);
        }
      }
    });
  },
  fillIn(o, g, r) {
    orGlobal(o, 'api_url', g, 'opsgenie_api_url');
    if (o['api_url'] === undefined) r.error('no global OpsGenie URL set', 'missing_global');
    else o['api_url'] = withTrailingSlash(scalarText(o['api_url']));
    orGlobal(o, 'api_key', g, 'opsgenie_api_key');
    orGlobal(o, 'api_key_file', g, 'opsgenie_api_key_file');
    if (isEmpty(o['api_key']) && isEmpty(o['api_key_file'])) r.error('no global OpsGenie API Key set either inline or in a file', 'missing_global');
  },
});
