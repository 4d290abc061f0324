/**
 * Runs every Alertmanager test configuration (upstream config/testdata) through loadConfig and
 * checks the outcome upstream's config/config_test.go expects: accepted, or an error containing
 * the expected message.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AlertmanagerConfig } from './types.js';
import { loadConfig } from './load.js';
import { marshalConfig } from './marshal.js';

const DIR = fileURLToPath(new URL('../../../../shared/conformance/alertmanager-config/', import.meta.url));

/** File -> expected error text (null = accepted), from config_test.go. */
const EXPECTED: Record<string, string | null> = {
  'conf.empty-fields.yml': null,
  'conf.good.yml': null,
  'conf.group-by-all.yml': null,
  'conf.http-config.good.yml': null,
  'conf.smtp-no-username-or-password.yml': null,
  'conf.smtp-password-global-and-local.yml': null,
  'conf.victorops-default-apikey.yml': null,
  'conf.victorops-default-apikey-file.yml': null,
  'conf.telegram-default-bot-token.yml': null,
  'conf.telegram-default-bot-token-file.yml': null,
  'conf.opsgenie-default-apikey.yml': null,
  'conf.opsgenie-default-apikey-file.yml': null,
  'conf.slack-default-app-token.yml': null,
  'conf.slack-default-api-url-file.yml': null,
  'conf.sns-topic-arn.yml': null,
  'conf.rocketchat-default-token.yml': null,
  'conf.rocketchat-default-token-file.yml': null,
  'conf.wechat-default-api-secret-file.yml': null,
  'conf.mattermost-default-webhook-url.yml': null,
  'conf.mattermost-default-webhook-url-file.yml': null,
  'conf.smtp-both-password-and-file.yml': 'at most one of smtp_auth_password & smtp_auth_password_file must be configured',
  'conf.victorops-both-file-and-apikey.yml': 'at most one of victorops_api_key & victorops_api_key_file must be configured',
  'conf.victorops-no-apikey.yml': 'no global VictorOps API Key set',
  'conf.telegram-both-bot-token-and-file.yml': 'at most one of telegram_bot_token & telegram_bot_token_file must be configured',
  'conf.telegram-valid-receiver-both-bot-token-and-file.yml': 'at most one of telegram_bot_token & telegram_bot_token_file must be configured',
  'conf.telegram-no-bot-token.yml': 'missing bot_token or bot_token_file on telegram_config',
  'conf.opsgenie-both-file-and-apikey.yml': 'at most one of opsgenie_api_key & opsgenie_api_key_file must be configured',
  'conf.opsgenie-no-apikey.yml': 'no global OpsGenie API Key set either inline or in a file',
  'conf.opsgenie-default-apikey-old-team.yml': 'line 16: field teams not found in type opsgenie.plain',
  'conf.slack-both-file-and-url.yml': 'at most one of slack_api_url & slack_api_url_file must be configured',
  'conf.slack-both-file-and-token.yml': 'at most one of slack_app_token & slack_app_token_file must be configured',
  'conf.slack-both-url-and-token.yml': 'at most one of slack_app_token/slack_app_token_file & slack_api_url/slack_api_url_file must be configured',
  'conf.slack-update-message-and-webhook.yml': 'update_message can only be used with bot tokens. api_url must be set to https://slack.com/api/chat.postMessage',
  'conf.slack-no-api-url-or-token.yml': 'no Slack API URL nor App token set either inline or in a file',
  'conf.sns-invalid.yml': 'must provide either a Target ARN, Topic ARN, or Phone Number for SNS config',
  'conf.rocketchat-both-token-and-tokenfile.yml': 'at most one of rocketchat_token & rocketchat_token_file must be configured',
  'conf.rocketchat-both-tokenid-and-tokenidfile.yml': 'at most one of rocketchat_token_id & rocketchat_token_id_file must be configured',
  'conf.rocketchat-no-token.yml': 'no global Rocketchat Token set either inline or in a file',
  'conf.nil-match_re-route.yml': 'invalid_label',
  'conf.nil-source_match_re-inhibition.yml': 'invalid_source_label',
  'conf.nil-target_match_re-inhibition.yml': 'invalid_target_label',
  'conf.wechat-no-api-secret.yml': 'no global Wechat Api Secret set either inline or in a file',
  'conf.wechat-both-file-and-secret.yml': 'at most one of wechat_api_secret & wechat_api_secret_file must be configured',
  'conf.mattermost-both-webhook-url-and-file.yml': 'at most one of mattermost_webhook_url & mattermost_webhook_url_file must be configured',
  'conf.mattermost-valid-receiver-both-webhook-url-and-file.yml': 'at most one of mattermost_webhook_url & mattermost_webhook_url_file must be configured',
  'conf.mattermost-no-webhook-url.yml': 'missing webhook_url or webhook_url_file on mattermost_config',
};

