// One parsed TypeScript/JavaScript module as the handle analysis sees it: its imports, and the
// binding an identifier refers to. Other workspace modules are parsed on demand (never run) and
// their trees deleted once read.

import { parse as parseJsonc } from 'jsonc-parser';
import { dirname, join } from 'node:path';
import { hasGrammar, isLoaded, languageOf, parseSync, type SyntaxNode } from '../parser';
import { field, namedChildren } from '../tree';
import { stringValue } from '../typescript/env-conditions';
import type { Workspace } from '../types';
import { isFunction, parameterNames } from './syntax';

export interface ImportBinding {
  source: string;
  /** `default`, `*` (namespace) or the exported name. */
  imported: string;
}

export interface ModuleInfo {
  path: string;
  root: SyntaxNode;
  imports: Map<string, ImportBinding>;
  /** Declarations per scope node id, built on first lookup (a big file is scanned once, not per identifier). */
  scopes: Map<number, Map<string, Binding>>;
}

export type Binding =
  | { kind: 'import'; binding: ImportBinding }
  | { kind: 'param'; fn: SyntaxNode; index: number }
  | { kind: 'variable'; declarator: SyntaxNode }
  | { kind: 'function'; fn: SyntaxNode }
  | { kind: 'class'; cls: SyntaxNode };

export function moduleInfo(path: string, root: SyntaxNode): ModuleInfo {
  const imports = new Map<string, ImportBinding>();
  for (const stmt of namedChildren(root)) {
    if (stmt.type !== 'import_statement') continue;
    const source = stringValue(field(stmt, 'source'));
    const clause = namedChildren(stmt).find((c) => c.type === 'import_clause');
    if (source === undefined || !clause) continue;
    for (const part of namedChildren(clause)) {
      if (part.type === 'identifier') imports.set(part.text, { source, imported: 'default' });
      else if (part.type === 'namespace_import') {
        const id = namedChildren(part)[0];
        if (id) imports.set(id.text, { source, imported: '*' });
      } else if (part.type === 'named_imports') {
        for (const spec of namedChildren(part)) {
          const name = field(spec, 'name')?.text;
          const alias = field(spec, 'alias')?.text;
          if (name) imports.set(alias ?? name, { source, imported: name });
        }
      }
    }
  }
  // const { Pool } = require('pg')  /  const postgres = require('postgres')
  for (const stmt of namedChildren(root)) {
    if (stmt.type !== 'lexical_declaration' && stmt.type !== 'variable_declaration') continue;
    for (const d of namedChildren(stmt)) {
      const value = field(d, 'value');
      if (value?.type !== 'call_expression' || field(value, 'function')?.text !== 'require') continue;
      const arg = namedChildren(field(value, 'arguments')!)[0];
      const source = arg?.type === 'string' ? stringValue(arg) : undefined;
      const name = field(d, 'name');
      if (source === undefined || !name) continue;
      if (name.type === 'identifier') imports.set(name.text, { source, imported: 'default' });
      else if (name.type === 'object_pattern') {
        for (const p of namedChildren(name)) {
          if (p.type === 'shorthand_property_identifier_pattern') imports.set(p.text, { source, imported: p.text });
          else if (p.type === 'pair_pattern') {
            const k = field(p, 'key')?.text;
            const v = field(p, 'value');
            if (k && v?.type === 'identifier') imports.set(v.text, { source, imported: k });
          }
        }
      }
    }
  }
  return { path, root, imports, scopes: new Map() };
}

const SCOPES = new Set(['program', 'statement_block', 'switch_case', 'class_body']);

/** The declaration an identifier refers to: nearest enclosing scope first. */
export function findBinding(mod: ModuleInfo, id: SyntaxNode): Binding | undefined {
  const name = id.text;
  for (let a: SyntaxNode | null = id.parent; a; a = a.parent) {
    if (isFunction(a)) {
      const index = parameterNames(a).indexOf(name);
      if (index >= 0) return { kind: 'param', fn: a, index };
    }
    if (!SCOPES.has(a.type)) continue;
    // Top-level `require` bindings are recorded as imports.
    const imp = a.type === 'program' ? mod.imports.get(name) : undefined;
    if (imp) return { kind: 'import', binding: imp };
    let declared = mod.scopes.get(a.id);
    if (!declared) mod.scopes.set(a.id, (declared = declarationsIn(a)));
    const found = declared.get(name);
    if (found) return found;
  }
  return undefined;
}

