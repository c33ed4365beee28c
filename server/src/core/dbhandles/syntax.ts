// Small readers over tree-sitter-typescript nodes used by the handle analysis.

import type { SyntaxNode } from '../parser';
import { field, namedChildren } from '../tree';
import { stringValue, unwrapTs } from '../typescript/env-conditions';

export function argsOf(call: SyntaxNode): SyntaxNode[] {
  const args = field(call, 'arguments');
  return args && args.type === 'arguments' ? namedChildren(args) : [];
}

export function argAt(call: SyntaxNode, i: number): SyntaxNode | undefined {
  const a = argsOf(call)[i];
  return a ? unwrapTs(a) : undefined;
}

export function firstArg(call: SyntaxNode): SyntaxNode | undefined {
  return argAt(call, 0);
}

/** The value of `key` in an object literal (`{ key: v }` or shorthand `{ key }`). */
export function objectProperty(obj: SyntaxNode, key: string): SyntaxNode | undefined {
  for (const c of namedChildren(obj)) {
    if (c.type === 'pair') {
      const k = field(c, 'key');
      const name = k?.type === 'string' ? stringValue(k) : k?.text;
      if (name === key) {
        const v = field(c, 'value');
        return v ? unwrapTs(v) : undefined;
      }
    } else if (c.type === 'shorthand_property_identifier' && c.text === key) return c;
  }
  return undefined;
}

export function numberValue(node: SyntaxNode): number | undefined {
  const n = unwrapTs(node);
  return n.type === 'number' ? Number(n.text.replace(/_/g, '')) : undefined;
}

export const FUNCTION_TYPES = new Set(['arrow_function', 'function_expression', 'function_declaration', 'method_definition', 'generator_function_declaration', 'function']);

export function isFunction(node: SyntaxNode): boolean {
  return FUNCTION_TYPES.has(node.type);
}

/** Parameter names in order (destructured parameters yield undefined at their index). */
export function parameterNames(fn: SyntaxNode): (string | undefined)[] {
  const single = field(fn, 'parameter');
  if (single) return [single.text];
  const params = field(fn, 'parameters');
  if (!params) return [];
  return namedChildren(params).map((p) => {
    const pattern = field(p, 'pattern') ?? (p.type === 'identifier' ? p : undefined);
    return pattern?.type === 'identifier' ? pattern.text : undefined;
  });
}

/** The method name of `x.m(...)` and its receiver. */
export function memberCall(call: SyntaxNode): { object: SyntaxNode; method: string } | undefined {
  const fn = field(call, 'function');
  if (!fn) return undefined;
  const callee = unwrapTs(fn);
  if (callee.type !== 'member_expression') return undefined;
  const object = field(callee, 'object');
  const method = field(callee, 'property')?.text;
  return object && method ? { object, method } : undefined;
}

/** SQL text of a string, template (substitutions become `$n`) or `+` concatenation. */
export function sqlText(node: SyntaxNode): string | undefined {
  const n = unwrapTs(node);
  if (n.type === 'string') return stringValue(n) ?? n.text.slice(1, -1);
  if (n.type === 'template_string') {
    let i = 0;
    return namedChildren(n)
      .map((c) => (c.type === 'template_substitution' ? `$${++i}` : c.text))
      .join('');
  }
  if (n.type === 'binary_expression' && field(n, 'operator')?.text === '+') {
    const l = field(n, 'left');
    const r = field(n, 'right');
    return `${(l && sqlText(l)) ?? '$x'}${(r && sqlText(r)) ?? '$x'}`;
  }
  return undefined;
}

/** Pre-order walk that does not descend into nodes for which `skip` is true. */
export function forEachDescendant(root: SyntaxNode, visit: (n: SyntaxNode) => void, skip?: (n: SyntaxNode) => boolean): void {
  const stack: SyntaxNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    visit(n);
    if (n !== root && skip?.(n)) continue;
    const kids = n.namedChildren;
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i];
      if (k) stack.push(k);
    }
  }
}
