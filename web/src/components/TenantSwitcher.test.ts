import { describe, expect, it } from 'vitest';
import { offeredTenants } from './TenantSwitcher.js';

describe('offeredTenants', () => {
  it('offers a restricted user only the listed tenants it may see, never the remembered one', () => {
    const who = { auth: 'required', subject: 'alice', role: 'viewer', tenants: ['team-a'] } as const;
    expect(offeredTenants('team-b', ['team-a', 'team-b'], who)).toEqual(['team-a']);
    expect(offeredTenants('team-a', ['team-a'], who)).toEqual(['team-a']);
    expect(offeredTenants('team-a', [], who)).toEqual([]);
  });

  it('offers everyone else the list plus the selected tenant', () => {
    const admin = { auth: 'required', subject: 'ops', role: 'admin', tenants: '*' } as const;
    expect(offeredTenants('new-team', ['team-a', 'team-b'], admin)).toEqual(['new-team', 'team-a', 'team-b']);
    expect(offeredTenants('team-a', ['anonymous', 'team-a'], undefined)).toEqual(['anonymous', 'team-a']);
  });
});