function declarationsIn(scope: SyntaxNode): Map<string, Binding> {
  const out = new Map<string, Binding>();
  const add = (name: string | undefined, b: Binding): void => {
    if (name !== undefined && !out.has(name)) out.set(name, b);
  };
  for (let stmt of namedChildren(scope)) {
    if (stmt.type === 'export_statement') {
      const decl = field(stmt, 'declaration');
      if (!decl) continue;
      stmt = decl;
    }
    if (stmt.type === 'lexical_declaration' || stmt.type === 'variable_declaration') {
      for (const d of namedChildren(stmt)) {
        if (d.type === 'variable_declarator') add(field(d, 'name')?.text, { kind: 'variable', declarator: d });
      }
    } else if (stmt.type === 'function_declaration' || stmt.type === 'generator_function_declaration') {
      add(field(stmt, 'name')?.text, { kind: 'function', fn: stmt });
    } else if (stmt.type === 'class_declaration' || stmt.type === 'abstract_class_declaration') {
      add(field(stmt, 'name')?.text, { kind: 'class', cls: stmt });
    }
  }
  return out;
}

/** `export { a as b } from './x'` and `export * from './x'`: where `name` may come from instead. */
export function findReexports(mod: ModuleInfo, name: string): { source: string; imported: string }[] {
  const out: { source: string; imported: string }[] = [];
  for (const stmt of namedChildren(mod.root)) {
    if (stmt.type !== 'export_statement') continue;
    const source = stringValue(field(stmt, 'source'));
    if (source === undefined) continue;
    const clause = namedChildren(stmt).find((c) => c.type === 'export_clause');
    if (!clause) {
      // `export * from` carries no default; `export * as ns from` is a namespace, not `name`.
      if (name !== 'default' && !namedChildren(stmt).some((c) => c.type === 'namespace_export')) out.push({ source, imported: name });
      continue;
    }
    for (const spec of namedChildren(clause)) {
      const local = field(spec, 'name')?.text;
      if (local && (field(spec, 'alias')?.text ?? local) === name) out.push({ source, imported: local });
    }
  }
  return out;
}

/** A top-level type alias, interface or class named `name` (exported or not). */
export function findTypeDeclaration(mod: ModuleInfo, name: string): SyntaxNode | undefined {
  for (const stmt of namedChildren(mod.root)) {
    const decl = stmt.type === 'export_statement' ? field(stmt, 'declaration') : stmt;
    if (!decl) continue;
    if (['type_alias_declaration', 'interface_declaration', 'class_declaration', 'abstract_class_declaration'].includes(decl.type) && field(decl, 'name')?.text === name) return decl;
  }
  return undefined;
}

/** The expression or function a module exports under `name` (`default` for the default export). */
export function findExport(mod: ModuleInfo, name: string): { node: SyntaxNode; local?: string } | undefined {
  return findEsExport(mod, name) ?? findCommonJsExport(mod, name);
}

/** `exports.name = v`, `module.exports.name = v`, `module.exports = { name }` / `{ name: v }`, `module.exports = v` (default). */
function findCommonJsExport(mod: ModuleInfo, name: string): { node: SyntaxNode; local?: string } | undefined {
  for (const stmt of namedChildren(mod.root)) {
    const assign = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : undefined;
    if (assign?.type !== 'assignment_expression') continue;
    const left = field(assign, 'left')?.text.replace(/\s+/g, '');
    const right = field(assign, 'right');
    if (!left || !right) continue;
    if (left === `exports.${name}` || left === `module.exports.${name}`) return right.type === 'identifier' ? { node: right, local: right.text } : { node: right };
    if (left !== 'module.exports') continue;
    if (right.type !== 'object') {
      if (name === 'default') return right.type === 'identifier' ? { node: right, local: right.text } : { node: right };
      continue;
    }
    for (const prop of namedChildren(right)) {
      if (prop.type === 'shorthand_property_identifier' && prop.text === name) return { node: prop, local: name };
      if (prop.type === 'pair' && field(prop, 'key')?.text === name) {
        const v = field(prop, 'value');
        if (v) return v.type === 'identifier' ? { node: v, local: v.text } : { node: v };
      }
    }
  }
  return undefined;
}

