// Handle provenance: what a receiver expression is, by following data flow inside the file and
// across relative imports in the workspace (`export const db = drizzle(pool)`, `getDb()`), and for
// a helper's parameter, by the arguments at its call sites in the same file. Never runs code.

import { dirname, relative } from 'node:path';
import type { SyntaxNode } from '../parser';
import { field, namedChildren, same } from '../tree';
import { envKeyOf, stringValue, unwrapTs } from '../typescript/env-conditions';
import type { Workspace } from '../types';
import { forEachImportedCall } from './importers';
import { modelOf, modelsFor } from './libraries';
import { findBinding, findExport, moduleInfo, resolveImportPath, withModule, type ModuleInfo } from './modules';
import { argAt, forEachDescendant, isFunction, memberCall } from './syntax';
import { UNKNOWN, type ConnectionSource, type Handle, type HandleKind, type Library, type Resolve } from './types';

const MAX_DEPTH = 12;
const CACHE_LIMIT = 500;
/** Export facts of other modules, keyed by path, export name and text hash; bounded FIFO. */
const exportCache = new Map<string, Handle>();

/** Methods that open a transaction or pin a connection for their callback, when the library is not known. */
const TRANSACTION_METHODS = new Set(['transaction', '$transaction', 'begin', 'transactional']);

export class Provenance {
  private depth = 0;
  private readonly visiting = new Set<string>();

  constructor(
    private readonly ws: Workspace,
    private readonly mod: ModuleInfo,
  ) {}

  static forFile(ws: Workspace, path: string, root: SyntaxNode): Provenance {
    return new Provenance(ws, moduleInfo(path, root));
  }

  get module(): ModuleInfo {
    return this.mod;
  }

  private readonly api: Resolve = {
    handle: (n) => (n ? this.handle(n) : UNKNOWN),
    connection: (n) => this.connection(n),
  };

  handle(node: SyntaxNode): Handle {
    const key = `${node.startIndex}:${node.endIndex}:${node.type}`;
    if (this.depth > MAX_DEPTH || this.visiting.has(key)) return UNKNOWN;
    this.depth++;
    this.visiting.add(key);
    try {
      return this.evaluate(unwrapTs(node));
    } finally {
      this.depth--;
      this.visiting.delete(key);
    }
  }

  private evaluate(n: SyntaxNode): Handle {
    switch (n.type) {
      case 'identifier':
      case 'shorthand_property_identifier':
        return this.identifier(n);
      case 'member_expression': {
        const object = field(n, 'object');
        const prop = field(n, 'property')?.text;
        if (!object || !prop) return UNKNOWN;
        const created = this.creation(n, n, false);
        if (created) return created;
        // dbModule.pool through `import * as dbModule` or `const dbModule = require('./db')`.
        const o = unwrapTs(object);
        const b = o.type === 'identifier' ? findBinding(this.mod, o) : undefined;
        if (b?.kind === 'import' && this.isLocal(b.binding.source) && (b.binding.imported === '*' || b.binding.imported === 'default')) {
          return this.imported(b.binding.source, prop);
        }
        const h = this.handle(object);
        return (h.kind !== 'unknown' || h.library !== 'unknown' ? modelOf(h.library)?.derive?.(h, prop, n, this.api) : undefined) ?? UNKNOWN;
      }
      case 'new_expression': {
        const ctor = field(n, 'constructor');
        return (ctor && this.creation(unwrapTs(ctor), n, true)) ?? UNKNOWN;
      }
      case 'call_expression':
        return this.call(n);
      default:
        return UNKNOWN;
    }
  }

