/** `pushover_configs` entry. Mirrors Alertmanager's PushoverConfig (config/notifiers.go). */
import { atMostOne, defineIntegration } from '../../../config/integration-def.js';
import { isEmpty } from '../../../config/schema.js';
import { createPushoverNotifier } from './notifier.js';

const tpl = (n: string): { kind: 'string'; default: string } => ({ kind: 'string', default: `{{ template "pushover.default.${n}" . }}` });

/** Validator for `pushover_configs` entries. */
export const pushoverConfig = defineIntegration({
  name: 'pushover',
  create: createPushoverNotifier,
  sendResolvedDefault: true,
  goType: 'config.plain',
  fields: {
    user_key: 'secret',
    user_key_file: 'string',
    token: 'secret',
    token_file: 'string',
    title: tpl('title'),
    message: tpl('message'),
    url: tpl('url'),
    url_title: 'string',
    device: 'string',
    sound: 'string',
    priority: { kind: 'string', default: '{{ if eq .Status "firing" }}2{{ else }}0{{ end }}' },
    retry: { kind: 'goDuration', default: 60_000 },
    expire: { kind: 'goDuration', default: 3_600_000 },
    ttl: 'goDuration',
    html: 'bool',
    monospace: 'bool',
  },
  check(o, r) {
    if (isEmpty(o['user_key']) && isEmpty(o['user_key_file'])) r.error('one of user_key or user_key_file must be configured', 'missing_field');
    atMostOne(o, r, 'user_key', 'user_key_file');
    if (isEmpty(o['token']) && isEmpty(o['token_file'])) r.error('one of token or token_file must be configured', 'missing_field');
    atMostOne(o, r, 'token', 'token_file');
    if (o['html'] === true && o['monospace'] === true) r.error('at most one of monospace & html must be configured', 'conflicting_fields');
  },
});