function findEsExport(mod: ModuleInfo, name: string): { node: SyntaxNode; local?: string } | undefined {
  for (const stmt of namedChildren(mod.root)) {
    if (stmt.type !== 'export_statement') continue;
    const decl = field(stmt, 'declaration');
    if (decl && name !== 'default') {
      if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
        for (const d of namedChildren(decl)) if (field(d, 'name')?.text === name) return { node: d };
      } else if (field(decl, 'name')?.text === name) return { node: decl };
    }
    const value = field(stmt, 'value');
    if (value && name === 'default') return { node: value };
    if (decl && name === 'default' && stmt.text.startsWith('export default')) return { node: decl };
    // `export { x } from './y'` is a re-export (findReexports), not a local binding.
    const clause = field(stmt, 'source') ? undefined : namedChildren(stmt).find((c) => c.type === 'export_clause');
    for (const spec of clause ? namedChildren(clause) : []) {
      const local = field(spec, 'name')?.text;
      const exported = field(spec, 'alias')?.text ?? local;
      if (exported === name && local) return { node: spec, local };
    }
  }
  return undefined;
}

const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.tsx', '/index.js'];

/** The workspace file a relative or tsconfig-aliased import points at (`./db`, `../db.js` for `db.ts`, `@/db`). */
export function resolveImportPath(ws: Workspace, from: string, source: string): string | undefined {
  if (source.startsWith('.')) return withExtension(ws, join(dirname(from), source));
  for (const target of aliasTargets(ws, from, source)) {
    const found = withExtension(ws, target);
    if (found) return found;
  }
  return workspacePackageEntry(ws, source);
}

function withExtension(ws: Workspace, base: string): string | undefined {
  const stems = [base];
  const js = /\.(m|c)?jsx?$/.exec(base);
  if (js) stems.push(base.slice(0, -js[0].length));
  for (const stem of stems) {
    for (const ext of EXTENSIONS) {
      const p = stem + ext;
      const lang = languageOf(p);
      if (lang && hasGrammar(lang) && ws.fileExists(p)) return p;
    }
  }
  return undefined;
}

interface PathAliases {
  baseDir: string;
  paths: Record<string, string[]>;
}

const aliasCache = new Map<string, PathAliases | null>();

/** `compilerOptions.paths` of the nearest tsconfig.json / jsconfig.json, following relative `extends`. */
function pathAliases(ws: Workspace, from: string): PathAliases | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const file = join(dir, name);
      const text = ws.readFile(file);
      if (text === undefined) continue;
      const key = `${file}\0${text.length}\0${text.slice(0, 2000)}`;
      let cached = aliasCache.get(key);
      if (cached === undefined) {
        cached = configAliases(ws, file, text, 0) ?? null;
        if (aliasCache.size > 64) aliasCache.clear();
        aliasCache.set(key, cached);
      }
      return cached ?? undefined;
    }
    if (dir === ws.root || dirname(dir) === dir || !dirname(dir).startsWith(ws.root)) return undefined;
  }
}

interface TsConfig {
  extends?: unknown;
  compilerOptions?: { baseUrl?: unknown; paths?: unknown };
}

