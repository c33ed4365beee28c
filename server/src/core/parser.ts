// The core's side of the parser port (parser-port.ts): which grammar reads a file, and parsing
// through whichever binding the entry point installed (server/src/parsers/). Parsing never throws:
// a failure yields `undefined` and the caller reports the file as unparsed.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ParserBackend, ParserBackendName, Tree } from './parser-port';
import type { GrammarLanguage, LanguageId, TextLanguage } from './types';

const RUBY_NAMES = new Set(['Gemfile', 'Rakefile', 'Guardfile', 'Capfile']);
/** Lockfiles Bundler and npm write; read as text by lockfile-major-drift. */
const LOCKFILE_NAMES = new Set(['Gemfile.lock', 'gems.locked', 'package-lock.json', 'npm-shrinkwrap.json']);

/** Which grammar parses a file, by its name; undefined for files initaudit does not read. */
export function languageOf(path: string): LanguageId | undefined {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  if (RUBY_NAMES.has(base)) return 'ruby';
  if (LOCKFILE_NAMES.has(base)) return 'lockfile';
  const dot = base.lastIndexOf('.');
  if (dot < 0) return undefined;
  switch (base.slice(dot + 1).toLowerCase()) {
    case 'rb':
    case 'rake':
    case 'ru':
    case 'gemspec':
      return 'ruby';
    case 'ts':
    case 'mts':
    case 'cts':
      return 'typescript';
    // JavaScript is parsed with the TSX grammar, a superset of JS with JSX.
    case 'tsx':
    case 'js':
    case 'jsx':
    case 'mjs':
    case 'cjs':
      return 'tsx';
    // Files without a grammar, scanned as text (Rule.scanText): Rails config/*.yml (read through ERB),
    // workflows and deployment manifests; Prisma schemas; Terraform.
    case 'yml':
    case 'yaml':
      return 'yaml';
    case 'prisma':
      return 'prisma';
    case 'tf':
      return 'hcl';
    default:
      return undefined;
  }
}

let grammarsDir: string | undefined;

/** Overrides where the wasm files are looked up (tests, unusual layouts). */
export function setGrammarsDir(dir: string): void {
  grammarsDir = dir;
}

/** The bundles live at <root>/server/out and the compiled tests at <root>/build/...: walk up to <root>/grammars. */
export function findGrammarsDir(): string {
  if (grammarsDir) return grammarsDir;
  const fromEnv = process.env['INITAUDIT_GRAMMARS'];
  if (fromEnv) return (grammarsDir = resolve(fromEnv));
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'grammars');
    if (existsSync(join(candidate, 'tree-sitter.wasm'))) return (grammarsDir = candidate);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`initaudit: no grammars/tree-sitter.wasm above ${__dirname}; run \`npm run grammars\``);
    dir = parent;
  }
}

const TEXT_LANGUAGES: ReadonlySet<LanguageId> = new Set<TextLanguage>(['yaml', 'prisma', 'hcl', 'lockfile']);

export function hasGrammar(lang: LanguageId): lang is GrammarLanguage {
  return !TEXT_LANGUAGES.has(lang);
}

let backend: ParserBackend | undefined;

/** Installs the binding every later parse goes through; the entry points call it once, before any analysis. */
export function setParserBackend(next: ParserBackend): void {
  backend = next;
}

/** Whether an entry point installed a binding (without asking a lazy one to load). */
export function hasParserBackend(): boolean {
  return backend !== undefined;
}

/** The installed binding's name; undefined before an entry point installed one. */
export function parserBackendName(): ParserBackendName | undefined {
  return backend?.name;
}

/** The installed binding, for the engine's query-driven walk. */
export function parserBackend(): ParserBackend {
  if (!backend) throw new Error('initaudit: no parser backend installed (setParserBackend)');
  return backend;
}

/** Loads a grammar once; later calls resolve immediately. */
export async function loadLanguage(lang: LanguageId): Promise<void> {
  if (!hasGrammar(lang)) return;
  await parserBackend().load(lang);
}

/** True once `loadLanguage(lang)` has finished, so `parseSync` can be used. */
export function isLoaded(lang: LanguageId): boolean {
  return !hasGrammar(lang) || (backend?.isLoaded(lang) ?? false);
}

/**
 * Parses text with an already loaded grammar. Passing the previous tree (after `tree.edit`)
 * makes the parse incremental. Returns undefined instead of throwing.
 */
export function parseSync(lang: LanguageId, text: string, oldTree?: Tree): Tree | undefined {
  if (!hasGrammar(lang) || !backend?.isLoaded(lang)) return undefined;
  try {
    return backend.parse(lang, text, oldTree);
  } catch {
    // A wasm trap leaves the parser unusable; drop it so the next load builds a fresh one.
    backend.reset(lang);
    return undefined;
  }
}

export async function parse(lang: LanguageId, text: string): Promise<Tree | undefined> {
  try {
    await loadLanguage(lang);
  } catch {
    return undefined;
  }
  return parseSync(lang, text);
}

export type { Tree, SyntaxNode, TreeEdit, Point, ParserBackend, ParserBackendName } from './parser-port';
