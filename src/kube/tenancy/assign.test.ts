import { describe, expect, it } from 'vitest';
import type { NamespaceInfo, TenantMappingConfig } from '../api.js';
import { assignTenant } from './assign.js';

const CFG: TenantMappingConfig = {
  rules: [
    { from: 'namespaceLabel', label: 'herald.io/tenant' },
    { from: 'objectLabel', label: 'tenant' },
    { from: 'fixed', tenant: 'platform', namespaceSelector: { matchLabels: { 'herald.io/platform': 'true' } } },
  ],
  namespaceSelector: { matchExpressions: [{ key: 'managed', operator: 'NotIn', values: ['no'] }] },
  objectSelector: { matchExpressions: [{ key: 'skip', operator: 'DoesNotExist' }] },
  optOutLabelPrefix: 'herald.io',
  excludedNamespaces: ['kube-system'],
};

const ns = (name: string, labels: Record<string, string> = {}): NamespaceInfo => ({ name, labels });
const obj = (labels: Record<string, string> = {}) => ({ metadata: { name: 'x', namespace: 'n', labels } });

describe('assignTenant', () => {
  it.each([
    ['namespace label', obj(), ns('a', { 'herald.io/tenant': 'team-a' }), { tenant: 'team-a' }],
    ['namespace label wins over object label', obj({ tenant: 'b' }), ns('a', { 'herald.io/tenant': 'team-a' }), { tenant: 'team-a' }],
    ['empty namespace label falls through to object label', obj({ tenant: 'b' }), ns('a', { 'herald.io/tenant': '' }), { tenant: 'b' }],
    ['fixed by namespace selector', obj(), ns('mon', { 'herald.io/platform': 'true' }), { tenant: 'platform' }],
    ['no rule matches', obj(), ns('a'), { excluded: 'no tenant mapping rule matched namespace "a"' }],
    ['excluded namespace', obj({ tenant: 'b' }), ns('kube-system'), { excluded: 'namespace "kube-system" is excluded by the operator' }],
    ['opt-out', obj({ tenant: 'b' }), ns('a', { 'herald.io/user-monitoring': 'false' }), { excluded: 'namespace "a" opted out of user monitoring (herald.io/user-monitoring: "false")' }],
    ['opt-out label set to true does not opt out', obj({ tenant: 'b' }), ns('a', { 'herald.io/user-monitoring': 'true' }), { tenant: 'b' }],
    ['namespace selector', obj({ tenant: 'b' }), ns('a', { managed: 'no' }), { excluded: 'namespace "a" does not match the namespace selector' }],
    ['object selector', obj({ tenant: 'b', skip: '' }), ns('a'), { excluded: 'object does not match the object selector' }],
    ['invalid tenant id', obj({ tenant: 'a/b' }), ns('a'), { excluded: "object label \"tenant\" is not a valid tenant id: tenant ID 'a/b' contains unsupported character '/'" }],
  ])('%s', (_n, o, n, want) => {
    expect(assignTenant(o, n, CFG)).toEqual(want);
  });
});
