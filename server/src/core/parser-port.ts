// The parser port: what the core needs from a tree-sitter binding. Two adapters implement it
// (server/src/parsers/): web-tree-sitter (WebAssembly, the editor and the fallback) and the native
// `tree-sitter` N-API binding (the CLI and its workers). The core imports neither library.
//
// Both adapters hand out positions in UTF-16 code units: both parse JavaScript strings.

import type { GrammarLanguage } from './types';

export interface Point {
  row: number;
  column: number;
}

/** One text change, for `Tree.edit` (offsets in UTF-16 code units, rows broken at "\n" only). */
export interface TreeEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: Point;
  oldEndPosition: Point;
  newEndPosition: Point;
}

/** The node members rules use. Nodes are views: compare them with `id` (tree.ts `same`), never with ===. */
export interface SyntaxNode {
  readonly id: number;
  readonly type: string;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly parent: SyntaxNode | null;
  /** The tree the node belongs to, for its root. */
  readonly tree: { readonly rootNode: SyntaxNode };
  readonly children: readonly (SyntaxNode | null)[];
  readonly namedChildren: readonly (SyntaxNode | null)[];
  readonly childCount: number;
  readonly namedChildCount: number;
  readonly firstChild: SyntaxNode | null;
  readonly lastChild: SyntaxNode | null;
  readonly firstNamedChild: SyntaxNode | null;
  readonly lastNamedChild: SyntaxNode | null;
  readonly nextSibling: SyntaxNode | null;
  readonly previousSibling: SyntaxNode | null;
  readonly nextNamedSibling: SyntaxNode | null;
  readonly previousNamedSibling: SyntaxNode | null;
  readonly hasError: boolean;
  readonly isMissing: boolean;
  readonly isError: boolean;
  readonly isNamed: boolean;
  child(index: number): SyntaxNode | null;
  namedChild(index: number): SyntaxNode | null;
  childForFieldName(name: string): SyntaxNode | null;
  childrenForFieldName(name: string): readonly (SyntaxNode | null)[];
  descendantsOfType(types: string | string[]): readonly (SyntaxNode | null)[];
  descendantForIndex(start: number, end?: number): SyntaxNode | null;
  /** A cursor from this node; `delete` it when done. */
  walk(): TreeCursor;
  toString(): string;
}

export interface TreeCursor {
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly currentNode: SyntaxNode;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}

export interface Tree {
  readonly rootNode: SyntaxNode;
  /** Records a text change so the next parse with this tree reuses what it can. */
  edit(edit: TreeEdit): void;
  walk(): TreeCursor;
  /** An independent copy to edit; undefined when the binding cannot copy (then reparse in full). */
  copy?(): Tree;
  /** Frees the tree's memory now (WebAssembly); a no-op where the garbage collector does it. */
  delete(): void;
}

export type ParserBackendName = 'native' | 'wasm';

export interface ParserBackend {
  readonly name: ParserBackendName;
  /** Loads a grammar once; rejects if it cannot be loaded. */
  load(lang: GrammarLanguage): Promise<void>;
  isLoaded(lang: GrammarLanguage): boolean;
  /** Parses with a loaded grammar, incrementally from `oldTree` (edited) when given. May throw. */
  parse(lang: GrammarLanguage, text: string, oldTree?: Tree): Tree | undefined;
  /** Forgets a grammar's parser after a failure, so the next load builds a fresh one. */
  reset(lang: GrammarLanguage): void;
  /**
   * Every node of the given types in document order (parents before their children), found by a
   * tree-sitter query inside the binding, within `rows` when given (the editor's re-analysis of
   * the statements an edit touches); undefined when no query can be built (walk instead).
   */
  nodesOfTypes(tree: Tree, types: readonly string[], rows?: { startPosition: Point; endPosition: Point }): Iterable<SyntaxNode> | undefined;
}
