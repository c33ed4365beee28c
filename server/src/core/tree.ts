// Grammar-independent helpers over tree-sitter nodes.

import type { SyntaxNode } from './parser';

export function field(node: SyntaxNode, name: string): SyntaxNode | undefined {
  return node.childForFieldName(name) ?? undefined;
}

/** Named children without comments. */
export function namedChildren(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
}

/** The same node, compared by id (web-tree-sitter hands out fresh wrapper objects). */
export function same(a: SyntaxNode | undefined | null, b: SyntaxNode | undefined | null): boolean {
  return !!a && !!b && a.id === b.id;
}
