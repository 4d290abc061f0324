/** An in-memory file system for unit-test runs in tests: paths -> file texts; directories implied. */
import type { UnitTestFs } from './runner.js';

export function memoryFs(files: Readonly<Record<string, string>>): UnitTestFs {
  const dirs = new Map<string, Set<string>>();
  for (const path of Object.keys(files)) {
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const dir = i === 1 ? '.' : parts.slice(0, i - 1).join('/') || '/';
      const set = dirs.get(dir) ?? new Set<string>();
      set.add(parts[i - 1] as string);
      dirs.set(dir, set);
    }
  }
  return {
    readFile(path) {
      const text = files[path];
      if (text === undefined) throw new Error(`open ${path}: no such file or directory`);
      return text;
    },
    readDir: (dir) => {
      const set = dirs.get(dir);
      return set ? [...set] : undefined;
    },
    exists: (path) => path in files || dirs.has(path),
  };
}
