/** Test doubles for the audit log's tests: a settable clock and a logger that keeps every call. */
import type { Clock, Logger } from '../core/runtime.js';

/** A clock whose time tests set; timers are not used by the audit log. */
export class SetClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  schedule(): never {
    throw new Error('SetClock: timers are not supported');
  }
  sleep(): never {
    throw new Error('SetClock: timers are not supported');
  }
}

export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly bindings: Record<string, unknown>;
  readonly obj: Record<string, unknown>;
  readonly msg: string | undefined;
}

/** A Logger that records each call with the bindings of its children. */
export function recordingLogger(lines: LoggedLine[] = [], bindings: Record<string, unknown> = {}): Logger & { lines: LoggedLine[] } {
  const at =
    (level: LoggedLine['level']) =>
    (o: object | string, msg?: string): void => {
      lines.push(typeof o === 'string' ? { level, bindings, obj: {}, msg: o } : { level, bindings, obj: o as Record<string, unknown>, msg });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (b) => recordingLogger(lines, { ...bindings, ...b }),
  };
}
