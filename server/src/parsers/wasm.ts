// The WebAssembly adapter of the parser port: web-tree-sitter and the grammars' .wasm files from
// grammars/. Portable, so the editor uses it (the .vsix holds no native code) and the CLI falls
// back to it where the native binding cannot load.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Language, Parser, Query, type Tree as WasmTree } from 'web-tree-sitter';
import { findGrammarsDir } from '../core/parser';
import type { ParserBackend, SyntaxNode, Tree } from '../core/parser-port';
import type { GrammarLanguage } from '../core/types';

const GRAMMAR_FILES: Record<GrammarLanguage, string> = {
  ruby: 'tree-sitter-ruby.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
};

let runtime: Promise<void> | undefined;
const languages = new Map<GrammarLanguage, Promise<Language>>();
const parsers = new Map<GrammarLanguage, Parser>();
/**
 * Cached queries per grammar object. Keyed by the Language itself: the grammars carry no name
 * (`language.name` is null for all three), so a key built from name and ABI version let the
 * TypeScript query run on a TSX tree, whose node type ids differ, and findings went missing.
 */
const queries = new WeakMap<Language, Map<string, Query | null | 'pending'>>();

/**
 * Starts web-tree-sitter's runtime (its own WebAssembly module) now, before any grammar is asked
 * for: the language server calls it as it starts, so the compile overlaps with the handshake.
 * Never rejects; a failure shows when a grammar is loaded.
 */
export function startWasmRuntime(): void {
  initRuntime().catch(() => undefined);
}

function initRuntime(): Promise<void> {
  // Emscripten prints its own abort messages; failures reach callers as rejected promises instead.
  runtime ??= Parser.init({ locateFile: () => join(findGrammarsDir(), 'tree-sitter.wasm'), print: () => undefined, printErr: () => undefined }).catch(
    (e: unknown) => {
      runtime = undefined; // a later call retries instead of repeating this failure forever
      throw e;
    },
  );
  return runtime;
}

/**
 * The query over these types, or undefined while it is not built: the engine then walks with a
 * cursor, which visits the same nodes in the same order. Building one takes about 50 ms of cold
 * WebAssembly (a Ruby query in a fresh editor, over a third of the time to its first diagnostics),
 * more than walking a small file, so the first full analysis of each set of types walks and the
 * query is built on the next turn of the event loop, for the analyses after it. `now`: built at
 * once (the editor's keystroke analysis of some rows, which has no walk of its own).
 */
function subscriptionQuery(language: Language, types: readonly string[], now: boolean): Query | undefined {
  const known = types.filter((t) => language.idForNodeType(t, true) !== null).sort();
  if (known.length === 0) return undefined;
  const key = known.join(',');
  let byTypes = queries.get(language);
  if (!byTypes) queries.set(language, (byTypes = new Map()));
  const build = (): Query | null => {
    let built: Query | null;
    try {
      built = new Query(language, `[${known.map((t) => `(${t})`).join(' ')}] @node`);
    } catch {
      built = null; // the engine's cursor walk needs no query
    }
    byTypes.set(key, built);
    return built;
  };
  let query = byTypes.get(key);
  if (query === undefined && !now) {
    byTypes.set(key, 'pending');
    setTimeout(() => byTypes.get(key) === 'pending' && build(), 0).unref();
  } else if (query === undefined || query === 'pending') {
    if (now) query = build();
  }
  return query === 'pending' || query === null || query === undefined ? undefined : query;
}

// web-tree-sitter's Tree and Node satisfy the port's interfaces structurally; the casts only
// widen them (its Edit class and the port's plain TreeEdit carry the same fields).
export const wasmBackend: ParserBackend = {
  name: 'wasm',
  async load(lang) {
    await initRuntime();
    let pending = languages.get(lang);
    if (!pending) {
      // Read here rather than by web-tree-sitter, whose loader imports fs/promises dynamically: an
      // import() the language server's code cache (lsp/start.ts) cannot serve.
      pending = readFile(join(findGrammarsDir(), GRAMMAR_FILES[lang]))
        .then((bytes) => Language.load(bytes))
        .catch((e: unknown) => {
          languages.delete(lang);
          throw e;
        });
      languages.set(lang, pending);
    }
    const language = await pending;
    if (!parsers.has(lang)) {
      const parser = new Parser();
      parser.setLanguage(language);
      parsers.set(lang, parser);
    }
  },
  isLoaded: (lang) => parsers.has(lang),
  parse(lang, text, oldTree) {
    const parser = parsers.get(lang);
    if (!parser) return undefined;
    return (parser.parse(text, (oldTree as WasmTree | undefined) ?? null) ?? undefined) as Tree | undefined;
  },
  reset: (lang) => void parsers.delete(lang),
  nodesOfTypes(tree, types, rows) {
    const wasm = tree as unknown as WasmTree;
    const query = subscriptionQuery(wasm.language, types, rows !== undefined);
    if (!query) return undefined;
    return query.captures(wasm.rootNode, rows).map((c) => c.node as SyntaxNode);
  },
};
