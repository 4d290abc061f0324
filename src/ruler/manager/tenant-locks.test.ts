import { describe, expect, it } from 'vitest';
import { TenantLocks } from './tenant-locks.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('TenantLocks', () => {
  it('runs one task at a time per tenant, in call order, and passes results and errors through', async () => {
    const locks = new TenantLocks();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = locks.run('t', async () => {
      log.push('a start');
      await gate;
      log.push('a end');
      return 1;
    });
    const b = locks.run('t', () => {
      log.push('b');
      return Promise.reject(new Error('boom'));
    });
    const c = locks.run('t', () => {
      log.push('c');
      return Promise.resolve(3);
    });
    const other = locks.run('u', () => {
      log.push('u');
      return Promise.resolve(0);
    });
    await other;
    await tick();
    expect(log).toEqual(['a start', 'u']);
    release();
    expect(await a).toBe(1);
    await expect(b).rejects.toThrow('boom');
    expect(await c).toBe(3);
    expect(log).toEqual(['a start', 'u', 'a end', 'b', 'c']);
    await locks.idle();
  });
});
