/** `rocketchat_configs` entry. Mirrors Alertmanager's RocketchatConfig (config/notifiers.go) and its fill-ins. */
import { defineIntegration, orGlobal } from '../../../config/integration-def.js';
import { isEmpty } from '../../../config/schema.js';
import { createRocketchatNotifier } from './notifier.js';

const tpl = (n: string): { kind: 'string'; default: string } => ({ kind: 'string', default: `{{ template "rocketchat.default.${n}" . }}` });

/** Validator for `rocketchat_configs` entries. */
export const rocketchatConfig = defineIntegration({
  name: 'rocketchat',
  create: createRocketchatNotifier,
  sendResolvedDefault: false,
  goType: 'config.plain',
  fields: {
    api_url: 'url',
    token_id: 'secret',
    token_id_file: 'string',
    token: 'secret',
    token_file: 'string',
    channel: 'string',
    color: { kind: 'string', default: '{{ if eq .Status "firing" }}red{{ else }}green{{ end }}' },
    title: tpl('title'),
    title_link: tpl('titlelink'),
    text: tpl('text'),
    // The attachment structs carry only JSON tags upstream, so yaml.v2 uses the lower-cased Go names.
    fields: { list: { type: 'config.RocketchatAttachmentField', fields: { short: 'bool', title: 'string', value: 'string' } } },
    short_fields: { kind: 'bool', default: false, keep: true },
    emoji: tpl('emoji'),
    icon_url: tpl('iconurl'),
    image_url: 'string',
    thumb_url: 'string',
    link_names: { kind: 'bool', default: false, keep: true },
    actions: {
      list: {
        type: 'config.RocketchatAttachmentAction',
        fields: { type: 'string', text: 'string', url: 'string', imageurl: 'string', iswebview: 'bool', webviewheightratio: 'string', msg: 'string', msginchatwindow: 'bool', msgprocessingtype: 'string' },
      },
    },
  },
  check(o, r) {
    // token and token_id are pointers upstream: present-but-empty still conflicts with the file.
    if (o['token'] !== undefined && !isEmpty(o['token_file'])) r.error('at most one of token & token_file must be configured', 'conflicting_fields', ['token_file']);
    if (o['token_id'] !== undefined && !isEmpty(o['token_id_file'])) r.error('at most one of token_id & token_id_file must be configured', 'conflicting_fields', ['token_id_file']);
  },
  fillIn(o, g, r) {
    orGlobal(o, 'api_url', g, 'rocketchat_api_url');
    if (o['token_id'] === undefined && g['rocketchat_token_id'] !== undefined) o['token_id'] = g['rocketchat_token_id'];
    orGlobal(o, 'token_id_file', g, 'rocketchat_token_id_file');
    if (o['token_id'] === undefined && isEmpty(o['token_id_file'])) r.error('no global Rocketchat TokenID set either inline or in a file', 'missing_global');
    if (o['token'] === undefined && g['rocketchat_token'] !== undefined) o['token'] = g['rocketchat_token'];
    orGlobal(o, 'token_file', g, 'rocketchat_token_file');
    if (o['token'] === undefined && isEmpty(o['token_file'])) r.error('no global Rocketchat Token set either inline or in a file', 'missing_global');
  },
});
