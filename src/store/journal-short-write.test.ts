import * as realFs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// The first write of a batch's text stops halfway, as a write(2) may on a full or interrupted
// device; the journal must carry on from the right byte.
let shortNext = false;
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof realFs>();
  const writeSync = ((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]): number => {
    if (shortNext && typeof data === 'string') {
      shortNext = false;
      const bytes = Buffer.from(data, 'utf8');
      return fs.writeSync(fd, bytes, 0, Math.floor(bytes.length / 2));
    }
    return (fs.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
  }) as typeof fs.writeSync;
  return { ...fs, writeSync, default: { ...fs, writeSync } };
});

const { JournalStateStore } = await import('./journal.js');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('JournalStateStore and short writes', () => {
  it('writes the rest of a batch after a short write, so a reopened journal has every record', async () => {
    const d = mkdtempSync(join(tmpdir(), 'herald-journal-short-'));
    dirs.push(d);
    const a = new JournalStateStore(d);
    await a.write([{ op: 'put', tenant: 't', kind: 'alert', key: 'a', value: 'ü'.repeat(50) }]);
    shortNext = true;
    await a.write([
      { op: 'put', tenant: 't', kind: 'alert', key: 'b', value: 'x'.repeat(500) },
      { op: 'put', tenant: 't', kind: 'alert', key: 'c', value: 'ï'.repeat(300) },
    ]);
    expect(shortNext).toBe(false);
    await a.write([{ op: 'put', tenant: 't', kind: 'alert', key: 'd', value: '1' }]);
    const b = new JournalStateStore(d);
    expect((await b.load('alert')).map((r) => `${r.key}:${r.value.length}`)).toEqual(['a:50', 'b:500', 'c:300', 'd:1']);
    expect(realFs.statSync(join(d, 'journal.00000001')).size).toBeGreaterThan(1000);
  });
});
