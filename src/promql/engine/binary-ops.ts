/**
 * Value-level binary operators shared by the scalar, vector/scalar and vector/vector paths
 * (Prometheus' scalarBinop and vectorElemBinop), with Go's float semantics where JS differs.
 */
import type { BinaryOp } from '../ast.js';
import { execError } from './errors.js';

/** Comparison operators: filter, or 0/1 with `bool`. */
export const COMPARISON = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);
/** Arithmetic operators: their results lose the metric name. */
export const ARITHMETIC = new Set<BinaryOp>(['+', '-', '*', '/', '%', '^', 'atan2']);

/** Go's math.Mod: result has the sign of the dividend. */
function goMod(a: number, b: number): number {
  return a % b;
}

/** Go's math.Pow: unlike Math.pow, 1^y is 1 for every y and (-1)^±Inf is 1. */
export function goPow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

/** The value of `a op b` for arithmetic operators, or 1/0 for comparisons (scalarBinop). */
export function scalarBinop(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '^': return goPow(a, b);
    case '%': return goMod(a, b);
    case 'atan2': return Math.atan2(a, b);
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    case '<': return a < b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    default: throw execError(`operator "${op}" not allowed for Scalar operations`);
  }
}

/** Arithmetic gives its value; a comparison keeps the lhs value when true (vectorElemBinop). */
export function elemBinop(op: BinaryOp, a: number, b: number): [number, boolean] {
  if (COMPARISON.has(op)) return [a, scalarBinop(op, a, b) === 1];
  return [scalarBinop(op, a, b), true];
}
