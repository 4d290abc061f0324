/**
 * The receiver part of the AlertmanagerConfig CRD (monitoring.coreos.com v1alpha1 and v1beta1) as
 * data: for each `<x>Configs` list, its camelCase fields, what kind of value each holds, and the
 * Alertmanager wire name it becomes. Field names and renames follow prometheus-operator's
 * pkg/apis/monitoring/v1alpha1/alertmanager_config_types.go and the convert*Config functions of
 * pkg/alertmanager/amcfg.go (e.g. PagerDuty `pagerDutyLinkConfigs[].alt` -> `links[].text`,
 * Discord `apiURL` -> `webhook_url`, webhook `urlSecret` -> `url`). v1beta1 uses the same names
 * except that it has no `updateAlerts` (OpsGenie) and no `regex` on matchers.
 */

/** What one CRD field holds. */
export type FieldKind =
  | 'string'
  | 'bool'
  | 'int'
  /** Scalar that Alertmanager reads as text (durations, numbers written either way). */
  | 'scalar'
  | 'strings'
  | 'stringMap'
  /** A `{name, key}` Secret key selector, read from the object's namespace. */
  | 'secret'
  /** `{secret: selector}` or `{configMap: selector}` (only secrets are supported). */
  | 'secretOrConfigMap'
  /** A list of `{key, value}` pairs, printed as a map. */
  | 'keyValues'
  /** `map[string][]SecretKeySelector` (proxyConnectHeader). */
  | 'secretListMap'
  /** `bearerTokenSecret`, printed as `authorization: {type: Bearer, credentials}`. */
  | 'bearer'
  | { readonly struct: CrdStruct }
  | { readonly list: CrdStruct };

export interface FieldRule {
  readonly kind: FieldKind;
  /** Alertmanager's name for it; default: the camelCase name in snake_case. */
  readonly wire?: string;
  /** Extra keys set on the printed struct (email `threading` -> `enabled: true`). */
  readonly add?: Readonly<Record<string, unknown>>;
}

export type CrdStruct = Readonly<Record<string, FieldKind | FieldRule>>;

/** `apiURL` -> `api_url`, `useAWSHTTPClient` -> `use_awshttp_client`, `enableHttp2` -> `enable_http2`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

export function ruleOf(f: FieldKind | FieldRule): FieldRule {
  return typeof f === 'object' && 'kind' in f ? f : { kind: f };
}

export const TLS_STRUCT: CrdStruct = {
  ca: 'secretOrConfigMap',
  cert: 'secretOrConfigMap',
  keySecret: { kind: 'secret', wire: 'key' },
  serverName: 'string',
  insecureSkipVerify: 'bool',
  minVersion: 'string',
  maxVersion: 'string',
};

const PROXY_FIELDS: CrdStruct = {
  proxyUrl: { kind: 'string', wire: 'proxy_url' },
  proxyURL: { kind: 'string', wire: 'proxy_url' },
  noProxy: 'string',
  proxyFromEnvironment: 'bool',
  proxyConnectHeader: 'secretListMap',
};

export const HTTP_STRUCT: CrdStruct = {
  authorization: { kind: { struct: { type: 'string', credentials: 'secret' } } },
  basicAuth: { kind: { struct: { username: 'secret', password: 'secret' } } },
  oauth2: {
    kind: {
      struct: {
        clientId: 'secretOrConfigMap',
        clientSecret: 'secret',
        tokenUrl: 'string',
        scopes: 'strings',
        endpointParams: 'stringMap',
        tlsConfig: { kind: { struct: TLS_STRUCT } },
        ...PROXY_FIELDS,
      },
    },
  },
  bearerTokenSecret: { kind: 'bearer', wire: 'authorization' },
  tlsConfig: { kind: { struct: TLS_STRUCT } },
  ...PROXY_FIELDS,
  followRedirects: 'bool',
  enableHttp2: 'bool',
};

const HTTP: FieldRule = { kind: { struct: HTTP_STRUCT } };
const COMMON: CrdStruct = { sendResolved: 'bool', httpConfig: HTTP };

const SLACK_FIELD: CrdStruct = { title: 'string', value: 'string', short: 'bool' };
const SLACK_ACTION: CrdStruct = {
  type: 'string',
  text: 'string',
  url: 'string',
  style: 'string',
  name: 'string',
  value: 'string',
  confirm: { kind: { struct: { text: 'string', title: 'string', okText: 'string', dismissText: 'string' } } },
};

/** One receiver integration: CRD list key, Alertmanager integration name, fields. */
export interface CrdIntegration {
  readonly crdKey: string;
  readonly wire: string;
  readonly fields: CrdStruct;
}

