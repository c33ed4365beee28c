// Grammar-independent helpers over tree-sitter nodes.

import type { SyntaxNode } from './parser';

export function field(node: SyntaxNode, name: string): SyntaxNode | undefined {
  return node.childForFieldName(name) ?? undefined;
}

/** Named children without comments. */
export function namedChildren(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
}

/** The last anonymous child token of a type (`end`, `}`): a comment after it may still be a child. */
export function lastToken(node: SyntaxNode, type: string): SyntaxNode | undefined {
  for (let i = node.childCount - 1; i >= 0; i--) {
    const c = node.child(i);
    if (c && !c.isNamed && c.type === type) return c;
  }
  return undefined;
}

/** The same node, compared by id (web-tree-sitter hands out fresh wrapper objects). */
export function same(a: SyntaxNode | undefined | null, b: SyntaxNode | undefined | null): boolean {
  return !!a && !!b && a.id === b.id;
}

/**
 * Nearest ancestors first, at most `max`. web-tree-sitter finds a parent by descending from the
 * root, so each step costs the node's depth: an unbounded walk is quadratic on pathological nesting.
 * Config code is shallow; callers treat "limit reached" as "cannot tell".
 */
export const MAX_ANCESTORS = 128;

export function ancestors(node: SyntaxNode, max = MAX_ANCESTORS): { nodes: SyntaxNode[]; complete: boolean } {
  const nodes: SyntaxNode[] = [];
  for (let p = node.parent; p; p = p.parent) {
    if (nodes.length >= max) return { nodes, complete: false };
    nodes.push(p);
  }
  return { nodes, complete: true };
}
