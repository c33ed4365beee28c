// What a TypeScript/JavaScript expression evaluates to in one NODE_ENV: undefined/null, a literal
// dummy, a secret lookup (process.env, a secrets client call), something else, or unknown.

import type { Lookup } from '../envfork/model';
import type { Evaluated } from '../envfork/resolve';
import type { SyntaxNode } from '../parser';
import { isPrintableKey } from '../secrets/vocabulary';
import { field, namedChildren } from '../tree';
import { envKeyOf, stringValue, unwrapTs, type TsConditions } from './env-conditions';

const LITERALS = new Set(['string', 'template_string', 'number', 'true', 'false', 'object', 'array', 'regex']);

export class TsValues {
  constructor(private readonly conditions: TsConditions) {}

  evaluate(node: SyntaxNode, env: string): Evaluated {
    const n = unwrapTs(node);
    switch (n.type) {
      case 'undefined':
      case 'null':
        return { value: { kind: 'nil', node: n } };
      case 'identifier':
        if (n.text === 'undefined') return { value: { kind: 'nil', node: n } };
        return { value: { kind: 'other', node: n } };
      case 'unary_expression':
        if (field(n, 'operator')?.type === 'void') return { value: { kind: 'nil', node: n } };
        return { value: { kind: 'other', node: n } };
      case 'ternary_expression': {
        const cond = field(n, 'condition');
        const taken = cond ? this.conditions.condition(cond)(env) : undefined;
        if (taken === undefined) return { value: { kind: 'unknown', node: n } };
        const branch = field(n, taken ? 'consequence' : 'alternative');
        if (!branch) return { value: { kind: 'unknown', node: n } };
        const inner = this.evaluate(branch, env);
        return { ...inner, fork: inner.fork ?? n };
      }
      case 'binary_expression': {
        const op = field(n, 'operator')?.type;
        const left = field(n, 'left');
        const right = field(n, 'right');
        if (!left || !right) return { value: { kind: 'unknown', node: n } };
        if (op === '??' || op === '||') {
          const l = this.evaluate(left, env);
          if (l.value.kind === 'dummy') return l;
          if (l.value.kind === 'nil') return this.evaluate(right, env);
          const r = this.evaluate(right, env);
          const envOperand = l.value.lookup?.source === 'env' ? unwrapTs(left) : l.envOperand;
          return { ...r, ...(envOperand ? { envOperand } : {}) };
        }
        if (op === '+' && LITERALS.has(unwrapTs(left).type)) return { value: { kind: 'dummy', node: n } };
        return { value: { kind: 'other', node: n } };
      }
      case 'member_expression':
      case 'subscript_expression':
      case 'call_expression': {
        // Keep the original node (with `await`, casts) so the fix reuses the expression as written.
        const lookup = tsLookup(n);
        if (lookup) return { value: { kind: 'lookup', node, lookup } };
        if (n.type === 'call_expression' && /\.repeat$/.test(field(n, 'function')?.text ?? '')) return { value: { kind: 'dummy', node: n } };
        return { value: { kind: 'other', node } };
      }
      default:
        if (LITERALS.has(n.type)) return { value: { kind: 'dummy', node: n } };
        return { value: { kind: 'other', node: n } };
    }
  }
}

/** `process.env.X`, `secrets.get("stripe")`, `await getSecret("stripe_api_key")`, `config.get("stripe.apiKey")`. */
export function tsLookup(node: SyntaxNode): Lookup | undefined {
  const n = unwrapTs(node);
  const key = envKeyOf(n);
  if (key !== undefined) {
    if (!isPrintableKey(key)) return undefined;
    return { source: 'env', path: [key], display: `process.env.${key}` };
  }
  if (n.type !== 'call_expression') return undefined;
  const fn = field(n, 'function');
  const args = field(n, 'arguments');
  if (!fn || !args) return undefined;
  // Only simple callees (a.b.c or a name) are rendered; anything else is not a recognisable lookup.
  if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(fn.text)) return undefined;
  if (!/(secret|vault|config|env|param|credential|get|fetch|read|load)/i.test(fn.text)) return undefined;
  const first = namedChildren(args)[0];
  const k = stringValue(first);
  if (k === undefined || !isPrintableKey(k)) return undefined;
  const path = k.split(/[./:]/).filter(Boolean);
  return { source: 'call', path, display: `${fn.text}(${JSON.stringify(k)})` };
}
