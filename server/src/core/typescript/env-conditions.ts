// Reads a TypeScript/JavaScript condition as a function of NODE_ENV: `process.env.NODE_ENV === "test"`,
// `env !== "production"` (env bound to NODE_ENV or named like it), `isTest`, `import.meta.env.PROD`,
// `process.env.VITEST`, `["development", "test"].includes(process.env.NODE_ENV)`, and !/&&/|| of those.

import { and, envIn, not, or, unknownCondition, type EnvCondition } from '../envfork/model';
import type { SyntaxNode } from '../parser';
import { field, namedChildren } from '../tree';

const ENV_VARIABLE_NAMES = new Set(['env', 'nodeEnv', 'NODE_ENV', 'environment', 'appEnv', 'APP_ENV', 'ENV', 'runtimeEnv', 'mode']);
const ENV_KEYS = new Set(['NODE_ENV', 'APP_ENV']);

/** Flag names that mean "we are in environment X". */
const FLAG_ENVS: [RegExp, string[]][] = [
  [/^(is|in)(test|testing|testenv)$/i, ['test']],
  [/^is(prod|production)(env)?$/i, ['production']],
  [/^is(dev|development)(env)?$/i, ['development']],
];

export function unwrapTs(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (;;) {
    if (n.type === 'parenthesized_expression' || n.type === 'non_null_expression' || n.type === 'await_expression') {
      const inner = namedChildren(n)[0];
      if (!inner) return n;
      n = inner;
    } else if (n.type === 'as_expression' || n.type === 'satisfies_expression' || n.type === 'type_assertion') {
      const inner = namedChildren(n)[0];
      if (!inner) return n;
      n = inner;
    } else return n;
  }
}

/** `process.env.X` / `process.env["X"]` / `import.meta.env.X` → X. */
export function envKeyOf(node: SyntaxNode): string | undefined {
  const n = unwrapTs(node);
  let object: SyntaxNode | undefined;
  let key: string | undefined;
  if (n.type === 'member_expression') {
    object = field(n, 'object');
    key = field(n, 'property')?.text;
  } else if (n.type === 'subscript_expression') {
    object = field(n, 'object');
    const idx = field(n, 'index');
    key = idx && idx.type === 'string' ? stringValue(idx) : undefined;
  }
  if (!object || key === undefined) return undefined;
  const o = unwrapTs(object);
  if (o.type !== 'member_expression' || field(o, 'property')?.text !== 'env') return undefined;
  const root = field(o, 'object');
  if (root?.text === 'process' || root?.type === 'meta_property' || root?.text === 'import.meta') return key;
  return undefined;
}

export function stringValue(node: SyntaxNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string') {
    const parts = namedChildren(node);
    if (parts.length === 0) return '';
    return parts.length === 1 && parts[0]?.type === 'string_fragment' ? parts[0].text : undefined;
  }
  if (node.type === 'template_string' && namedChildren(node).every((c) => c.type === 'string_fragment')) {
    return node.text.slice(1, -1);
  }
  return undefined;
}

export class TsConditions {
  /** `const x = …` initialisers in the file, for following `isTest` and `env` to their definition. */
  readonly bindings = new Map<string, SyntaxNode>();
  readonly custom = new Set<string>();
  /** Told of every custom name noted and every binding looked up (incremental analysis attributes them). */
  onNote?: (name: string) => void;
  onLookup?: (name: string) => void;
  private readonly cache = new Map<number, EnvCondition>();

  condition(node: SyntaxNode, depth = 0): EnvCondition {
    const cached = this.cache.get(node.id);
    if (cached) return cached;
    const c = this.build(node, depth);
    this.cache.set(node.id, c);
    return c;
  }

  /** Whether an expression is the environment's name (`process.env.NODE_ENV`, or `env` bound to it). */
  isEnvName(node: SyntaxNode, depth = 0): boolean {
    const n = unwrapTs(node);
    const key = envKeyOf(n);
    if (key !== undefined) return ENV_KEYS.has(key) || key === 'MODE';
    if (n.type === 'identifier') {
      const bound = this.bound(n.text);
      if (bound && depth < 4) return this.isEnvName(bound, depth + 1);
      return !bound && ENV_VARIABLE_NAMES.has(n.text);
    }
    if (n.type === 'binary_expression' && (field(n, 'operator')?.type === '??' || field(n, 'operator')?.type === '||')) {
      const left = field(n, 'left');
      return !!left && this.isEnvName(left, depth + 1);
    }
    return false;
  }

  private note(name: string): void {
    if (!['development', 'test', 'production'].includes(name) && /^[a-z][a-z0-9_-]*$/.test(name)) {
      this.custom.add(name);
      this.onNote?.(name);
    }
  }

  private bound(name: string): SyntaxNode | undefined {
    this.onLookup?.(name);
    return this.bindings.get(name);
  }

  private build(node: SyntaxNode, depth: number): EnvCondition {
    const n = unwrapTs(node);
    switch (n.type) {
      case 'unary_expression': {
        const arg = field(n, 'argument');
        return field(n, 'operator')?.type === '!' && arg ? not(this.condition(arg, depth)) : unknownCondition;
      }
      case 'binary_expression': {
        const op = field(n, 'operator')?.type;
        const left = field(n, 'left');
        const right = field(n, 'right');
        if (!left || !right) return unknownCondition;
        if (op === '&&') return and(this.condition(left, depth), this.condition(right, depth));
        if (op === '||') return or(this.condition(left, depth), this.condition(right, depth));
        if (op === '===' || op === '==' || op === '!==' || op === '!=') {
          const cond = this.comparison(left, right) ?? this.comparison(right, left);
          if (!cond) return unknownCondition;
          return op.startsWith('!') ? not(cond) : cond;
        }
        return unknownCondition;
      }
      case 'identifier':
      case 'member_expression': {
        const key = envKeyOf(n);
        if (key === 'VITEST' || key === 'JEST_WORKER_ID') return envIn(['test']);
        if (key === 'PROD') return envIn(['production']);
        if (n.type === 'identifier') {
          const bound = this.bound(n.text);
          if (bound && depth < 4) return this.condition(bound, depth + 1);
        }
        const name = n.type === 'identifier' ? n.text : field(n, 'property')?.text ?? '';
        for (const [re, envs] of FLAG_ENVS) if (re.test(name.replace(/_/g, ''))) return envIn(envs);
        return unknownCondition;
      }
      case 'call_expression': {
        // ["development", "test"].includes(process.env.NODE_ENV)
        const fn = field(n, 'function');
        const args = field(n, 'arguments');
        const arg = args ? namedChildren(args)[0] : undefined;
        if (fn?.type !== 'member_expression' || field(fn, 'property')?.text !== 'includes' || !arg || !this.isEnvName(arg)) return unknownCondition;
        const list = field(fn, 'object');
        if (list?.type !== 'array') return unknownCondition;
        const names = namedChildren(list).map(stringValue);
        if (names.some((s) => s === undefined)) return unknownCondition;
        names.forEach((s) => this.note(s as string));
        return envIn(names as string[]);
      }
      default:
        return unknownCondition;
    }
  }

  private comparison(envSide: SyntaxNode, literalSide: SyntaxNode): EnvCondition | undefined {
    if (!this.isEnvName(envSide)) return undefined;
    const s = stringValue(unwrapTs(literalSide));
    if (s === undefined) return undefined;
    this.note(s);
    return envIn([s]);
  }
}