/** Every receiver type of the CRD; Herald's registry knows all of them. */
export const CRD_INTEGRATIONS: readonly CrdIntegration[] = [
  {
    crdKey: 'opsgenieConfigs',
    wire: 'opsgenie',
    fields: {
      ...COMMON,
      apiKey: 'secret',
      apiURL: 'string',
      message: 'string',
      description: 'string',
      source: 'string',
      tags: 'string',
      note: 'string',
      priority: 'string',
      updateAlerts: 'bool',
      details: 'keyValues',
      responders: { kind: { list: { id: 'string', name: 'string', username: 'string', type: 'string' } } },
      entity: 'string',
      actions: 'string',
    },
  },
  {
    crdKey: 'pagerdutyConfigs',
    wire: 'pagerduty',
    fields: {
      ...COMMON,
      routingKey: 'secret',
      serviceKey: 'secret',
      url: 'string',
      client: 'string',
      clientURL: 'string',
      description: 'string',
      severity: 'string',
      class: 'string',
      group: 'string',
      component: 'string',
      details: 'keyValues',
      pagerDutyImageConfigs: { kind: { list: { src: 'string', href: 'string', alt: 'string' } }, wire: 'images' },
      pagerDutyLinkConfigs: { kind: { list: { href: 'string', alt: { kind: 'string', wire: 'text' } } }, wire: 'links' },
      source: 'string',
      timeout: 'scalar',
    },
  },
  {
    crdKey: 'discordConfigs',
    wire: 'discord',
    fields: { ...COMMON, apiURL: { kind: 'secret', wire: 'webhook_url' }, title: 'string', message: 'string', content: 'string', username: 'string', avatarURL: 'string' },
  },
  {
    crdKey: 'slackConfigs',
    wire: 'slack',
    fields: {
      ...COMMON,
      apiURL: 'secret',
      channel: 'string',
      username: 'string',
      color: 'string',
      title: 'string',
      titleLink: 'string',
      pretext: 'string',
      text: 'string',
      fields: { kind: { list: SLACK_FIELD } },
      shortFields: 'bool',
      footer: 'string',
      fallback: 'string',
      callbackId: 'string',
      iconEmoji: 'string',
      iconURL: 'string',
      imageURL: 'string',
      thumbURL: 'string',
      linkNames: 'bool',
      mrkdwnIn: 'strings',
      actions: { kind: { list: SLACK_ACTION } },
      timeout: 'scalar',
      messageText: 'string',
      updateMessage: 'bool',
    },
  },
  {
    crdKey: 'webhookConfigs',
    wire: 'webhook',
    fields: { ...COMMON, url: 'string', urlSecret: { kind: 'secret', wire: 'url' }, maxAlerts: 'int', timeout: 'scalar', payload: 'string' },
  },
  {
    crdKey: 'wechatConfigs',
    wire: 'wechat',
    fields: {
      ...COMMON,
      apiSecret: 'secret',
      apiURL: 'string',
      corpID: 'string',
      agentID: 'string',
      toUser: 'string',
      toParty: 'string',
      toTag: 'string',
      message: 'string',
      messageType: 'string',
    },
  },
  {
    crdKey: 'emailConfigs',
    wire: 'email',
    fields: {
      sendResolved: 'bool',
      to: 'string',
      from: 'string',
      hello: 'string',
      smarthost: 'string',
      authUsername: 'string',
      authPassword: 'secret',
      authSecret: 'secret',
      authIdentity: 'string',
      headers: 'keyValues',
      html: 'string',
      text: 'string',
      requireTLS: 'bool',
      tlsConfig: { kind: { struct: TLS_STRUCT } },
      forceImplicitTLS: 'bool',
      threading: { kind: { struct: { threadByDate: 'string' } }, add: { enabled: true } },
    },
  },
  {
    crdKey: 'victoropsConfigs',
    wire: 'victorops',
    fields: {
      ...COMMON,
      apiKey: 'secret',
      apiUrl: 'string',
      routingKey: 'string',
      messageType: 'string',
      entityDisplayName: 'string',
      stateMessage: 'string',
      monitoringTool: 'string',
      customFields: 'keyValues',
    },
  },
  {
    crdKey: 'pushoverConfigs',
    wire: 'pushover',
    fields: {
      ...COMMON,
      userKey: 'secret',
      userKeyFile: 'string',
      token: 'secret',
      tokenFile: 'string',
      title: 'string',
      message: 'string',
      url: 'string',
      urlTitle: 'string',
      ttl: 'scalar',
      device: 'string',
      sound: 'string',
      priority: 'string',
      retry: 'scalar',
      expire: 'scalar',
      html: 'bool',
      monospace: 'bool',
    },
  },
  {
    crdKey: 'snsConfigs',
    wire: 'sns',
    fields: {
      ...COMMON,
      apiURL: 'string',
      sigv4: { kind: { struct: { region: 'string', accessKey: 'secret', secretKey: 'secret', profile: 'string', roleArn: 'string', externalId: 'string' } } },
      topicARN: 'string',
      subject: 'string',
      phoneNumber: 'string',
      targetARN: 'string',
      message: 'string',
      attributes: 'stringMap',
      useAWSHTTPClient: { kind: 'bool', wire: 'use_aws_http_client' },
    },
  },
  {
    crdKey: 'telegramConfigs',
    wire: 'telegram',
    fields: {
      ...COMMON,
      apiURL: 'string',
      botToken: 'secret',
      botTokenFile: 'string',
      chatID: 'int',
      messageThreadID: 'int',
      message: 'string',
      disableNotifications: 'bool',
      parseMode: 'string',
    },
  },
  {
    crdKey: 'webexConfigs',
    wire: 'webex',
    fields: { ...COMMON, apiURL: 'string', message: 'string', roomID: 'string' },
  },
  {
    crdKey: 'msteamsConfigs',
    wire: 'msteams',
    fields: { ...COMMON, webhookUrl: { kind: 'secret', wire: 'webhook_url' }, title: 'string', summary: 'string', text: 'string' },
  },
  {
    crdKey: 'msteamsv2Configs',
    wire: 'msteamsv2',
    fields: { ...COMMON, webhookURL: { kind: 'secret', wire: 'webhook_url' }, title: 'string', text: 'string' },
  },
  {
    crdKey: 'rocketchatConfigs',
    wire: 'rocketchat',
    fields: {
      ...COMMON,
      apiURL: 'string',
      channel: 'string',
      token: 'secret',
      tokenID: 'secret',
      color: 'string',
      emoji: 'string',
      iconURL: 'string',
      text: 'string',
      title: 'string',
      titleLink: 'string',
      fields: { kind: { list: SLACK_FIELD } },
      shortFields: 'bool',
      imageURL: 'string',
      thumbURL: 'string',
      linkNames: 'bool',
      actions: { kind: { list: { text: 'string', url: 'string', msg: 'string' } } },
    },
  },
];