/** The paths a config defines, or inherits: `paths` resolve against the `baseUrl` in force, else the config that set them. */
function configAliases(ws: Workspace, file: string, text: string, depth: number): PathAliases | undefined {
  const json = parseJsonc(text, [], { allowTrailingComma: true }) as TsConfig | undefined;
  const dir = dirname(file);
  const options = json?.compilerOptions;
  const baseUrl = typeof options?.baseUrl === 'string' ? join(dir, options.baseUrl) : undefined;
  const paths = options?.paths && typeof options.paths === 'object' ? (options.paths as Record<string, string[]>) : undefined;
  if (paths) return { baseDir: baseUrl ?? dir, paths };
  const parents = (Array.isArray(json?.extends) ? json.extends : [json?.extends]).filter((e): e is string => typeof e === 'string' && e.startsWith('.'));
  if (depth > 5) return undefined;
  for (const parent of parents.reverse()) {
    const target = join(dir, parent.endsWith('.json') ? parent : `${parent}.json`);
    const parentText = ws.readFile(target);
    const inherited = parentText === undefined ? undefined : configAliases(ws, target, parentText, depth + 1);
    if (inherited) return baseUrl ? { ...inherited, baseDir: baseUrl } : inherited;
  }
  return undefined;
}

function aliasTargets(ws: Workspace, from: string, source: string): string[] {
  const aliases = pathAliases(ws, from);
  if (!aliases) return [];
  const out: string[] = [];
  for (const [pattern, targets] of Object.entries(aliases.paths)) {
    if (!Array.isArray(targets)) continue;
    const star = pattern.indexOf('*');
    let rest: string | undefined;
    if (star < 0) rest = pattern === source ? '' : undefined;
    else if (source.startsWith(pattern.slice(0, star)) && source.endsWith(pattern.slice(star + 1)) && source.length >= pattern.length - 1) {
      rest = source.slice(star, source.length - (pattern.length - star - 1));
    }
    if (rest === undefined) continue;
    for (const t of targets) if (typeof t === 'string') out.push(join(aliases.baseDir, t.replace('*', rest)));
  }
  return out;
}

/** Parses another module, hands it to `read`, and deletes the tree. Undefined when its grammar is not loaded. */
export function withModule<T>(ws: Workspace, path: string, read: (mod: ModuleInfo, text: string) => T): T | undefined {
  const lang = languageOf(path);
  const text = ws.readFile(path);
  if (!lang || text === undefined || !isLoaded(lang)) return undefined;
  const tree = parseSync(lang, text);
  if (!tree) return undefined;
  try {
    return read(moduleInfo(path, tree.rootNode), text);
  } finally {
    tree.delete();
  }
}

interface PackageJson {
  name?: unknown;
  main?: unknown;
  module?: unknown;
  types?: unknown;
  exports?: unknown;
  workspaces?: unknown;
}

const workspacePackages = new Map<string, Map<string, string>>();

/**
 * A workspace package imported by name (npm/yarn `workspaces`, pnpm-workspace.yaml): its entry file
 * in the checkout, preferring sources over build output (`dist/index.js` is looked for as `src/index.ts`).
 */
