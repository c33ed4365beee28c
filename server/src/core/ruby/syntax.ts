// Small helpers over tree-sitter-ruby nodes.

import type { SyntaxNode } from '../parser';
import { field, namedChildren } from '../tree';

export { field, namedChildren, same } from '../tree';

export function isConstant(node: SyntaxNode | undefined, name: string): boolean {
  if (!node) return false;
  if (node.type === 'constant') return node.text === name;
  // ::Rails
  if (node.type === 'scope_resolution' && !field(node, 'scope')) return field(node, 'name')?.text === name;
  return false;
}

/** `receiver.method(args)` parts of a call node. */
export function callParts(node: SyntaxNode): { receiver?: SyntaxNode; method?: string; args: SyntaxNode[]; block?: SyntaxNode } {
  const receiver = field(node, 'receiver');
  const method = field(node, 'method')?.text;
  const argList = field(node, 'arguments');
  const args = argList ? namedChildren(argList) : [];
  const block = field(node, 'block');
  return { ...(receiver ? { receiver } : {}), ...(method ? { method } : {}), args, ...(block ? { block } : {}) };
}

/** Text of a plain string or symbol literal (`"test"`, `'test'`, `:test`), undefined if interpolated or not a literal. */
export function literalString(node: SyntaxNode | undefined): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'string': {
      const parts = namedChildren(node);
      if (parts.length === 0) return '';
      if (parts.length === 1 && parts[0]?.type === 'string_content') return parts[0].text;
      return undefined;
    }
    case 'simple_symbol':
      return node.text.slice(1);
    case 'hash_key_symbol':
    case 'bare_string':
    case 'bare_symbol':
      return node.text;
    case 'delimited_symbol': {
      const parts = namedChildren(node);
      return parts.length === 1 && parts[0]?.type === 'string_content' ? parts[0].text : undefined;
    }
    default:
      return undefined;
  }
}

/** Strings of `%w[a b]`, `["a", "b"]`, `%i[a b]`; undefined when any element is not a literal. */
export function literalList(node: SyntaxNode | undefined): string[] | undefined {
  if (!node) return undefined;
  if (node.type !== 'string_array' && node.type !== 'symbol_array' && node.type !== 'array') return undefined;
  const out: string[] = [];
  for (const el of namedChildren(node)) {
    const s = literalString(el);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** Unwraps `( expr )` holding a single expression. */
export function unparen(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'parenthesized_statements' || n.type === 'parenthesized_expression') {
    const inner = namedChildren(n);
    if (inner.length !== 1 || !inner[0]) return n;
    n = inner[0];
  }
  return n;
}

export function binaryOperator(node: SyntaxNode): string | undefined {
  return field(node, 'operator')?.type;
}
