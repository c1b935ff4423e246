// Evaluates flow expressions (literals, {var}, {profile}) and `when` conditions against engine state.
import type { Condition, Expr } from './schema.ts';
import type { Json, ParamValue } from './types.ts';

export interface Scope {
  vars: Record<string, Json>;
  profile: Json;
}

/** Reads `a.b.0.c` from plain data; undefined when any part is missing. */
export function getPath(root: Json | undefined, path: string): Json | undefined {
  let current: Json | undefined = root;
  for (const part of path.split('.')) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      const index = Number(part);
      current = Number.isInteger(index) ? current[index] : undefined;
    } else {
      current = Object.hasOwn(current, part) ? current[part] : undefined;
    }
  }
  return current;
}

const UNSAFE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** Writes `a.b` into vars, creating objects on the way (the vars are the engine's private copy). */
export function setPath(root: Record<string, Json>, path: string, value: Json): void {
  const parts = path.split('.');
  if (parts.some((part) => UNSAFE_KEYS.has(part))) return;
  let target = root;
  for (const part of parts.slice(0, -1)) {
    const next = target[part];
    if (next !== null && next !== undefined && typeof next === 'object' && !Array.isArray(next)) {
      target = next;
    } else {
      const fresh: Record<string, Json> = {};
      target[part] = fresh;
      target = fresh;
    }
  }
  target[parts[parts.length - 1] ?? path] = value;
}

export function evalExpr(expr: Expr, scope: Scope): Json | undefined {
  if (expr === null || typeof expr !== 'object') return expr;
  if ('var' in expr) return getPath(scope.vars, expr.var);
  return getPath(scope.profile, expr.profile);
}

/** Output params: a missing value renders as an empty string rather than "undefined" or "null". */
export function evalParams(params: Record<string, Expr> | undefined, scope: Scope): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, expr] of Object.entries(params ?? {})) out[name] = evalExpr(expr, scope) ?? '';
  return out;
}

/** Values stored in vars or sent as action args: JSON has no undefined, so missing becomes null. */
export function evalValues(values: Record<string, Expr> | undefined, scope: Scope): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [name, expr] of Object.entries(values ?? {})) out[name] = evalExpr(expr, scope) ?? null;
  return out;
}

export function isEmptyValue(value: Json | undefined): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
}

/** A leaf with several tests needs all of them; a bare `{var}` means "is set". */
export function evalCondition(condition: Condition, scope: Scope): boolean {
  if ('all' in condition) return condition.all.every((c) => evalCondition(c, scope));
  if ('any' in condition) return condition.any.some((c) => evalCondition(c, scope));
  if ('not' in condition) return !evalCondition(condition.not, scope);
  const value = getPath(scope.vars, condition.var);
  const tests: boolean[] = [];
  if (condition.equals !== undefined) tests.push(jsonEqual(value, evalExpr(condition.equals, scope)));
  if (condition.in !== undefined) tests.push(condition.in.some((e) => jsonEqual(value, evalExpr(e, scope))));
  if (condition.exists !== undefined) tests.push(!isEmptyValue(value) === condition.exists);
  if (tests.length === 0) tests.push(!isEmptyValue(value));
  return tests.every(Boolean);
}
