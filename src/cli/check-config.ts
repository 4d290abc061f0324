/**
 * `herald check-config FILE...`: validates Alertmanager config files as `amtool check-config`
 * does, printing every issue as `FILE: line L, column C: message`.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../alertmanager/config/index.js';
import { formatIssue, sortIssues } from '../core/result.js';
import type { Output } from './output.js';

/** Returns the exit code: 0 when every file is valid, 1 otherwise. */
export function checkConfig(files: readonly string[], out: Output): number {
  let failed = false;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      out.err(`${file}: ${e instanceof Error ? e.message : String(e)}`);
      failed = true;
      continue;
    }
    const r = loadConfig(text);
    if (!r.ok) {
      failed = true;
      for (const i of sortIssues(r.issues)) out.err(formatIssue(i, file));
      continue;
    }
    const c = r.value;
    out.out(`Checking '${file}'  SUCCESS`);
    out.out('Found:');
    out.out(' - global config');
    out.out(' - route');
    out.out(` - ${c.inhibitRules.length} inhibit rules`);
    out.out(` - ${c.receivers.length} receivers`);
    out.out(` - ${c.templates.length} templates`);
    out.out('');
  }
  return failed ? 1 : 0;
}
