/** `wechat_configs` entry. Mirrors Alertmanager's WechatConfig (config/notifiers.go) and its fill-ins. */
import { atMostOne, defineIntegration, orGlobal, withTrailingSlash } from '../../../config/integration-def.js';
import { scalarText, isEmpty } from '../../../config/schema.js';
import { createWechatNotifier } from './notifier.js';

const tpl = (n: string): { kind: 'string'; default: string } => ({ kind: 'string', default: `{{ template "wechat.default.${n}" . }}` });

/** Validator for `wechat_configs` entries. */
export const wechatConfig = defineIntegration({
  name: 'wechat',
  create: createWechatNotifier,
  sendResolvedDefault: false,
  goType: 'config.plain',
  fields: {
    api_secret: 'secret',
    api_secret_file: 'string',
    corp_id: 'string',
    message: tpl('message'),
    api_url: 'url',
    to_user: tpl('to_user'),
    to_party: tpl('to_party'),
    to_tag: tpl('to_tag'),
    agent_id: tpl('agent_id'),
    message_type: { kind: 'string', default: 'text' },
  },
  check(o, r) {
    if (isEmpty(o['message_type'])) o['message_type'] = 'text';
    const mt = scalarText(o['message_type']);
    if (!/^(text|markdown)$/.test(mt)) r.error(`weChat message type ${JSON.stringify(mt)} does not match valid options ^(text|markdown)$`, 'invalid_value', ['message_type']);
    atMostOne(o, r, 'api_secret', 'api_secret_file');
  },
  fillIn(o, g, r) {
    orGlobal(o, 'api_url', g, 'wechat_api_url');
    if (o['api_url'] === undefined) r.error('no global Wechat URL set', 'missing_global');
    if (isEmpty(o['api_secret']) && isEmpty(o['api_secret_file'])) {
      if (isEmpty(g['wechat_api_secret']) && isEmpty(g['wechat_api_secret_file'])) r.error('no global Wechat Api Secret set either inline or in a file', 'missing_global');
      orGlobal(o, 'api_secret', g, 'wechat_api_secret');
      orGlobal(o, 'api_secret_file', g, 'wechat_api_secret_file');
    }
    orGlobal(o, 'corp_id', g, 'wechat_api_corp_id');
    if (isEmpty(o['corp_id'])) r.error('no global Wechat CorpID set', 'missing_global');
    if (o['api_url'] !== undefined) o['api_url'] = withTrailingSlash(scalarText(o['api_url']));
  },
});