  private call(n: SyntaxNode): Handle {
    const fnNode = field(n, 'function');
    if (!fnNode) return UNKNOWN;
    const callee = unwrapTs(fnNode);
    const created = this.creation(callee, n, false);
    if (created) return created;
    const mc = memberCall(n);
    if (mc) {
      // Kysely: db.startTransaction().execute() is a controlled transaction.
      const inner = unwrapTs(mc.object);
      if (mc.method === 'execute' && inner.type === 'call_expression' && memberCall(inner)?.method === 'startTransaction') {
        return { kind: 'transaction', library: 'kysely', what: 'a Kysely controlled transaction' };
      }
      const h = this.handle(mc.object);
      if (h.library === 'unknown') return UNKNOWN;
      return modelOf(h.library)?.derive?.(h, mc.method, n, this.api) ?? (mc.method === '$extends' ? h : UNKNOWN);
    }
    if (callee.type === 'identifier') return this.returnsOf(callee);
    return UNKNOWN;
  }

  /** A library export called or constructed: `new Pool()`, `postgres(url)`, `pg.Pool`, `drizzle(pool)`. */
  private creation(callee: SyntaxNode, call: SyntaxNode, isNew: boolean): Handle | undefined {
    let id: SyntaxNode | undefined = callee;
    let member: string | undefined;
    if (callee.type === 'member_expression') {
      const object = field(callee, 'object');
      id = object ? unwrapTs(object) : undefined;
      member = field(callee, 'property')?.text;
    }
    if (id?.type !== 'identifier') return undefined;
    const b = findBinding(this.mod, id);
    if (b?.kind !== 'import' || this.isLocal(b.binding.source)) return undefined;
    for (const model of modelsFor(b.binding.source)) {
      if (call === callee) {
        const v = member === undefined ? model.value?.(b.binding.imported) : undefined;
        if (v) return v;
        continue;
      }
      const h = model.create?.(b.binding.imported, member, call, isNew, this.api, b.binding.source);
      if (h) return h;
    }
    return undefined;
  }

  private identifier(id: SyntaxNode): Handle {
    const b = findBinding(this.mod, id);
    if (!b) return UNKNOWN;
    switch (b.kind) {
      case 'import':
        if (!this.isLocal(b.binding.source)) {
          for (const m of modelsFor(b.binding.source)) {
            const v = m.value?.(b.binding.imported);
            if (v) return v;
          }
          return UNKNOWN;
        }
        return this.imported(b.binding.source, b.binding.imported);
      case 'param':
        return this.parameter(b.fn, b.index);
      case 'variable': {
        const value = field(b.declarator, 'value');
        if (value) return this.handle(value);
        return this.firstAssignment(id.text);
      }
      case 'function':
        return UNKNOWN;
    }
  }

  /** `let db; … db = drizzle(pool)`: the first assignment in the module. */
  private firstAssignment(name: string): Handle {
    let found: SyntaxNode | undefined;
    forEachDescendant(this.mod.root, (n) => {
      if (!found && n.type === 'assignment_expression' && field(n, 'left')?.text === name) found = field(n, 'right');
    });
    return found ? this.handle(found) : UNKNOWN;
  }

  /** What a local function returns: `function getDb() { return db }`, `const getDb = () => db`. */
  private returnsOf(callee: SyntaxNode): Handle {
    const b = findBinding(this.mod, callee);
    if (b?.kind === 'import' && this.isLocal(b.binding.source)) return this.imported(b.binding.source, b.binding.imported, true);
    const fn = b?.kind === 'function' ? b.fn : b?.kind === 'variable' ? field(b.declarator, 'value') : undefined;
    return fn && isFunction(unwrapTs(fn)) ? this.functionResult(unwrapTs(fn)) : UNKNOWN;
  }

  private functionResult(fn: SyntaxNode): Handle {
    const body = field(fn, 'body');
    if (!body) return UNKNOWN;
    if (body.type !== 'statement_block') return this.handle(body);
    const results: Handle[] = [];
    forEachDescendant(
      body,
      (n) => {
        if (n.type === 'return_statement') {
          const v = namedChildren(n)[0];
          if (v) results.push(this.handle(v));
        }
      },
      (n) => isFunction(n),
    );
    return combine(results);
  }