type Cfg = AlertmanagerConfig;

/** Settings of the idx-th `<type>_configs` entry of receiver `r`. */
function entry(cfg: Cfg, r: number, type: string, idx = 0): Readonly<Record<string, unknown>> {
  const found = cfg.receivers[r]?.integrations.filter((i) => i.type === type)[idx];
  if (!found) throw new Error(`no ${type}[${idx}] in receiver ${r}`);
  return found.settings;
}

/** The value checks config_test.go makes on accepted files. */
const CHECKS: Record<string, (cfg: Cfg) => void> = {
  'conf.smtp-password-global-and-local.yml': (c) => {
    expect(entry(c, 0, 'email', 0)).toMatchObject({ auth_password_file: '/tmp/globaluserpassword' });
    expect(entry(c, 0, 'email', 0)['auth_password']).toBeUndefined();
    expect(entry(c, 0, 'email', 1)).toMatchObject({ auth_password_file: '/tmp/localuser1password' });
    expect(entry(c, 0, 'email', 2)).toMatchObject({ auth_password: 'mysecret' });
    expect(entry(c, 0, 'email', 2)['auth_password_file']).toBeUndefined();
    expect(entry(c, 0, 'email', 3)).toMatchObject({ auth_secret: 'myprecious' });
    expect(entry(c, 0, 'email', 4)).toMatchObject({ auth_secret_file: '/tmp/localuser4secret' });
  },
  'conf.group-by-all.yml': (c) => expect(c.route.groupByAll).toBe(true),
  'conf.victorops-default-apikey.yml': (c) => {
    expect(entry(c, 0, 'victorops')['api_key']).toBe(c.global.settings['victorops_api_key']);
    expect(entry(c, 1, 'victorops')['api_key']).toBe('qwe456');
  },
  'conf.victorops-default-apikey-file.yml': (c) => {
    expect(entry(c, 0, 'victorops')['api_key_file']).toBe(c.global.settings['victorops_api_key_file']);
    expect(entry(c, 1, 'victorops')['api_key_file']).toBe('/override_file');
  },
  'conf.telegram-default-bot-token.yml': (c) => {
    expect(entry(c, 0, 'telegram')['bot_token']).toBe(c.global.settings['telegram_bot_token']);
    expect(entry(c, 1, 'telegram')['bot_token']).toBe('qwe456');
  },
  'conf.telegram-default-bot-token-file.yml': (c) => {
    expect(entry(c, 0, 'telegram')['bot_token_file']).toBe(c.global.settings['telegram_bot_token_file']);
    expect(entry(c, 1, 'telegram')['bot_token_file']).toBe('/override_file');
  },
  'conf.opsgenie-default-apikey.yml': (c) => {
    expect(entry(c, 0, 'opsgenie')['api_key']).toBe(c.global.settings['opsgenie_api_key']);
    expect(entry(c, 1, 'opsgenie')['api_key']).not.toBe(c.global.settings['opsgenie_api_key']);
  },
  'conf.opsgenie-default-apikey-file.yml': (c) => {
    expect(entry(c, 0, 'opsgenie')['api_key_file']).toBe(c.global.settings['opsgenie_api_key_file']);
    expect(entry(c, 1, 'opsgenie')['api_key_file']).not.toBe(c.global.settings['opsgenie_api_key_file']);
  },
  'conf.slack-default-app-token.yml': (c) => {
    const token = c.global.settings['slack_app_token'];
    expect(entry(c, 0, 'slack', 0)).toMatchObject({ app_token: token, api_url: c.global.settings['slack_app_url'], http_config: { authorization: { type: 'Bearer', credentials: token } } });
    expect(entry(c, 0, 'slack', 1)).toMatchObject({ app_token: 'xoxb-1234-xxxxxx', http_config: { authorization: { type: 'Bearer', credentials: 'xoxb-1234-xxxxxx' } } });
    expect(entry(c, 0, 'slack', 2)['app_url']).toBe('http://api.fakeslack.example/');
    expect(entry(c, 0, 'slack', 3)['app_token']).toBeUndefined();
    expect(entry(c, 0, 'slack', 3)).toMatchObject({ http_config: { authorization: { type: 'Bearer', credentials: 'xoxb-my-bot-token' } } });
    expect(entry(c, 0, 'slack', 4)['api_url']).toBe('https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX');
    expect(entry(c, 0, 'slack', 4)['api_url_file']).toBeUndefined();
  },
  'conf.slack-default-api-url-file.yml': (c) => {
    expect(entry(c, 0, 'slack', 0)['api_url_file']).toBe('/global_file');
    expect(entry(c, 0, 'slack', 0)['api_url']).toBeUndefined();
    expect(entry(c, 0, 'slack', 1)['api_url_file']).toBe('/override_file');
    expect(entry(c, 0, 'slack', 2)['api_url']).toBe('http://mysecret.example.com/');
    expect(entry(c, 0, 'slack', 2)['api_url_file']).toBeUndefined();
  },
  'conf.rocketchat-default-token.yml': (c) => {
    expect(entry(c, 0, 'rocketchat')).toMatchObject({ token: c.global.settings['rocketchat_token'], token_id: c.global.settings['rocketchat_token_id'] });
    expect(entry(c, 1, 'rocketchat')).toMatchObject({ token: 'token456', token_id: 'id456' });
  },
  'conf.rocketchat-default-token-file.yml': (c) => {
    expect(entry(c, 0, 'rocketchat')).toMatchObject({ token_file: c.global.settings['rocketchat_token_file'], token_id_file: c.global.settings['rocketchat_token_id_file'] });
    expect(entry(c, 1, 'rocketchat')).toMatchObject({ token_file: '/override_file', token_id_file: '/override_file' });
  },
  'conf.wechat-default-api-secret-file.yml': (c) => {
    expect(entry(c, 0, 'wechat', 0)['api_secret_file']).toBe('/global_file');
    expect(entry(c, 0, 'wechat', 1)['api_secret_file']).toBe('/override_file');
    expect(entry(c, 0, 'wechat', 2)['api_secret']).toBe('my_inline_secret');
    expect(entry(c, 0, 'wechat', 2)['api_secret_file']).toBeUndefined();
  },
  'conf.mattermost-default-webhook-url.yml': (c) => {
    expect(entry(c, 0, 'mattermost')['webhook_url']).toBe(c.global.settings['mattermost_webhook_url']);
    expect(entry(c, 1, 'mattermost')['webhook_url']).toBe('https://fakemattermost.example.com/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx');
  },
  'conf.mattermost-default-webhook-url-file.yml': (c) => {
    expect(entry(c, 0, 'mattermost')['webhook_url_file']).toBe(c.global.settings['mattermost_webhook_url_file']);
    expect(entry(c, 1, 'mattermost')['webhook_url_file']).toBe('/override_file');
  },
};

