/** Functions the engine evaluates itself (kind 'engine' in the kernel registry). */
import type { FunctionImpl } from '../functions/types.js';

const ENGINE: FunctionImpl = { kind: 'engine' };

/** Always present, whatever kernel map the engine is given. */
export const ENGINE_FUNCTIONS: ReadonlyMap<string, FunctionImpl> = new Map(
  ['time', 'vector', 'scalar', 'timestamp', 'absent', 'absent_over_time', 'info'].map((n) => [n, ENGINE]),
);