  /** A parameter: a transaction or connection callback's handle, or a helper judged at its call sites. */
  private parameter(fn: SyntaxNode, index: number): Handle {
    const parent = fn.parent;
    if (parent?.type === 'arguments' && parent.parent?.type === 'call_expression') {
      if (index !== 0) return UNKNOWN;
      return this.callbackParameter(parent.parent, fn);
    }
    const name = fn.type === 'function_declaration' ? field(fn, 'name')?.text : parent?.type === 'variable_declarator' ? field(parent, 'name')?.text : undefined;
    if (!name) return UNKNOWN;
    const results: Handle[] = [];
    forEachDescendant(this.mod.root, (n) => {
      if (n.type !== 'call_expression' || results.length > 20) return;
      const callee = field(n, 'function');
      if (callee?.type !== 'identifier' || callee.text !== name) return;
      const b = findBinding(this.mod, callee);
      if (!b || (b.kind === 'function' && !same(b.fn, fn)) || (b.kind === 'variable' && !same(b.declarator, parent))) return;
      const arg = argAt(n, index);
      if (arg) results.push(this.handle(arg));
    });
    // Judged at its call sites: one per-statement caller is enough to make the helper unsafe.
    const pool = results.find((h) => h.kind === 'pool');
    if (pool) return { ...pool, what: `${pool.what}, passed in by a caller` };
    const fromImporters = findExport(this.mod, name) ? this.importerCalls(name, index) : undefined;
    if (fromImporters?.kind === 'pool') return fromImporters;
    return combine(fromImporters ? [...results, fromImporters] : results);
  }

  /** The exported helper's parameter as the modules importing it pass it (cached by text hash). */
  private importerCalls(name: string, index: number): Handle | undefined {
    const text = this.ws.readFile(this.mod.path);
    if (text === undefined || this.depth > MAX_DEPTH / 2) return undefined;
    const key = `${this.mod.path}\0${name}\0param${index}\0${hash(text)}\0${this.ws.version?.() ?? 'none'}`;
    const cached = exportCache.get(key);
    if (cached) return cached;
    const results: Handle[] = [];
    forEachImportedCall(this.ws, this.mod.path, name, index, (mod, arg) => {
      const other = new Provenance(this.ws, mod);
      other.depth = this.depth + 1;
      const h = other.handle(arg);
      results.push(h.kind === 'pool' ? { ...h, what: `${h.what}, passed in by a caller in ${relativeName(this.mod.path, mod.path)}` } : h);
      return h.kind === 'pool';
    });
    const pool = results.find((h) => h.kind === 'pool');
    const result: Handle = pool ?? (results.length ? combine(results) : UNKNOWN);
    const plain: Handle = { ...result };
    delete plain.scope;
    if (exportCache.size >= CACHE_LIMIT) exportCache.delete(exportCache.keys().next().value!);
    exportCache.set(key, plain);
    return plain;
  }

  private callbackParameter(call: SyntaxNode, fn: SyntaxNode): Handle {
    const mc = memberCall(call);
    if (!mc) return UNKNOWN;
    const object = unwrapTs(mc.object);
    // Kysely: db.transaction().execute(cb), db.connection().execute(cb).
    if (mc.method === 'execute' && object.type === 'call_expression') {
      const inner = memberCall(object)?.method;
      if (inner === 'transaction') return { kind: 'transaction', library: 'kysely', what: 'a Kysely transaction', scope: fn };
      if (inner === 'connection') return { kind: 'pinned', library: 'kysely', what: 'a Kysely db.connection()', scope: fn };
    }
    const h = this.handle(mc.object);
    const kind: HandleKind | undefined =
      (h.library !== 'unknown' ? modelOf(h.library)?.callback?.(h, mc.method, call) : undefined) ?? (TRANSACTION_METHODS.has(mc.method) ? 'transaction' : undefined);
    if (!kind) return UNKNOWN;
    const library: Library = h.library;
    return { kind, library, what: kind === 'transaction' ? `a ${mc.method} callback's transaction` : `a ${mc.method} callback's connection`, connection: h.connection, scope: fn };
  }

