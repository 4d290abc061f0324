/**
 * Every integration Herald knows, by name (without `_configs`). The config loader validates
 * `<name>_configs` entries through it; the pipeline builds notifiers through `create`.
 */
import type { IntegrationDefinition } from '../types.js';
import { defineIntegration } from '../../config/integration-def.js';
import { discordConfig } from './discord/config.js';
import { emailConfig } from './email/config.js';
import { incidentioConfig } from './incidentio/config.js';
import { jiraConfig } from './jira/config.js';
import { logConfig } from './log/config.js';
import { mattermostConfig } from './mattermost/config.js';
import { msteamsConfig } from './msteams/config.js';
import { msteamsv2Config } from './msteamsv2/config.js';
import { opsgenieConfig } from './opsgenie/config.js';
import { pagerdutyConfig } from './pagerduty/config.js';
import { pushoverConfig } from './pushover/config.js';
import { rocketchatConfig } from './rocketchat/config.js';
import { slackConfig } from './slack/config.js';
import { snsConfig } from './sns/config.js';
import { telegramConfig } from './telegram/config.js';
import { victoropsConfig } from './victorops/config.js';
import { webexConfig } from './webex/config.js';
import { WEBHOOK_SPEC } from './webhook/config.js';
import { createWebhookNotifier } from './webhook/notifier.js';
import { wechatConfig } from './wechat/config.js';

/** The definitions in Alertmanager's Receiver struct order (the order `<x>_configs` are printed). */
const ALL: readonly IntegrationDefinition[] = [
  discordConfig,
  emailConfig,
  incidentioConfig,
  pagerdutyConfig,
  slackConfig,
  defineIntegration({ ...WEBHOOK_SPEC, create: createWebhookNotifier }),
  opsgenieConfig,
  wechatConfig,
  pushoverConfig,
  victoropsConfig,
  snsConfig,
  telegramConfig,
  webexConfig,
  msteamsConfig,
  msteamsv2Config,
  jiraConfig,
  rocketchatConfig,
  mattermostConfig,
  logConfig,
];

/** Integration name -> definition. */
export const INTEGRATIONS: ReadonlyMap<string, IntegrationDefinition> = new Map(ALL.map((d) => [d.name, d]));
