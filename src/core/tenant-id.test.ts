import { describe, expect, it } from 'vitest';
import { resolveTenant, TenantIdError, tenantIdProblem } from './tenant-id.js';

describe('tenantIdProblem', () => {
  it.each([
    ['ok', undefined],
    ["A-z_0.9!*'()", undefined],
    ['a'.repeat(150), undefined],
    ['a'.repeat(151), 'tenant ID is too long: max 150 characters'],
    ['.', "tenant ID is '.' or '..'"],
    ['..', "tenant ID is '.' or '..'"],
    ['../x', "tenant ID '../x' contains unsupported character '/'"],
    ['a b', "tenant ID 'a b' contains unsupported character ' '"],
    ['ü', "tenant ID 'ü' contains unsupported character 'ü'"],
    ['a|b', "tenant ID 'a|b' contains unsupported character '|'"],
    ['', 'no org id'],
  ])('%j -> %j', (id, want) => {
    expect(tenantIdProblem(id)).toBe(want);
  });
});

describe('resolveTenant', () => {
  it.each([
    [undefined, false, 'anonymous'],
    ['t1', false, 't1'],
    ['t1', true, 't1'],
    [['t1', 't1'], true, 't1'],
  ] as const)('%j (require=%j) -> %s', (h, req, want) => {
    expect(resolveTenant(h, req)).toBe(want);
  });

  it.each([
    [undefined, true, 'missing', 'no org id'],
    ['../x', false, 'invalid', "tenant ID '../x' contains unsupported character '/'"],
    [['a', 'b'], false, 'invalid', 'multiple org IDs present'],
  ] as const)('%j (require=%j) -> %s', (h, req, code, msg) => {
    try {
      resolveTenant(h, req);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TenantIdError);
      expect((e as TenantIdError).code).toBe(code);
      expect((e as TenantIdError).message).toBe(msg);
    }
  });
});
