// The WebAssembly adapter of the parser port: web-tree-sitter and the grammars' .wasm files from
// grammars/. Portable, so the editor uses it (the .vsix holds no native code) and the CLI falls
// back to it where the native binding cannot load.

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
const queries = new WeakMap<Language, Map<string, Query | null>>();

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

function subscriptionQuery(language: Language, types: readonly string[]): Query | null {
  const known = types.filter((t) => language.idForNodeType(t, true) !== null).sort();
  const key = known.join(',');
  let byTypes = queries.get(language);
  if (!byTypes) queries.set(language, (byTypes = new Map()));
  let query = byTypes.get(key);
  if (query === undefined) {
    try {
      query = known.length ? new Query(language, `[${known.map((t) => `(${t})`).join(' ')}] @node`) : null;
    } catch {
      query = null; // the engine's cursor walk needs no query
    }
    byTypes.set(key, query);
  }
  return query;
}

// web-tree-sitter's Tree and Node satisfy the port's interfaces structurally; the casts only
// widen them (its Edit class and the port's plain TreeEdit carry the same fields).
export const wasmBackend: ParserBackend = {
  name: 'wasm',
  async load(lang) {
    await initRuntime();
    let pending = languages.get(lang);
    if (!pending) {
      pending = Language.load(join(findGrammarsDir(), GRAMMAR_FILES[lang])).catch((e: unknown) => {
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
    const query = subscriptionQuery(wasm.language, types);
    if (!query) return undefined;
    return query.captures(wasm.rootNode, rows).map((c) => c.node as SyntaxNode);
  },
};
