/**
 * The `global:` section. Mirrors Alertmanager's GlobalConfig and DefaultGlobalConfig (config/config.go):
 * an absent or empty section means every default; the `X` / `X_file` pairs are mutually exclusive.
 */
import { HTTP_CONFIG, TLS_CONFIG } from './http-config.js';
import type { Reporter, StructSchema } from './schema.js';
import { isEmpty } from './schema.js';

/** DefaultGlobalConfig's values, under wire names. */
export const GLOBAL_DEFAULTS: Readonly<Record<string, unknown>> = {
  resolve_timeout: 5 * 60_000,
  http_config: { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true },
  smtp_hello: 'localhost',
  smtp_require_tls: true,
  smtp_tls_config: { insecure_skip_verify: false },
  pagerduty_url: 'https://events.pagerduty.com/v2/enqueue',
  opsgenie_api_url: 'https://api.opsgenie.com/',
  wechat_api_url: 'https://qyapi.weixin.qq.com/cgi-bin/',
  victorops_api_url: 'https://alert.victorops.com/integrations/generic/20131114/alert/',
  telegram_api_url: 'https://api.telegram.org',
  webex_api_url: 'https://webexapis.com/v1/messages',
  rocketchat_api_url: 'https://open.rocket.chat/',
  slack_app_url: 'https://slack.com/api/chat.postMessage',
};

const PAIRS: ReadonlyArray<[string, string]> = [
  ['slack_app_token', 'slack_app_token_file'],
  ['slack_api_url', 'slack_api_url_file'],
  ['opsgenie_api_key', 'opsgenie_api_key_file'],
  ['victorops_api_key', 'victorops_api_key_file'],
  ['telegram_bot_token', 'telegram_bot_token_file'],
  ['smtp_auth_password', 'smtp_auth_password_file'],
  ['rocketchat_token', 'rocketchat_token_file'],
  ['rocketchat_token_id', 'rocketchat_token_id_file'],
  ['smtp_auth_secret', 'smtp_auth_secret_file'],
  ['wechat_api_secret', 'wechat_api_secret_file'],
  ['mattermost_webhook_url', 'mattermost_webhook_url_file'],
];

function d(key: string): unknown {
  return GLOBAL_DEFAULTS[key];
}

/** GlobalConfig, fields in upstream struct order. */
export const GLOBAL_SCHEMA: StructSchema = {
  type: 'config.plain',
  fields: {
    resolve_timeout: { kind: 'duration', default: d('resolve_timeout'), keep: true },
    http_config: { kind: HTTP_CONFIG, default: d('http_config') },
    jira_api_url: 'url',
    smtp_from: 'string',
    smtp_hello: { kind: 'string', default: d('smtp_hello') },
    smtp_smarthost: 'hostport',
    smtp_auth_username: 'string',
    smtp_auth_password: 'secret',
    smtp_auth_password_file: 'string',
    smtp_auth_secret: 'secret',
    smtp_auth_secret_file: 'string',
    smtp_auth_identity: 'string',
    smtp_require_tls: { kind: 'bool', default: true, keep: true },
    smtp_tls_config: { kind: TLS_CONFIG, default: d('smtp_tls_config') },
    smtp_force_implicit_tls: 'bool',
    slack_api_url: 'secretUrl',
    slack_api_url_file: 'string',
    slack_app_token: 'secret',
    slack_app_token_file: 'string',
    slack_app_url: { kind: 'url', default: d('slack_app_url') },
    pagerduty_url: { kind: 'url', default: d('pagerduty_url') },
    opsgenie_api_url: { kind: 'url', default: d('opsgenie_api_url') },
    opsgenie_api_key: 'secret',
    opsgenie_api_key_file: 'string',
    wechat_api_url: { kind: 'url', default: d('wechat_api_url') },
    wechat_api_secret: 'secret',
    wechat_api_secret_file: 'string',
    wechat_api_corp_id: 'string',
    victorops_api_url: { kind: 'url', default: d('victorops_api_url') },
    victorops_api_key: 'secret',
    victorops_api_key_file: 'string',
    telegram_api_url: { kind: 'url', default: d('telegram_api_url') },
    telegram_bot_token: 'secret',
    telegram_bot_token_file: 'string',
    webex_api_url: { kind: 'url', default: d('webex_api_url') },
    rocketchat_api_url: { kind: 'url', default: d('rocketchat_api_url') },
    rocketchat_token: 'secret',
    rocketchat_token_file: 'string',
    rocketchat_token_id: 'secret',
    rocketchat_token_id_file: 'string',
    mattermost_webhook_url: 'secretUrl',
    mattermost_webhook_url_file: 'string',
  },
  check: checkGlobal,
};

/** Config.UnmarshalYAML's checks on the global section. */
function checkGlobal(g: Record<string, unknown>, r: Reporter): void {
  for (const [a, b] of PAIRS) {
    // rocketchat tokens and the Slack/Mattermost URLs are pointers upstream: set-but-empty still counts.
    if (g[a] !== undefined && g[a] !== '' && !isEmpty(g[b])) r.error(`at most one of ${a} & ${a}_file must be configured`, 'conflicting_fields', [b]);
  }
  const hasToken = !isEmpty(g['slack_app_token']) || !isEmpty(g['slack_app_token_file']);
  const hasURL = g['slack_api_url'] !== undefined || !isEmpty(g['slack_api_url_file']);
  // Alertmanager tolerates slack_api_url equal to slack_app_url (the issue #2513 workaround);
  // a redacted `<secret>` (a printed config loaded again) gets the benefit of the doubt.
  if (hasToken && hasURL && g['slack_api_url'] !== g['slack_app_url'] && g['slack_api_url'] !== '<secret>') {
    r.error('at most one of slack_app_token/slack_app_token_file & slack_api_url/slack_api_url_file must be configured', 'conflicting_fields');
  }
}
