// Handle provenance: what a receiver expression is, by following data flow inside the file and
// across relative imports in the workspace (`export const db = drizzle(pool)`, `getDb()`), and for
// a helper's parameter, by the arguments at its call sites in the same file. Never runs code.

import { dirname, relative } from 'node:path';
import type { SyntaxNode } from '../parser';
import { field, namedChildren, same } from '../tree';
import { envKeyOf, stringValue, unwrapTs } from '../typescript/env-conditions';
import type { Workspace } from '../types';
import { handleOfClass, handleOfType, parameterType } from './annotations';
import { forEachImportedCall } from './importers';
import { modelOf, modelsFor } from './libraries';
import { findBinding, findExport, findReexports, findTypeDeclaration, moduleInfo, resolveImportPath, withDeclaration, withModule, type ModuleInfo } from './modules';
import { argAt, forEachDescendant, isFunction, memberCall, objectProperty } from './syntax';
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
      case 'this': {
        // Inside `class PrismaService extends PrismaClient`, `this` is the client.
        const cls = enclosingClass(n);
        return (cls && handleOfClass(this.ws, this.mod, cls)) ?? UNKNOWN;
      }
      case 'binary_expression':
        return this.fallback(n);
      case 'member_expression': {
        const object = field(n, 'object');
        const prop = field(n, 'property')?.text;
        if (!object || !prop) return UNKNOWN;
        if (unwrapTs(object).type === 'this') {
          const cls = enclosingClass(n);
          const member = cls ? this.memberOfClass(cls, prop) : UNKNOWN;
          if (member.kind !== 'unknown' || member.library !== 'unknown') return member;
        } else {
          // `this.datasource.pool` where `datasource: Datasource` declares `pool: Pool`.
          const typed = this.memberOfDeclaredType(unwrapTs(object), prop);
          if (typed) return typed;
          // `db.client` where `const db = makeDb()` returns `{ pool, client }`.
          const literal = this.objectLiteral(object, 0);
          const value = literal ? objectProperty(literal, prop) : undefined;
          if (value) return this.handle(value);
        }
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
        if (!ctor) return UNKNOWN;
        const created = this.creation(unwrapTs(ctor), n, true);
        if (created) return created;
        // `new PrismaService()` where the class extends a library's client.
        const b = unwrapTs(ctor).type === 'identifier' ? findBinding(this.mod, unwrapTs(ctor)) : undefined;
        return (b?.kind === 'class' ? handleOfClass(this.ws, this.mod, b.cls) : undefined) ?? UNKNOWN;
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
    if (callee.type === 'identifier') {
      // pg-promise: `const pgp = pgPromise(); const db = pgp(url)`.
      const f = this.handle(callee);
      if (f.factory) return modelOf(f.library)?.invoke?.(f, n, this.api) ?? UNKNOWN;
      return this.returnsOf(callee);
    }
    // `require('pg-promise')(options)`.
    const source = callee.type === 'call_expression' && field(callee, 'function')?.text === 'require' ? stringValue(argAt(callee, 0)) : undefined;
    if (source !== undefined) {
      for (const model of modelsFor(source)) {
        const h = model.create?.('default', undefined, n, false, this.api, source);
        if (h) return h;
      }
    }
    return UNKNOWN;
  }

  /** `a ?? b`, `a || b`: the global-cache singleton (`globalForPrisma.prisma ?? new PrismaClient()`) is `b`. */
  private fallback(n: SyntaxNode): Handle {
    const op = field(n, 'operator')?.text;
    const left = field(n, 'left');
    const right = field(n, 'right');
    if ((op !== '??' && op !== '||') || !left || !right) return UNKNOWN;
    const l = this.handle(left);
    if (l.kind === 'unknown' && isGlobalCache(this.mod, unwrapTs(left))) return this.handle(right);
    const r = this.handle(right);
    return combine([l, r]);
  }

  /**
   * `this.db` inside a class: its field initialiser, constructor parameter property, or the values
   * assigned to it anywhere in the class; agreeing values stand, else its declared type, else what
   * the base class (`extends`) says of it.
   */
  memberOfClass(cls: SyntaxNode, prop: string): Handle {
    const body = field(cls, 'body');
    if (!body || this.depth > MAX_DEPTH) return UNKNOWN;
    const found: Handle[] = [];
    const type = this.memberType(cls, prop);
    for (const member of namedChildren(body)) {
      if (member.type === 'public_field_definition' && field(member, 'name')?.text === prop) {
        const value = field(member, 'value');
        if (value && !isNullish(value)) found.push(this.handle(value));
      } else if (member.type === 'method_definition' && field(member, 'name')?.text === 'constructor') {
        namedChildren(field(member, 'parameters') ?? member).forEach((p, index) => {
          if (isParameterProperty(p) && field(p, 'pattern')?.text === prop) found.push(this.parameter(member, index));
        });
      }
    }
    let declaredHere = found.length > 0 || type !== undefined;
    forEachDescendant(body, (a) => {
      if (a.type !== 'assignment_expression' || found.length > 20) return;
      const left = field(a, 'left');
      const right = field(a, 'right');
      if (left?.type !== 'member_expression' || field(left, 'object')?.type !== 'this' || field(left, 'property')?.text !== prop || !right) return;
      declaredHere = true;
      if (!isNullish(right)) found.push(this.handle(right));
    });
    const known = found.filter((h) => h.kind !== 'unknown');
    const pool = known.find((h) => h.kind === 'pool');
    if (pool) return pool;
    if (known.length) return combine(known.length === found.length ? known : found);
    if (found.some((h) => h.library !== 'unknown' && !h.factory)) return UNKNOWN;
    if (type) return handleOfType(this.ws, this.mod, type) ?? UNKNOWN;
    return declaredHere ? UNKNOWN : this.inherited(cls, (other, base) => other.memberOfClass(base, prop));
  }

  /** The declared type of a class member: a field's annotation or a constructor parameter property's. */
  private memberType(cls: SyntaxNode, prop: string): SyntaxNode | undefined {
    for (const member of namedChildren(field(cls, 'body') ?? cls)) {
      if ((member.type === 'public_field_definition' || member.type === 'property_signature') && field(member, 'name')?.text === prop) return field(member, 'type');
      if (member.type === 'method_definition' && field(member, 'name')?.text === 'constructor') {
        for (const p of namedChildren(field(member, 'parameters') ?? member)) if (isParameterProperty(p) && field(p, 'pattern')?.text === prop) return parameterType(p);
      }
    }
    return undefined;
  }

  /** Asks the base class of `cls` (local, imported, or from a workspace package), with the provenance of its module. */
  private inherited(cls: SyntaxNode, ask: (p: Provenance, base: SyntaxNode) => Handle): Handle {
    const heritage = namedChildren(cls).find((c) => c.type === 'class_heritage');
    const ext = heritage ? namedChildren(heritage).find((c) => c.type === 'extends_clause') : undefined;
    const value = ext ? field(ext, 'value') : undefined;
    const id = value ? unwrapTs(value) : undefined;
    if (id?.type !== 'identifier') return UNKNOWN;
    const b = findBinding(this.mod, id);
    if (b?.kind === 'class') return ask(this, b.cls);
    return this.inDeclaration(id.text, ask) ?? UNKNOWN;
  }

  /** A class or type declared in this module or imported from a workspace module, asked with that module's provenance. */
  private inDeclaration(name: string, ask: (p: Provenance, decl: SyntaxNode) => Handle): Handle | undefined {
    const local = findTypeDeclaration(this.mod, name);
    if (local) return ask(this, local);
    const imp = this.mod.imports.get(name);
    if (!imp || imp.imported === '*' || imp.imported === 'default' || !this.isLocal(imp.source) || this.depth > MAX_DEPTH / 2) return undefined;
    const h = withDeclaration(this.ws, this.mod.path, imp.source, imp.imported, (mod, decl) => {
      const other = new Provenance(this.ws, mod);
      other.depth = this.depth + 2;
      const r: Handle = { ...ask(other, decl) };
      delete r.scope;
      return r;
    });
    return h;
  }

  /** The object literal an expression evaluates to in this module: a const, a local factory's returned literal, a global-cache fallback. */
  private objectLiteral(node: SyntaxNode, depth: number): SyntaxNode | undefined {
    const n = unwrapTs(node);
    if (depth > 4) return undefined;
    if (n.type === 'object') return n;
    if (n.type === 'identifier') {
      const b = findBinding(this.mod, n);
      const value = b?.kind === 'variable' ? field(b.declarator, 'value') : undefined;
      return value ? this.objectLiteral(value, depth + 1) : undefined;
    }
    if (n.type === 'binary_expression' && ['??', '||'].includes(field(n, 'operator')?.text ?? '')) {
      const left = field(n, 'left');
      const right = field(n, 'right');
      return left && right && isGlobalCache(this.mod, unwrapTs(left)) ? this.objectLiteral(right, depth + 1) : undefined;
    }
    if (n.type === 'call_expression') {
      const callee = field(n, 'function');
      const b = callee?.type === 'identifier' ? findBinding(this.mod, callee) : undefined;
      const fn = b?.kind === 'function' ? b.fn : b?.kind === 'variable' ? field(b.declarator, 'value') : undefined;
      if (!fn || !isFunction(unwrapTs(fn))) return undefined;
      const body = field(unwrapTs(fn), 'body');
      if (!body) return undefined;
      if (body.type !== 'statement_block') return this.objectLiteral(body, depth + 1);
      const returns: SyntaxNode[] = [];
      forEachDescendant(body, (r) => {
        if (r.type === 'return_statement' && namedChildren(r)[0]) returns.push(namedChildren(r)[0]!);
      }, (r) => isFunction(r));
      return returns.length === 1 ? this.objectLiteral(returns[0]!, depth + 1) : undefined;
    }
    return undefined;
  }

  /** `x.pool` where `x` is declared as a workspace class or interface whose member `pool` is known. */
  private memberOfDeclaredType(object: SyntaxNode, prop: string): Handle | undefined {
    const type = this.declaredType(object);
    const t = type?.type === 'type_annotation' ? namedChildren(type)[0] : type;
    const name = t?.type === 'generic_type' ? field(t, 'name') : t;
    if (name?.type !== 'type_identifier') return undefined;
    const h = this.inDeclaration(name.text, (p, decl) => {
      if (decl.type === 'class_declaration' || decl.type === 'abstract_class_declaration') return p.memberOfClass(decl, prop);
      if (decl.type === 'interface_declaration') return (handleOfType(p.ws, p.mod, p.memberType(decl, prop)) ?? UNKNOWN);
      return UNKNOWN;
    });
    return h && (h.kind !== 'unknown' || h.library !== 'unknown') ? h : undefined;
  }

  /** The type an expression is declared with: `this.x` (its class member), a parameter or a variable. */
  private declaredType(n: SyntaxNode): SyntaxNode | undefined {
    if (n.type === 'member_expression' && unwrapTs(field(n, 'object') ?? n).type === 'this') {
      const cls = enclosingClass(n);
      const prop = field(n, 'property')?.text;
      return cls && prop ? this.memberType(cls, prop) : undefined;
    }
    if (n.type !== 'identifier') return undefined;
    const b = findBinding(this.mod, n);
    if (b?.kind === 'param') return parameterType(namedChildren(field(b.fn, 'parameters') ?? b.fn)[b.index]);
    if (b?.kind === 'variable') return field(b.declarator, 'type');
    return undefined;
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
    // A generated Prisma client (`./generated/prisma/client`) is a workspace file but the library's API.
    if (b?.kind !== 'import' || (this.isLocal(b.binding.source) && !isGeneratedClient(b.binding.source))) return undefined;
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
      case 'class':
        return UNKNOWN;
      case 'param':
        return this.parameter(b.fn, b.index);
      case 'variable':
        return this.variable(b.declarator);
      case 'function':
        return UNKNOWN;
    }
  }

  /**
   * A variable: its initialiser; `let db = null` / `let db: Pool` is judged by the first value
   * assigned to it in its scope, else by its declared type.
   */
  private variable(declarator: SyntaxNode): Handle {
    const value = field(declarator, 'value');
    if (value && !isNullish(value)) return this.handle(value);
    const name = field(declarator, 'name');
    const assigned = name?.type === 'identifier' ? this.firstAssignment(name.text, declarator) : UNKNOWN;
    if (assigned.kind !== 'unknown' || assigned.library !== 'unknown') return assigned;
    return handleOfType(this.ws, this.mod, field(declarator, 'type')) ?? UNKNOWN;
  }

  /** `let db; … db = drizzle(pool)`: the first non-null assignment in the declaration's scope (the module when not given). */
  private firstAssignment(name: string, declarator?: SyntaxNode): Handle {
    let found: SyntaxNode | undefined;
    let scope: SyntaxNode = this.mod.root;
    for (let a = declarator?.parent; a; a = a.parent) {
      if (a.type === 'statement_block' || a.type === 'program') {
        scope = a;
        break;
      }
    }
    forEachDescendant(scope, (n) => {
      if (found || n.type !== 'assignment_expression' || field(n, 'left')?.text !== name) return;
      const right = field(n, 'right');
      if (right && !isNullish(right)) found = right;
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
    const h = this.returnedValue(fn);
    if (h.kind !== 'unknown' || h.library !== 'unknown') return h;
    // `function getPrisma(): PrismaClient`: the declared return type (a Promise's type argument too).
    return handleOfType(this.ws, this.mod, unwrapPromise(field(fn, 'return_type'))) ?? h;
  }

  private returnedValue(fn: SyntaxNode): Handle {
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

  /** A parameter: a transaction or connection callback's handle, or a helper judged at its call sites, else its declared type. */
  private parameter(fn: SyntaxNode, index: number): Handle {
    const isCtor = fn.type === 'method_definition' && field(fn, 'name')?.text === 'constructor';
    const declared = (): Handle | undefined => {
      const h = handleOfType(this.ws, this.mod, parameterType(namedChildren(field(fn, 'parameters') ?? fn)[index]));
      // A function taking `trx: Knex` is as likely to get a transaction; a constructor's is held for the object's life.
      return h?.alsoTransaction && h.kind === 'pool' && !isCtor ? undefined : h;
    };
    const parent = fn.parent;
    if (parent?.type === 'arguments' && parent.parent?.type === 'call_expression') {
      const h = index === 0 ? this.callbackParameter(parent.parent, fn) : UNKNOWN;
      return h.kind !== 'unknown' ? h : (declared() ?? h);
    }
    const ctorClass = isCtor ? enclosingClass(fn) : undefined;
    const name = ctorClass
      ? field(ctorClass, 'name')?.text
      : fn.type === 'function_declaration'
        ? field(fn, 'name')?.text
        : parent?.type === 'variable_declarator'
          ? field(parent, 'name')?.text
          : undefined;
    if (!name) return declared() ?? UNKNOWN;
    const results: Handle[] = [];
    forEachDescendant(this.mod.root, (n) => {
      if (results.length > 20) return;
      if (ctorClass) {
        // `new Locker(db)` for a constructor's parameter.
        if (n.type !== 'new_expression' || field(n, 'constructor')?.text !== name) return;
      } else {
        if (n.type !== 'call_expression') return;
        // `(helper as any)(db)` too.
        const fnNode = field(n, 'function');
        const callee = fnNode ? unwrapTs(fnNode) : undefined;
        if (callee?.type !== 'identifier' || callee.text !== name) return;
        const b = findBinding(this.mod, callee);
        if (!b || (b.kind === 'function' && !same(b.fn, fn)) || (b.kind === 'variable' && !same(b.declarator, parent))) return;
      }
      const arg = argAt(n, index);
      if (arg) results.push(this.handle(arg));
    });
    // Judged at its call sites: one per-statement caller is enough to make the helper unsafe
    // (unless that caller's handle is known only from a declared type).
    const pool = results.find((h) => h.kind === 'pool' && !h.byType);
    if (pool) return { ...pool, what: pool.what.includes('passed in by a caller') ? pool.what : `${pool.what}, passed in by a caller` };
    const isDefault = isDefaultExport(this.mod, name);
    const fromImporters = findExport(this.mod, name) || isDefault ? this.importerCalls(name, index, !!ctorClass, isDefault) : undefined;
    if (fromImporters?.kind === 'pool' && !fromImporters.byType) return fromImporters;
    const all = fromImporters ? [...results, fromImporters] : results;
    const combined = combine(all);
    if (combined.kind !== 'unknown') return combined;
    // Nothing known at the call sites: the declared type decides; a pinned caller makes a pooled type doubtful.
    const type = declared();
    if (!type) return combined;
    if (type.kind === 'pool' && all.some((h) => h.kind !== 'unknown')) return UNKNOWN;
    return type;
  }

  /** The exported helper's parameter as the modules importing it pass it (cached by text hash). */
  private importerCalls(name: string, index: number, construct = false, isDefault = false): Handle | undefined {
    const text = this.ws.readFile(this.mod.path);
    if (text === undefined || this.depth > MAX_DEPTH / 2) return undefined;
    const key = `${this.mod.path}\0${name}\0${construct ? 'new' : 'param'}${index}\0${hash(text)}\0${this.ws.version?.() ?? 'none'}`;
    const cached = exportCache.get(key);
    if (cached) return cached;
    const results: Handle[] = [];
    forEachImportedCall(this.ws, this.mod.path, name, index, construct, isDefault, (mod, arg) => {
      const other = new Provenance(this.ws, mod);
      other.depth = this.depth + 1;
      const h = other.handle(arg);
      const strong = h.kind === 'pool' && !h.byType;
      results.push(strong && !h.what.includes('passed in by a caller') ? { ...h, what: `${h.what}, passed in by a caller in ${relativeName(this.mod.path, mod.path)}` } : h);
      return strong;
    });
    const pool = results.find((h) => h.kind === 'pool' && !h.byType);
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
        if (!exp) {
          // Barrels: `export { db } from './pool'`, `export * from './pool'`.
          for (const re of findReexports(mod, name).slice(0, 8)) {
            const h = other.imported(re.source, re.imported, call);
            if (h.kind !== 'unknown' || h.library !== 'unknown') return h;
          }
          return UNKNOWN;
        }
        let node = exp.node;
        if (exp.local) {
          const local = findLocal(mod, exp.local);
          if (!local) {
            // `import { db } from './pool'; export { db }`.
            const imp = mod.imports.get(exp.local);
            return imp ? other.importedBinding(imp.source, imp.imported, call) : UNKNOWN;
          }
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

  /** An imported name, from a package (its model's value) or a workspace module. */
  private importedBinding(source: string, imported: string, call: boolean): Handle {
    if (!this.isLocal(source)) {
      for (const m of modelsFor(source)) {
        const v = m.value?.(imported);
        if (v) return v;
      }
      return UNKNOWN;
    }
    return this.imported(source, imported, call);
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

const CLASS_TYPES = new Set(['class_declaration', 'abstract_class_declaration', 'class']);

/** The class whose `this` a node sees: arrow functions keep it, other functions rebind it. */
function enclosingClass(node: SyntaxNode): SyntaxNode | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (CLASS_TYPES.has(n.type)) return n;
    if (n.type === 'function_expression' || n.type === 'function_declaration' || n.type === 'generator_function_declaration') return undefined;
  }
  return undefined;
}

/** `constructor(private readonly db: Pool)`: a TypeScript parameter property. */
function isParameterProperty(p: SyntaxNode): boolean {
  return (p.type === 'required_parameter' || p.type === 'optional_parameter') && p.children.some((c) => c?.type === 'accessibility_modifier' || c?.type === 'readonly' || c?.type === 'override_modifier');
}

/** `Promise<PoolClient>` → `PoolClient`; other types unchanged. */
function unwrapPromise(type: SyntaxNode | undefined): SyntaxNode | undefined {
  const t = type?.type === 'type_annotation' ? namedChildren(type)[0] : type;
  if (t?.type === 'generic_type' && field(t, 'name')?.text === 'Promise') return namedChildren(field(t, 'type_arguments') ?? t)[0];
  return t;
}

function isNullish(n: SyntaxNode): boolean {
  const u = unwrapTs(n);
  return u.type === 'null' || u.type === 'undefined' || (u.type === 'identifier' && u.text === 'undefined');
}

/** `globalForPrisma.prisma`, `(globalThis as any).db`, `global.pool`: a cache on the global object. */
function isGlobalCache(mod: ModuleInfo, n: SyntaxNode): boolean {
  if (n.type !== 'member_expression') return false;
  let o = unwrapTs(field(n, 'object') ?? n);
  for (let i = 0; i < 3 && o.type === 'identifier'; i++) {
    if (o.text === 'globalThis' || o.text === 'global' || o.text === 'window') return true;
    const b = findBinding(mod, o);
    const value = b?.kind === 'variable' ? field(b.declarator, 'value') : undefined;
    if (!value) return false;
    o = unwrapTs(value);
  }
  return false;
}

/** `export default class Locker`, `export default Locker`. */
function isDefaultExport(mod: ModuleInfo, name: string): boolean {
  const exp = findExport(mod, 'default');
  if (!exp) return false;
  return exp.node.type === 'identifier' ? exp.node.text === name : field(exp.node, 'name')?.text === name;
}

function isGeneratedClient(source: string): boolean {
  return /(^|\/)generated\/prisma(\/|$)|(^|\/)prisma\/client$/.test(source) || source.endsWith('/prisma-client') ;
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
