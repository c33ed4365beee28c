// Reads a Ruby condition as a function of the Rails environment:
// `Rails.env.test?`, `Rails.env.local?`, `Rails.env == "test"`, `ENV["RAILS_ENV"] != "production"`,
// `%w[development test].include?(Rails.env)`, `Rails.env.in?(...)`, and !/not/&&/||/and/or of those.

import { and, envIn, not, or, unknownCondition, type EnvCondition } from '../envfork/model';
import type { SyntaxNode } from '../parser';
import { binaryOperator, callParts, field, isConstant, literalList, literalString, namedChildren, unparen } from './syntax';

const LOCAL_ENVS = ['development', 'test'];

/** Collects environment names the file mentions beyond development/test/production (staging, qa). */
export class EnvNames {
  readonly custom = new Set<string>();
  /** Told of every custom name noted, even one already known (incremental analysis attributes them). */
  onNote?: (name: string) => void;
  note(name: string): void {
    if (name !== 'development' && name !== 'test' && name !== 'production' && /^[a-z][a-z0-9_]*$/.test(name)) {
      this.custom.add(name);
      this.onNote?.(name);
    }
  }
}

/** `Rails.env`, `::Rails.env`, `Rails.env.to_s`, `ENV["RAILS_ENV"]`, `ENV.fetch("RAILS_ENV", …)`. */
export function isEnvName(node: SyntaxNode): boolean {
  const n = unparen(node);
  if (n.type === 'call') {
    const { receiver, method, args } = callParts(n);
    if (method === 'env' && isConstant(receiver, 'Rails') && args.length === 0) return true;
    if ((method === 'to_s' || method === 'to_sym') && receiver && isEnvName(receiver)) return true;
    if (method === 'fetch' && isConstant(receiver, 'ENV')) return isRailsEnvKey(args[0]);
    return false;
  }
  if (n.type === 'element_reference') {
    const obj = field(n, 'object');
    const key = namedChildren(n).find((c) => !obj || c.id !== obj.id);
    return isConstant(obj, 'ENV') && isRailsEnvKey(key);
  }
  return false;
}

function isRailsEnvKey(node: SyntaxNode | undefined): boolean {
  const s = literalString(node);
  return s === 'RAILS_ENV' || s === 'RACK_ENV';
}

/** Builds the condition; anything not decided by the environment alone is unknown. */
export function envCondition(node: SyntaxNode, names: EnvNames): EnvCondition {
  const n = unparen(node);
  switch (n.type) {
    case 'call':
      return callCondition(n, names);
    case 'unary': {
      const op = field(n, 'operator')?.type;
      const operand = field(n, 'operand');
      if ((op === '!' || op === 'not') && operand) return not(envCondition(operand, names));
      return unknownCondition;
    }
    case 'binary': {
      const op = binaryOperator(n);
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (!left || !right) return unknownCondition;
      if (op === '&&' || op === 'and') return and(envCondition(left, names), envCondition(right, names));
      if (op === '||' || op === 'or') return or(envCondition(left, names), envCondition(right, names));
      if (op === '==' || op === '!=' || op === '===') {
        const cond = comparison(left, right, names) ?? comparison(right, left, names);
        if (!cond) return unknownCondition;
        return op === '!=' ? not(cond) : cond;
      }
      return unknownCondition;
    }
    default:
      return unknownCondition;
  }
}

function comparison(envSide: SyntaxNode, literalSide: SyntaxNode, names: EnvNames): EnvCondition | undefined {
  if (!isEnvName(envSide)) return undefined;
  const s = literalString(unparen(literalSide));
  if (s === undefined) return undefined;
  names.note(s);
  return envIn([s]);
}

function callCondition(n: SyntaxNode, names: EnvNames): EnvCondition {
  const { receiver, method, args } = callParts(n);
  if (!method) return unknownCondition;
  if (receiver && isEnvName(receiver)) {
    if (method === 'in?') {
      const list = literalList(args[0] && unparen(args[0])) ?? literalArgs(args);
      if (!list) return unknownCondition;
      list.forEach((s) => names.note(s));
      return envIn(list);
    }
    if (method === 'local?') return envIn(LOCAL_ENVS);
    if (method.endsWith('?') && args.length === 0) {
      const env = method.slice(0, -1);
      names.note(env);
      return envIn([env]);
    }
    if (method === 'eql?' || method === 'equal?') {
      const s = literalString(args[0]);
      if (s === undefined) return unknownCondition;
      names.note(s);
      return envIn([s]);
    }
    return unknownCondition;
  }
  // %w[development test].include?(Rails.env)
  if ((method === 'include?' || method === 'member?') && receiver && args.length === 1 && args[0] && isEnvName(args[0])) {
    const list = literalList(unparen(receiver));
    if (!list) return unknownCondition;
    list.forEach((s) => names.note(s));
    return envIn(list);
  }
  return unknownCondition;
}

function literalArgs(args: SyntaxNode[]): string[] | undefined {
  const out: string[] = [];
  for (const a of args) {
    const s = literalString(a);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out.length ? out : undefined;
}