/** Files we cannot meet, with the reason. Empty: every file passes. */
const SKIPPED: Record<string, string> = {};

const files = readdirSync(DIR).filter((f) => f.endsWith('.yml')).sort();
let passed = 0;

describe('alertmanager-config conformance', () => {
  it('knows the expected outcome of every file', () => {
    expect(files.filter((f) => !(f in EXPECTED) && !(f in SKIPPED))).toEqual([]);
  });

  it.each(files.filter((f) => !(f in SKIPPED)))('%s', (file) => {
    const res = loadConfig(readFileSync(DIR + file, 'utf8'));
    const want = EXPECTED[file];
    if (want === null) {
      expect(res.ok ? [] : res.issues.map((i) => i.message)).toEqual([]);
      // What we print must load again.
      if (res.ok) {
        CHECKS[file]?.(res.value);
        const again = loadConfig(marshalConfig(res.value));
        expect(again.ok ? [] : again.issues.map((i) => `${i.range?.start.line}:${i.message}`)).toEqual([]);
      }
    } else {
      expect(res.ok).toBe(false);
      if (res.ok) return;
      const texts = res.issues.map((i) => (i.range ? `line ${i.range.start.line}: ${i.message}` : i.message));
      expect(texts.some((t) => t.includes(want as string)), texts.join('\n')).toBe(true);
      for (const i of res.issues) expect(i.range, i.message).toBeDefined();
    }
    passed++;
  });

  it('never throws and places every issue, whatever line of conf.good.yml is damaged', () => {
    const lines = readFileSync(DIR + 'conf.good.yml', 'utf8').split('\n');
    const damages = [(_l: string) => '', (l: string) => l + ': x', (l: string) => l.replace(':', ''), (l: string) => '  ' + l, (l: string) => l.replace(/'/, '')];
    for (let i = 0; i < lines.length; i++) {
      for (const damage of damages) {
        const text = [...lines.slice(0, i), damage(lines[i] as string), ...lines.slice(i + 1)].join('\n');
        const res = loadConfig(text);
        if (!res.ok) for (const it of res.issues) expect(it.range, `${i}: ${it.message}`).toBeDefined();
      }
    }
  });

  it('reports the totals', () => {
    // eslint-disable-next-line no-console
    console.log(`alertmanager-config conformance: ${passed} passed, ${Object.keys(SKIPPED).length} skipped`);
    expect(passed + Object.keys(SKIPPED).length).toBe(files.length);
  });
});