function workspacePackageEntry(ws: Workspace, source: string): string | undefined {
  if (source.startsWith('.') || source.startsWith('/') || source.startsWith('node:')) return undefined;
  const parts = source.split('/');
  const name = source.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  const sub = parts.slice(source.startsWith('@') ? 2 : 1).join('/');
  const dir = packagesOf(ws).get(name);
  if (!dir) return undefined;
  const pkg = readJson(ws, join(dir, 'package.json'));
  const targets: string[] = [];
  const exp = exportTarget(pkg?.exports, sub ? `./${sub}` : '.');
  if (exp) targets.push(exp);
  if (!sub) for (const f of [pkg?.types, pkg?.module, pkg?.main]) if (typeof f === 'string') targets.push(f);
  targets.push(sub ? sub : 'src/index', sub ? `src/${sub}` : 'index');
  for (const t of targets) {
    for (const candidate of [t, t.replace(/^(\.\/)?(dist|build|lib|out)\//, 'src/').replace(/\.d\.ts$/, '.ts')]) {
      const found = withExtension(ws, join(dir, candidate.replace(/\.d\.ts$/, '')));
      if (found && !found.endsWith('.d.ts')) return found;
    }
  }
  return undefined;
}

function exportTarget(exports: unknown, key: string): string | undefined {
  if (typeof exports === 'string') return key === '.' ? exports : undefined;
  if (!exports || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  const entry = Object.keys(map).some((k) => k.startsWith('.')) ? map[key] : key === '.' ? map : undefined;
  return conditionTarget(entry, 0);
}

/** A conditional export's file, sources first: `types`, `import`, `require`, `default`. */
function conditionTarget(entry: unknown, depth: number): string | undefined {
  if (typeof entry === 'string') return entry;
  if (!entry || typeof entry !== 'object' || depth > 3) return undefined;
  const map = entry as Record<string, unknown>;
  for (const k of ['source', 'types', 'import', 'require', 'node', 'default']) {
    const t = conditionTarget(map[k], depth + 1);
    if (t) return t;
  }
  return undefined;
}

function readJson(ws: Workspace, path: string): PackageJson | undefined {
  const text = ws.readFile(path);
  if (text === undefined) return undefined;
  const json = parseJsonc(text, [], { allowTrailingComma: true }) as unknown;
  return json && typeof json === 'object' ? (json as PackageJson) : undefined;
}

/** Package name → folder for the workspace root's `workspaces` globs and pnpm-workspace.yaml (one level of `*`). */
function packagesOf(ws: Workspace): Map<string, string> {
  const key = `${ws.root}\0${ws.version?.() ?? 'none'}`;
  const cached = workspacePackages.get(key);
  if (cached) return cached;
  const out = new Map<string, string>();
  const root = readJson(ws, join(ws.root, 'package.json'));
  const globs: string[] = [];
  const w = root?.workspaces;
  const list = Array.isArray(w) ? w : w && typeof w === 'object' && Array.isArray((w as { packages?: unknown }).packages) ? (w as { packages: unknown[] }).packages : [];
  for (const g of list) if (typeof g === 'string') globs.push(g);
  const pnpm = ws.readFile(join(ws.root, 'pnpm-workspace.yaml'));
  if (pnpm) for (const m of pnpm.matchAll(/^\s*-\s*['"]?([^'"#\n]+?)['"]?\s*$/gm)) globs.push(m[1]!);
  for (const g of globs) {
    if (g.startsWith('!')) continue;
    const clean = g.replace(/\/\*\*$/, '/*').replace(/\/$/, '');
    const dirs = clean.endsWith('/*') ? (ws.listDir?.(join(ws.root, clean.slice(0, -2))) ?? []).filter((n) => n.endsWith('/')).map((n) => join(ws.root, clean.slice(0, -2), n)) : [join(ws.root, clean)];
    for (const d of dirs.slice(0, 500)) {
      const name = readJson(ws, join(d, 'package.json'))?.name;
      if (typeof name === 'string' && !out.has(name)) out.set(name, d.replace(/\/$/, ''));
    }
  }
  if (workspacePackages.size > 8) workspacePackages.clear();
  if (ws.version) workspacePackages.set(key, out);
  return out;
}

/**
 * Reads the declaration of type or class `name` imported from `source` (a workspace module), following
 * barrels' re-exports; the module's tree lives only during `read`.
 */
export function withDeclaration<T>(ws: Workspace, from: string, source: string, name: string, read: (mod: ModuleInfo, decl: SyntaxNode) => T | undefined, depth = 0): T | undefined {
  const path = resolveImportPath(ws, from, source);
  if (!path || depth > 4) return undefined;
  return withModule(ws, path, (mod) => {
    const decl = findTypeDeclaration(mod, name);
    if (decl) return read(mod, decl);
    const imp = mod.imports.get(name);
    if (imp && imp.imported !== '*' && imp.imported !== 'default') return withDeclaration(ws, path, imp.source, imp.imported, read, depth + 1);
    for (const re of findReexports(mod, name).slice(0, 8)) {
      const found = withDeclaration(ws, path, re.source, re.imported, read, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  });
}
