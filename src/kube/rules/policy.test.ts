import { describe, expect, it } from 'vitest';
import { DEFAULT_KUBE_CONFIG } from '../tenancy/config.js';
import { ruleOptionsFor } from './policy.js';

describe('ruleOptionsFor', () => {
  const cfg = { ...DEFAULT_KUBE_CONFIG.rules, platformNamespaces: ['monitoring'], crossNamespaceNamespaces: ['sre'] };
  it('enforces user namespaces and reserves the platform label', () => {
    expect(ruleOptionsFor('team-a', cfg)).toEqual({ enforceNamespace: true, namespaceLabel: 'namespace', reservedLabels: ['alert_source'] });
  });
  it('lets cross-namespace namespaces through without enforcement, still reserving the platform label', () => {
    expect(ruleOptionsFor('sre', cfg)).toEqual({ enforceNamespace: false, namespaceLabel: 'namespace', reservedLabels: ['alert_source'] });
  });
  it('labels platform rules', () => {
    expect(ruleOptionsFor('monitoring', cfg)).toEqual({ enforceNamespace: false, namespaceLabel: 'namespace', platformLabel: { name: 'alert_source', value: 'platform' } });
  });
  it('honours enforce_namespace: false', () => {
    expect(ruleOptionsFor('team-a', { ...cfg, enforceNamespace: false }).enforceNamespace).toBe(false);
  });
});
