/** `slack_configs` entry. Mirrors Alertmanager's SlackConfig (config/notifiers.go) and its app-token fill-ins. */
import { atMostOne, defineIntegration, orGlobal } from '../../../config/integration-def.js';
import { isEmpty, isPlainObject } from '../../../config/schema.js';
import type { StructSchema } from '../../../config/schema.js';
import { createSlackNotifier } from './notifier.js';

const SLACK_POST_MESSAGE = 'https://slack.com/api/chat.postMessage';

const FIELD: StructSchema = {
  type: 'config.plain',
  fields: { title: 'string', value: 'string', short: 'bool' },
  check(o, r) {
    if (isEmpty(o['title'])) r.error('missing title in Slack field configuration', 'missing_field');
    if (isEmpty(o['value'])) r.error('missing value in Slack field configuration', 'missing_field');
  },
};

const CONFIRM: StructSchema = {
  type: 'config.plain',
  fields: { text: 'string', title: 'string', ok_text: 'string', dismiss_text: 'string' },
  check(o, r) {
    if (isEmpty(o['text'])) r.error('missing text in Slack confirmation configuration', 'missing_field');
  },
};

const ACTION: StructSchema = {
  type: 'config.plain',
  fields: { type: 'string', text: 'string', url: 'string', style: 'string', name: 'string', value: 'string', confirm: CONFIRM },
  check(o, r) {
    if (isEmpty(o['type'])) r.error('missing type in Slack action configuration', 'missing_field');
    if (isEmpty(o['text'])) r.error('missing text in Slack action configuration', 'missing_field');
    if (!isEmpty(o['url'])) {
      delete o['name'];
      delete o['value'];
      delete o['confirm'];
    } else if (isEmpty(o['name'])) {
      r.error('missing name or url in Slack action configuration', 'missing_field');
    }
  },
};

const tpl = (n: string): { kind: 'string'; default: string } => ({ kind: 'string', default: `{{ template "slack.default.${n}" . }}` });

/** Validator for `slack_configs` entries. */
export const slackConfig = defineIntegration({
  name: 'slack',
  create: createSlackNotifier,
  sendResolvedDefault: false,
  goType: 'config.plain',
  inheritHttpConfig: false,
  fields: {
    api_url: 'secretUrl',
    api_url_file: 'string',
    app_token: 'secret',
    app_token_file: 'string',
    app_url: 'url',
    channel: 'string',
    username: tpl('username'),
    color: tpl('color'),
    title: tpl('title'),
    title_link: tpl('titlelink'),
    pretext: tpl('pretext'),
    text: tpl('text'),
    message_text: 'string',
    fields: { list: FIELD },
    short_fields: { kind: 'bool', default: false, keep: true },
    footer: tpl('footer'),
    fallback: tpl('fallback'),
    callback_id: tpl('callbackid'),
    icon_emoji: tpl('iconemoji'),
    icon_url: tpl('iconurl'),
    image_url: 'string',
    thumb_url: 'string',
    link_names: { kind: 'bool', default: false, keep: true },
    mrkdwn_in: { list: 'string' },
    actions: { list: ACTION },
    update_message: { kind: 'bool', default: false },
    timeout: { kind: 'goDuration', default: 0, keep: true },
  },
  check(o, r) {
    if (o['api_url'] !== undefined && !isEmpty(o['api_url_file'])) r.error('at most one of api_url & api_url_file must be configured', 'conflicting_fields', ['api_url_file']);
    atMostOne(o, r, 'app_token', 'app_token_file');
    const hasURL = o['api_url'] !== undefined || !isEmpty(o['api_url_file']);
    const hasToken = !isEmpty(o['app_token']) || !isEmpty(o['app_token_file']);
    if (hasURL && hasToken) r.error('at most one of api_url/api_url_file & app_token/app_token_file must be configured', 'conflicting_fields');
    if (o['update_message'] === true && o['api_url'] !== undefined && o['api_url'] !== SLACK_POST_MESSAGE) {
      r.error(`update_message can only be used with bot tokens. api_url must be set to ${SLACK_POST_MESSAGE}`, 'invalid_value', ['update_message']);
    }
  },
  // The token is printed once, inside http_config.authorization: printing it twice (with the
  // api_url it implies) would make the printed configuration conflict when loaded again.
  forPrint(s) {
    const { app_token: _t, app_token_file: _f, ...rest } = s;
    return rest;
  },
  fillIn(o, g, r) {
    const ownAppURL = o['app_url'] !== undefined;
    orGlobal(o, 'app_url', g, 'slack_app_url');
    if (o['app_url'] === undefined) {
      r.error('no global Slack App URL set', 'missing_global');
      return;
    }
    const ownAuth = isPlainObject(o['http_config']) && o['http_config']['authorization'] !== undefined;
    if (isEmpty(o['app_token']) && isEmpty(o['app_token_file']) && !ownAuth && o['api_url'] === undefined) {
      orGlobal(o, 'app_token', g, 'slack_app_token');
      orGlobal(o, 'app_token_file', g, 'slack_app_token_file');
    }
    if (o['api_url'] === undefined && isEmpty(o['api_url_file'])) {
      if (g['slack_api_url'] !== undefined) o['api_url'] = g['slack_api_url'];
      orGlobal(o, 'api_url_file', g, 'slack_api_url_file');
    }
    const hasToken = !isEmpty(o['app_token']) || !isEmpty(o['app_token_file']);
    if (o['api_url'] === undefined && isEmpty(o['api_url_file']) && !hasToken) {
      r.error('no Slack API URL nor App token set either inline or in a file', 'missing_field');
      return;
    }
    if (o['http_config'] === undefined && g['http_config'] !== undefined) o['http_config'] = structuredClone(g['http_config']);
    if (hasToken) {
      const hc: Record<string, unknown> = isPlainObject(o['http_config']) ? o['http_config'] : {};
      if (hc['authorization'] !== undefined) {
        r.error("http authorization can't be set when using Slack App tokens", 'conflicting_fields');
        return;
      }
      const authorization: Record<string, unknown> = { type: 'Bearer' };
      if (!isEmpty(o['app_token'])) authorization['credentials'] = o['app_token'];
      if (!isEmpty(o['app_token_file'])) authorization['credentials_file'] = o['app_token_file'];
      hc['authorization'] = authorization;
      o['http_config'] = hc;
      o['api_url'] = o['app_url'];
    } else if (!ownAppURL) {
      // Not used without a token; left out so older parsers (amtool 0.25) accept the printed config.
      delete o['app_url'];
    }
  },
});
