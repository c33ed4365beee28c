// What a Ruby expression evaluates to in one environment, as far as the syntax decides:
// nil, a literal dummy, a secret lookup (Chamber, credentials, ENV), something else, or unknown.

import type { EnvCondition, Lookup } from '../envfork/model';
import type { Evaluated } from '../envfork/resolve';
import type { SyntaxNode } from '../parser';
import { isPrintableKey } from '../secrets/vocabulary';
import { envCondition, isEnvName, type EnvNames } from './env-conditions';
import { binaryOperator, callParts, field, isConstant, literalString, namedChildren, same, unparen } from './syntax';


/** Methods after `ENV["X"]` that keep it the variable's value. */
const ENV_PASSTHROUGH = new Set(['presence', 'to_s', 'strip', 'freeze']);

const LITERAL_TYPES = new Set(['string', 'integer', 'float', 'simple_symbol', 'delimited_symbol', 'true', 'false', 'array', 'hash', 'string_array', 'symbol_array', 'heredoc_beginning', 'rational']);

/** Conditions are built once per node and cached, since each is evaluated in every environment. */
export class RubyValues {
  private readonly conditions = new Map<number, EnvCondition>();
  constructor(private readonly names: EnvNames) {}

  condition(node: SyntaxNode): EnvCondition {
    let c = this.conditions.get(node.id);
    if (!c) {
      c = envCondition(node, this.names);
      this.conditions.set(node.id, c);
    }
    return c;
  }

  evaluate(node: SyntaxNode, env: string): Evaluated {
    const n = unparen(node);
    switch (n.type) {
      case 'nil':
        return { value: { kind: 'nil', node: n } };
      case 'conditional':
        return this.branch(n, field(n, 'condition'), field(n, 'consequence'), field(n, 'alternative'), env, false);
      case 'if':
      case 'unless':
        return this.ifValue(n, env);
      case 'case':
        return this.caseValue(n, env);
      case 'begin':
      case 'parenthesized_statements': {
        const last = namedChildren(n).at(-1);
        return last ? this.evaluate(last, env) : { value: { kind: 'nil', node: n } };
      }
      case 'binary':
        return this.binary(n, env);
      case 'element_reference':
      case 'call': {
        const lookup = rubyLookup(n);
        if (lookup) return { value: { kind: 'lookup', node: n, lookup } };
        if (n.type === 'call' && isDummyCall(n)) return { value: { kind: 'dummy', node: n } };
        return { value: { kind: 'other', node: n } };
      }
      default:
        if (LITERAL_TYPES.has(n.type)) return { value: { kind: 'dummy', node: n } };
        if (n.type === 'identifier' || n.type === 'constant' || n.type === 'scope_resolution' || n.type === 'instance_variable') {
          return { value: { kind: 'other', node: n } };
        }
        return { value: { kind: 'unknown', node: n } };
    }
  }

  private branch(
    n: SyntaxNode,
    cond: SyntaxNode | undefined,
    whenTrue: SyntaxNode | undefined,
    whenFalse: SyntaxNode | undefined,
    env: string,
    negate: boolean,
  ): Evaluated {
    if (!cond) return { value: { kind: 'unknown', node: n } };
    let taken = this.condition(cond)(env);
    if (taken === undefined) return { value: { kind: 'unknown', node: n } };
    if (negate) taken = !taken;
    const chosen = taken ? whenTrue : whenFalse;
    // An `if` used as a value with no else is nil when the condition fails.
    const inner = chosen ? this.evaluate(chosen, env) : { value: { kind: 'nil' as const, node: n } };
    return { ...inner, fork: inner.fork ?? n };
  }

  private ifValue(n: SyntaxNode, env: string): Evaluated {
    const alt = field(n, 'alternative');
    let whenFalse: SyntaxNode | undefined = alt;
    // `else` wraps its statements; `elsif` is itself an if-like node.
    if (alt?.type === 'else') whenFalse = lastStatement(alt);
    const cons = field(n, 'consequence');
    const whenTrue = cons ? lastStatement(cons) : undefined;
    if (alt?.type === 'elsif') {
      const cond = field(n, 'condition');
      if (!cond) return { value: { kind: 'unknown', node: n } };
      const taken = this.condition(cond)(env);
      if (taken === undefined) return { value: { kind: 'unknown', node: n } };
      const inner = taken ? (whenTrue ? this.evaluate(whenTrue, env) : { value: { kind: 'nil' as const, node: n } }) : this.ifValue(alt, env);
      return { ...inner, fork: inner.fork ?? n };
    }
    return this.branch(n, field(n, 'condition'), whenTrue, whenFalse, env, n.type === 'unless');
  }

  private caseValue(n: SyntaxNode, env: string): Evaluated {
    const subject = field(n, 'value');
    if (!subject || !isEnvName(subject)) return { value: { kind: 'other', node: n } };
    for (const clause of namedChildren(n)) {
      if (clause.type === 'when') {
        const patterns = clause.childrenForFieldName('pattern').filter((p): p is SyntaxNode => p !== null);
        const names = patterns.map((p) => literalString(namedChildren(p)[0] ?? p));
        if (names.some((s) => s === undefined)) return { value: { kind: 'unknown', node: n } };
        names.forEach((s) => this.names.note(s as string));
        if (names.includes(env)) {
          const body = field(clause, 'body');
          const last = body ? lastStatement(body) : undefined;
          const inner = last ? this.evaluate(last, env) : { value: { kind: 'nil' as const, node: n } };
          return { ...inner, fork: inner.fork ?? n };
        }
      } else if (clause.type === 'else') {
        const last = lastStatement(clause);
        const inner = last ? this.evaluate(last, env) : { value: { kind: 'nil' as const, node: n } };
        return { ...inner, fork: inner.fork ?? n };
      }
    }
    return { value: { kind: 'nil', node: n }, fork: n };
  }

