import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStateStore } from './sqlite.js';
import { CHECKPOINT_IDLE_MS } from './sqlite-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'herald-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('SqliteStateStore writer thread', () => {
  it('keeps checkpoints off the commit path and checkpoints once idle', async () => {
    const path = join(dir, 'ckpt.db');
    const store = new SqliteStateStore(path);
    try {
      const value = 'x'.repeat(4096);
      const ops = Array.from({ length: 300 }, (_, i) => ({ op: 'put' as const, tenant: 't', kind: 'alert' as const, key: `k${i}`, value }));
      await store.write(ops);
      // ~1.2 MiB committed: still only in the WAL (SQLite's default would have checkpointed at 1,000 pages).
      expect(statSync(path).size).toBeLessThan(1024 * 1024);
      let size = 0;
      for (let waited = 0; waited < 5000 && size < 1024 * 1024; waited += 50) {
        await sleep(waited === 0 ? CHECKPOINT_IDLE_MS : 50);
        size = statSync(path).size;
      }
      expect(size).toBeGreaterThan(1024 * 1024);
      expect((await store.load('alert', 't')).length).toBe(300);
    } finally {
      await store.close();
    }
  });
});
