/**
 * Herald's model of the Go values a template sees. Strings, booleans and nil map to JS values;
 * Go ints are `bigint` and float64 `number` (so `1` and `1.0` print and compare as Go does);
 * `undefined` is Go's invalid reflect.Value (prints `<no value>`). Maps, structs, typed slices,
 * times and durations are classes carrying their Go type name for error messages.
 */
import type { GoTime } from './go-time.js';
import type { GoDuration } from './go-time.js';

/** A value with Go methods callable from templates (`.SortedPairs`, `.Firing`, `.Format`...). */
export interface GoMethod {
  readonly params: readonly ParamKind[];
  readonly variadic?: ParamKind;
  call(args: GoValue[]): GoValue;
}

export type ParamKind = 'string' | 'int' | 'float' | 'bool' | 'any' | 'time' | '[]string';

export class GoMap {
  constructor(
    readonly typeName: string,
    readonly entries: ReadonlyMap<string, GoValue>,
    /** The value a missing key reads as (missingkey=zero): "" for string maps. */
    readonly zero: GoValue,
    readonly methods: Readonly<Record<string, GoMethod>> = {},
    readonly stringer?: () => string,
  ) {}
}

export class GoStruct {
  constructor(
    readonly typeName: string,
    readonly fields: ReadonlyMap<string, GoValue>,
    readonly methods: Readonly<Record<string, GoMethod>> = {},
    readonly stringer?: () => string,
  ) {}
}

/** A slice with a Go type name and optional methods (template.Alerts has Firing/Resolved). */
export class GoSlice {
  constructor(
    readonly typeName: string,
    readonly items: readonly GoValue[],
    readonly methods: Readonly<Record<string, GoMethod>> = {},
    readonly stringer?: () => string,
  ) {}
}

/** html/template's typed strings: content that is already safe in its context. */
export class SafeContent {
  constructor(readonly kind: 'HTML' | 'URL' | 'JS' | 'CSS' | 'HTMLAttr', readonly value: string) {}
}

/** A function value (only from `call`-able data; Herald data has none, kept for completeness). */
export type GoValue =
  | string | bigint | number | boolean | null | undefined
  | GoMap | GoStruct | GoSlice | GoTime | GoDuration | SafeContent;

/** Go's type name as fmt's %T prints it (used in error texts). */
export function typeName(v: GoValue): string {
  if (v === undefined) return '<nil>';
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'string': return 'string';
    case 'bigint': return 'int';
    case 'number': return 'float64';
    case 'boolean': return 'bool';
  }
  if (v instanceof SafeContent) return 'template.' + v.kind;
  if (v instanceof GoMap || v instanceof GoStruct || v instanceof GoSlice) return v.typeName;
  if ('unixMs' in v) return 'time.Time';
  return 'time.Duration';
}

/** Go kinds, for the comparison rules of eq/lt. */
export type Kind = 'string' | 'int' | 'float' | 'bool' | 'nil' | 'invalid' | 'map' | 'struct' | 'slice' | 'other';

export function kindOf(v: GoValue): Kind {
  if (v === undefined) return 'invalid';
  if (v === null) return 'nil';
  switch (typeof v) {
    case 'string': return 'string';
    case 'bigint': return 'int';
    case 'number': return 'float';
    case 'boolean': return 'bool';
  }
  if (v instanceof SafeContent) return 'string';
  if (v instanceof GoMap) return 'map';
  if (v instanceof GoStruct) return 'struct';
  if (v instanceof GoSlice) return 'slice';
  if ('nanos' in v) return 'int';
  return 'struct';
}

/** text/template's truth: zero values are false. */
export function isTrue(v: GoValue): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'string': return v !== '';
    case 'bigint': return v !== 0n;
    case 'number': return v !== 0;
    case 'boolean': return v;
  }
  if (v instanceof SafeContent) return v.value !== '';
  if (v instanceof GoMap) return v.entries.size > 0;
  if (v instanceof GoSlice) return v.items.length > 0;
  if ('nanos' in v) return v.nanos !== 0n;
  return true;
}

/** Methods of a value, if any. */
export function methodsOf(v: GoValue): Readonly<Record<string, GoMethod>> | undefined {
  if (v instanceof GoMap || v instanceof GoStruct || v instanceof GoSlice) return v.methods;
  if (v !== null && typeof v === 'object' && 'methods' in v) return (v as { methods: Record<string, GoMethod> }).methods;
  return undefined;
}

/** A []string value. */
export function stringSlice(items: readonly string[]): GoSlice {
  return new GoSlice('[]string', items);
}

/** Reads a []string parameter; undefined when `v` is not one. */
export function asStringArray(v: GoValue): string[] | undefined {
  if (!(v instanceof GoSlice)) return undefined;
  if (v.typeName !== '[]string') return undefined;
  return v.items as string[];
}