  private binary(n: SyntaxNode, env: string): Evaluated {
    const op = binaryOperator(n);
    const left = field(n, 'left');
    const right = field(n, 'right');
    if (!left || !right) return { value: { kind: 'unknown', node: n } };
    if (op === '||' || op === 'or') {
      const l = this.evaluate(left, env);
      if (l.value.kind === 'dummy') return l;
      if (l.value.kind === 'nil') return this.evaluate(right, env);
      // A lookup on the left may be unset, so the right side is what the fork decides.
      const r = this.evaluate(right, env);
      // `credentials.dig(:admin, :password) || ""`: a literal fallback, no fork; the lookup still runs here.
      if (l.value.kind === 'lookup' && r.value.kind === 'dummy' && !r.fork) return l;
      const envOperand = l.value.lookup?.source === 'env' ? unparen(left) : l.envOperand;
      // The right side's value is what the fork decides; the ENV operand is kept by the fix.
      return { ...r, ...(envOperand ? { envOperand } : {}) };
    }
    // "0" * 64, "a" + "b"
    if ((op === '*' || op === '+') && LITERAL_TYPES.has(unparen(left).type)) return { value: { kind: 'dummy', node: n } };
    return { value: { kind: 'other', node: n } };
  }
}

function lastStatement(block: SyntaxNode): SyntaxNode | undefined {
  return namedChildren(block).at(-1);
}

function isDummyCall(n: SyntaxNode): boolean {
  const { receiver, method } = callParts(n);
  return isConstant(receiver, 'SecureRandom') || (method === 'freeze' && !!receiver && LITERAL_TYPES.has(unparen(receiver).type));
}

/**
 * `Chamber.dig(:a, :b)`, `Chamber[:a][:b]`, `Rails.application.credentials.dig(:a, :b)`,
 * `Rails.application.credentials.a[:b]`, `ENV["X"]`, `ENV.fetch("X", nil)`.
 */
export function rubyLookup(node: SyntaxNode): Lookup | undefined {
  const chain: { name?: string; keys: (string | undefined)[] }[] = [];
  let n: SyntaxNode | undefined = unparen(node);
  // Walk the receiver chain from the outside in, collecting method names and literal keys.
  while (n) {
    if (n.type === 'call') {
      const { receiver, method, args } = callParts(n);
      chain.unshift({ ...(method ? { name: method } : {}), keys: args.map((a) => literalString(a)) });
      n = receiver;
    } else if (n.type === 'element_reference') {
      const obj = field(n, 'object');
      const keys = namedChildren(n).filter((c) => !same(c, obj));
      chain.unshift({ name: '[]', keys: keys.map((k) => literalString(k)) });
      n = obj;
    } else break;
  }
  if (!n) return undefined;
  if (isConstant(n, 'ENV')) {
    const first = chain[0];
    if (!first || (first.name !== '[]' && first.name !== 'fetch')) return undefined;
    const key = first.keys[0];
    // `ENV["X"].presence` is still the variable (nil when unset or blank).
    const rest = chain.slice(1);
    if (key === undefined || !isPrintableKey(key) || rest.some((c) => !ENV_PASSTHROUGH.has(c.name ?? '') || c.keys.length > 0)) return undefined;
    return { source: 'env', path: [key], display: `ENV["${key}"]` };
  }
  if (isConstant(n, 'Chamber')) {
    const path = keysOf(chain, ['dig', 'dig!', '[]', 'fetch', 'env']);
    if (!path) return undefined;
    return { source: 'chamber', path, display: `Chamber.dig(${path.map((k) => `:${k}`).join(', ')})` };
  }
  // Rails.application.credentials... / Rails.application.secrets...
  if (isConstant(n, 'Rails')) {
    const idx = chain.findIndex((c) => c.name === 'credentials' || c.name === 'secrets');
    if (idx < 1 || chain[idx - 1]?.name !== 'application') return undefined;
    const path = keysOf(chain.slice(idx + 1), ['dig', 'dig!', '[]', 'fetch', 'fetch!']);
    if (!path) return undefined;
    const via = chain[idx]?.name ?? 'credentials';
    return { source: 'credentials', path, display: `Rails.application.${via}.dig(${path.map((k) => `:${k}`).join(', ')})` };
  }
  return undefined;
}

/** Key path of `dig(:a, :b)`, `[:a][:b]`, `.a.b`, `.a!`; undefined when a key is not a printable literal. */
function keysOf(chain: { name?: string; keys: (string | undefined)[] }[], accessors: string[]): string[] | undefined {
  const path: string[] = [];
  for (const link of chain) {
    if (!link.name) return undefined;
    if (accessors.includes(link.name)) {
      if (link.name === 'env') continue;
      // fetch(:key, default): only the key counts; never the default.
      const keys = link.name.startsWith('fetch') ? link.keys.slice(0, 1) : link.keys;
      for (const k of keys) {
        if (k === undefined || !isPrintableKey(k)) return undefined;
        path.push(k);
      }
    } else if (/^[a-z_][a-z0-9_]*!?$/.test(link.name) && link.keys.length === 0) {
      path.push(link.name.replace(/!$/, ''));
    } else if (link.name === 'try' || link.name === 'presence' || link.name === 'to_s') {
      const k = link.keys[1] ?? link.keys[0];
      if (link.name === 'try' && k !== undefined && isPrintableKey(k) && k !== 'fetch') path.push(k);
    } else return undefined;
  }
  return path.length ? path : undefined;
}
