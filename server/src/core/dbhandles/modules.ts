// One parsed TypeScript/JavaScript module as the handle analysis sees it: its imports, and the
// binding an identifier refers to. Other workspace modules are parsed on demand (never run) and
// their trees deleted once read.

import { parse as parseJsonc } from 'jsonc-parser';
import { dirname, join } from 'node:path';
import { isLoaded, languageOf, parseSync, type SyntaxNode } from '../parser';
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
  | { kind: 'function'; fn: SyntaxNode };

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
    }
  }
  return out;
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
    const clause = namedChildren(stmt).find((c) => c.type === 'export_clause');
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
  return undefined;
}

function withExtension(ws: Workspace, base: string): string | undefined {
  const stems = [base];
  const js = /\.(m|c)?jsx?$/.exec(base);
  if (js) stems.push(base.slice(0, -js[0].length));
  for (const stem of stems) {
    for (const ext of EXTENSIONS) {
      const p = stem + ext;
      if (languageOf(p) && languageOf(p) !== 'yaml' && ws.fileExists(p)) return p;
    }
  }
  return undefined;
}

interface PathAliases {
  baseDir: string;
  paths: Record<string, string[]>;
}

const aliasCache = new Map<string, PathAliases | null>();

/** `compilerOptions.paths` of the nearest tsconfig.json / jsconfig.json (its `extends` is not followed). */
function pathAliases(ws: Workspace, from: string): PathAliases | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const file = join(dir, name);
      const text = ws.readFile(file);
      if (text === undefined) continue;
      const key = `${file}\0${text.length}\0${text.slice(0, 2000)}`;
      let cached = aliasCache.get(key);
      if (cached === undefined) {
        const json = parseJsonc(text, [], { allowTrailingComma: true }) as { compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | undefined;
        const options = json?.compilerOptions;
        const paths = options?.paths && typeof options.paths === 'object' ? (options.paths as Record<string, string[]>) : undefined;
        cached = paths ? { baseDir: join(dir, typeof options?.baseUrl === 'string' ? options.baseUrl : '.'), paths } : null;
        if (aliasCache.size > 64) aliasCache.clear();
        aliasCache.set(key, cached);
      }
      return cached ?? undefined;
    }
    if (dir === ws.root || dirname(dir) === dir || !dirname(dir).startsWith(ws.root)) return undefined;
  }
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