  /** A workspace module (relative, or a tsconfig `paths` alias that exists), not a package. */
  private isLocal(source: string): boolean {
    return source.startsWith('.') || resolveImportPath(this.ws, this.mod.path, source) !== undefined;
  }

  /** An export of another workspace module, cached by its text. */
  private imported(source: string, name: string, call = false): Handle {
    const path = resolveImportPath(this.ws, this.mod.path, source);
    if (!path) return UNKNOWN;
    const text = this.ws.readFile(path);
    if (text === undefined) return UNKNOWN;
    const key = `${path}\0${name}\0${call ? 'call' : 'value'}\0${hash(text)}`;
    const cached = exportCache.get(key);
    if (cached) return cached;
    if (this.depth > MAX_DEPTH / 2) return UNKNOWN;
    const result =
      withModule(this.ws, path, (mod) => {
        const other = new Provenance(this.ws, mod);
        other.depth = this.depth;
        const exp = findExport(mod, name);
        if (!exp) return UNKNOWN;
        let node = exp.node;
        if (exp.local) {
          const local = findLocal(mod, exp.local);
          if (!local) return UNKNOWN;
          node = local;
        }
        if (call) {
          const fn = node.type === 'variable_declarator' ? field(node, 'value') : node;
          return fn && isFunction(unwrapTs(fn)) ? other.functionResult(unwrapTs(fn)) : UNKNOWN;
        }
        const value = node.type === 'variable_declarator' ? field(node, 'value') : node;
        if (!value) return node.type === 'variable_declarator' ? other.firstAssignment(field(node, 'name')?.text ?? '') : UNKNOWN;
        return other.handle(value);
      }) ?? UNKNOWN;
    // A callback scope is a node of the other module's (deleted) tree: never carry it out.
    const plain: Handle = { ...result };
    delete plain.scope;
    if (exportCache.size >= CACHE_LIMIT) exportCache.delete(exportCache.keys().next().value!);
    exportCache.set(key, plain);
    return plain;
  }

  /** Where a connection string comes from: a literal, `process.env.NAME`, or a const holding either. */
  connection(node: SyntaxNode | undefined, depth = 0): ConnectionSource | undefined {
    if (!node || depth > 4) return undefined;
    const n = unwrapTs(node);
    if (n.type === 'string') {
      const v = stringValue(n);
      return v === undefined ? undefined : { literal: v };
    }
    if (n.type === 'template_string' && namedChildren(n).every((c) => c.type === 'string_fragment')) return { literal: n.text.slice(1, -1) };
    const env = envKeyOf(n);
    if (env) return { envVar: env };
    if (n.type === 'binary_expression') return this.connection(field(n, 'left'), depth + 1);
    if (n.type === 'identifier') {
      const b = findBinding(this.mod, n);
      if (b?.kind === 'variable') return this.connection(field(b.declarator, 'value'), depth + 1);
    }
    return undefined;
  }
}

function findLocal(mod: ModuleInfo, name: string): SyntaxNode | undefined {
  for (const stmt of namedChildren(mod.root)) {
    const decl = stmt.type === 'export_statement' ? field(stmt, 'declaration') : stmt;
    if (!decl) continue;
    if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
      for (const d of namedChildren(decl)) if (field(d, 'name')?.text === name) return d;
    } else if (field(decl, 'name')?.text === name) return decl;
  }
  return undefined;
}

/** Several possible handles: agreeing ones stand; disagreeing ones are unknown. */
function combine(handles: Handle[]): Handle {
  const known = handles.filter((h) => h.kind !== 'unknown');
  if (known.length === 0 || known.length !== handles.length) return UNKNOWN;
  return known.every((h) => h.kind === known[0]!.kind) ? known[0]! : UNKNOWN;
}

function relativeName(from: string, to: string): string {
  const rel = relative(dirname(from), to);
  return rel.startsWith('..') ? rel : `./${rel}`;
}

function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${text.length}:${(h >>> 0).toString(36)}`;
}
