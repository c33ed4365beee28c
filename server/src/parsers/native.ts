// The native adapter of the parser port: the `tree-sitter` N-API binding and the grammar packages'
// prebuilt binaries (optionalDependencies, kept out of the bundles). Used by the CLI and its
// workers, where it parses several times faster than WebAssembly. `loadNativeBackend` throws when
// the binding cannot load (no prebuild for the platform); the caller falls back to wasm.

import type { ParserBackend, Point, SyntaxNode, Tree, TreeCursor, TreeEdit } from '../core/parser-port';
import type { GrammarLanguage } from '../core/types';

/** The parts of the binding used here (its own typings need `esModuleInterop` and say `any` for grammars). */
interface NativeTree {
  readonly rootNode: SyntaxNode;
  edit(edit: TreeEdit): unknown;
  walk(): Omit<TreeCursor, 'delete'>;
}

/**
 * The binding's cursors (from a tree or a node) have no `delete`: the garbage collector frees them.
 * The port's callers delete every cursor, so the prototype gets a no-op once.
 */
function giveCursorsDelete(tree: NativeTree): void {
  const proto = Object.getPrototypeOf(tree.walk()) as { delete?: () => void };
  if (typeof proto.delete !== 'function') proto.delete = () => undefined;
}
interface NativeParser {
  setLanguage(language: unknown): void;
  parse(input: string, oldTree?: NativeTree | null, options?: { bufferSize?: number }): NativeTree;
}
interface NativeQuery {
  captures(node: SyntaxNode, options?: { startPosition?: Point; endPosition?: Point }): { node: SyntaxNode }[];
}
interface NativeBinding {
  new (): NativeParser;
  Query: new (language: unknown, source: string) => NativeQuery;
}

/** The port's Tree over a native one: the garbage collector frees it, and it has no copy. */
class NativeTreeView implements Tree {
  constructor(readonly inner: NativeTree) {}
  get rootNode(): SyntaxNode {
    return this.inner.rootNode;
  }
  edit(edit: TreeEdit): void {
    this.inner.edit(edit);
  }
  walk(): TreeCursor {
    return this.inner.walk() as TreeCursor;
  }
  delete(): void {}
}

export function loadNativeBackend(): ParserBackend {
  // Required here, not imported: the bundles keep these external, and the editor never gets here.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const binding = require('tree-sitter') as NativeBinding;
  const grammars: Record<GrammarLanguage, () => unknown> = {
    ruby: () => require('tree-sitter-ruby'),
    typescript: () => (require('tree-sitter-typescript') as { typescript: unknown }).typescript,
    tsx: () => (require('tree-sitter-typescript') as { tsx: unknown }).tsx,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const parsers = new Map<GrammarLanguage, NativeParser>();
  const languages = new Map<GrammarLanguage, unknown>();
  /** Per grammar: which node types it has (a query naming an unknown type does not compile), and the queries built. */
  const knownTypes = new Map<GrammarLanguage, Map<string, boolean>>();
  const queries = new Map<string, NativeQuery | null>();
  const langOf = new WeakMap<NativeTree, GrammarLanguage>();
  let cursorsReady = false;

  const load = (lang: GrammarLanguage): void => {
    if (parsers.has(lang)) return;
    const language = languages.get(lang) ?? grammars[lang]();
    languages.set(lang, language);
    const parser = new binding();
    parser.setLanguage(language);
    parsers.set(lang, parser);
  };
  // Fail now, not at the first parse: a missing prebuild must select the wasm fallback up front.
  load('ruby');

  const known = (lang: GrammarLanguage, type: string): boolean => {
    let byType = knownTypes.get(lang);
    if (!byType) {
      // The grammar's node-types.json, which the grammar package attaches; compiling a probe query
      // per type is the fallback (tens of milliseconds per grammar).
      const info = (languages.get(lang) as { nodeTypeInfo?: { type: string; named: boolean }[] } | undefined)?.nodeTypeInfo ?? [];
      knownTypes.set(lang, (byType = new Map(info.filter((t) => t.named).map((t) => [t.type, true]))));
    }
    let has = byType.get(type);
    if (has === undefined) {
      try {
        new binding.Query(languages.get(lang), `(${type}) @node`);
        has = true;
      } catch {
        has = false;
      }
      byType.set(type, has);
    }
    return has;
  };

  return {
    name: 'native',
    load: (lang) => Promise.resolve().then(() => load(lang)),
    isLoaded: (lang) => parsers.has(lang),
    parse(lang, text, oldTree) {
      const parser = parsers.get(lang);
      if (!parser) return undefined;
      // The binding's string input is read through a buffer of `bufferSize` code units; the default
      // (32 Ki) rejects longer files with "Invalid argument".
      const old = oldTree instanceof NativeTreeView ? oldTree.inner : null;
      const tree = parser.parse(text, old, { bufferSize: text.length + 1 });
      if (!cursorsReady) {
        giveCursorsDelete(tree);
        cursorsReady = true;
      }
      langOf.set(tree, lang);
      return new NativeTreeView(tree);
    },
    reset: (lang) => void parsers.delete(lang),
    nodesOfTypes(tree, types, rows) {
      if (!(tree instanceof NativeTreeView)) return undefined;
      const lang = langOf.get(tree.inner);
      if (!lang) return undefined;
      const present = types.filter((t) => known(lang, t)).sort();
      const key = `${lang}:${present.join(',')}`;
      let query = queries.get(key);
      if (query === undefined) {
        try {
          query = present.length ? new binding.Query(languages.get(lang), `[${present.map((t) => `(${t})`).join(' ')}] @node`) : null;
        } catch {
          query = null;
        }
        queries.set(key, query);
      }
      return query ? query.captures(tree.rootNode, rows).map((c) => c.node) : undefined;
    },
  };
}
