// Where advisory-lock SQL is run: from each string or template that names an advisory-lock
// function, climb through concatenations, SQL builders (`sql\`…\``, `sql.raw`, `Prisma.sql`) and
// consts to the call that sends it, and resolve that call's handle.

import type { SyntaxNode } from '../parser';
import { advisoryCalls, isSelfContainedTransaction, mentionsAdvisoryLock, type AdvisoryCall } from '../sql/advisory-locks';
import { field, same } from '../tree';
import { unwrapTs } from '../typescript/env-conditions';
import { modelOf, modelsFor } from './libraries';
import { findBinding } from './modules';
import type { Provenance } from './provenance';
import { argAt, argsOf, forEachDescendant, isFunction, memberCall, objectProperty, sqlText } from './syntax';
import { UNKNOWN, type Handle } from './types';

export interface ExecSite {
  /** The call that sends the SQL (the finding's range). */
  call: SyntaxNode;
  /** The string or template holding the advisory-lock call. */
  sqlNode: SyntaxNode;
  calls: AdvisoryCall[];
  /** The handle expression (`db`, `pool`, `sql`), when there is one. */
  receiver?: SyntaxNode;
  /** `execute`, `query`, `$queryRaw`, `raw`, `tag` (the handle itself is the template tag), `execute(db)` (Kysely). */
  method: string;
  handle: Handle;
  /** `BEGIN; …; COMMIT;` in one string: pinned for its duration whatever the handle. */
  selfContained: boolean;
}

const EXEC_METHODS = new Set([
  'execute',
  'query',
  'raw',
  'unsafe',
  '$queryRaw',
  '$executeRaw',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
  'one',
  'oneFirst',
  'maybeOne',
  'maybeOneFirst',
  'many',
  'manyFirst',
  'any',
  'anyFirst',
  'exists',
  'sql',
  // pg-promise
  'none',
  'oneOrNone',
  'manyOrNone',
  'result',
  'multi',
  'multiResult',
  // AdonisJS Lucid
  'rawQuery',
]);
const PRISMA_TAGS = new Set(['$queryRaw', '$executeRaw']);
const WRAPPERS = new Set(['binary_expression', 'parenthesized_expression', 'as_expression', 'satisfies_expression', 'non_null_expression', 'await_expression']);

export function findExecSites(root: SyntaxNode, prov: Provenance): ExecSite[] {
  const sites: ExecSite[] = [];
  const seen = new Set<number>();
  // descendantsOfType runs in wasm and materialises only the matches.
  for (const n of root.descendantsOfType(['string', 'template_string'])) {
    if (!n || !mentionsAdvisoryLock(n.text)) continue;
    let top = n;
    while (top.parent && WRAPPERS.has(top.parent.type) && top.parent.type !== 'await_expression') top = top.parent;
    const sql = sqlText(top) ?? sqlText(n) ?? '';
    const calls = advisoryCalls(sql);
    if (calls.length === 0) continue;
    for (const site of climb(n, prov, 0)) {
      if (seen.has(site.call.id)) continue;
      seen.add(site.call.id);
      sites.push({ ...site, sqlNode: n, calls, selfContained: isSelfContainedTransaction(sql) });
    }
  }
  return sites.sort((a, b) => a.call.startIndex - b.call.startIndex);
}

/**
 * Where a finding about a site points: the lock function's name in its SQL when that SQL is written
 * in the same function (the whole SQL string when the name sits on a later line of a multi-line
 * template, so a disable comment above it stays outside the string); else the SQL argument of the call.
 */
export function squiggle(site: ExecSite): { startIndex: number; endIndex: number } {
  const sql = site.sqlNode;
  const inCall = sql.startIndex >= site.call.startIndex && sql.endIndex <= site.call.endIndex;
  if (inCall || same(enclosingFunction(sql), enclosingFunction(site.call))) {
    const name = site.calls[0]?.name;
    const at = name ? sql.text.indexOf(name) : -1;
    if (at < 0) return sql;
    if (sql.text.slice(0, at).includes('\n')) return sql;
    return { startIndex: sql.startIndex + at, endIndex: sql.startIndex + at + name!.length };
  }
  return argsOf(site.call)[0] ?? site.call;
}

function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunction(n)) return n;
  return undefined;
}

type Partial = Omit<ExecSite, 'sqlNode' | 'calls' | 'selfContained'>;

function climb(start: SyntaxNode, prov: Provenance, depth: number): Partial[] {
  let cur = start;
  for (let guard = 0; guard < 30; guard++) {
    const p = cur.parent;
    if (!p) return [];
    const generic = p.type === 'binary_expression' ? genericTag(p, cur, prov) : undefined;
    if (generic) return [generic];
    if (WRAPPERS.has(p.type)) {
      cur = p;
      continue;
    }
    switch (p.type) {
      case 'template_substitution':
        if (!p.parent) return [];
        cur = p.parent;
        continue;
      case 'pair': {
        // pg QueryConfig: pool.query({ text: '…', values })
        const key = field(p, 'key')?.text;
        if ((key !== 'text' && key !== 'sql' && key !== 'query') || !p.parent) return [];
        cur = p.parent;
        continue;
      }
      case 'arguments': {
        const call = p.parent;
        if (!call || call.type !== 'call_expression') return [];
        if (isBuilder(call, prov)) {
          cur = call;
          continue;
        }
        const index = argsOf(call).findIndex((a) => same(a, cur));
        const site = index === 0 ? fromMethodCall(call, prov) : undefined;
        return site ? [site] : [];
      }
      case 'call_expression': {
        if (!same(field(p, 'arguments'), cur)) return [];
        if (isBuilder(p, prov)) {
          cur = p;
          continue;
        }
        const site = fromTaggedTemplate(p, prov);
        // An unknown plain tag (a project's own `sql` helper) may only build the query: follow it on.
        if (site.handle.kind === 'unknown' && site.method === 'tag' && unwrapTs(site.receiver ?? p).type === 'identifier') {
          const further = climb(p, prov, depth);
          if (further.length) return further;
        }
        return [site];
      }
      case 'member_expression': {
        // Kysely: sql`…`.execute(db)
        const call = p.parent;
        if (field(p, 'property')?.text === 'execute' && call?.type === 'call_expression' && same(field(call, 'function'), p)) {
          const receiver = argAt(call, 0);
          return [{ call, receiver, method: 'execute(db)', handle: receiver ? prov.handle(receiver) : UNKNOWN }];
        }
        return [];
      }
      case 'variable_declarator': {
        // const LOCK = 'select pg_advisory_lock(1)'; … pool.query(LOCK)
        const name = field(p, 'name');
        if (name?.type !== 'identifier' || depth > 1) return [];
        const out: Partial[] = [];
        forEachDescendant(prov.module.root, (n) => {
          if (out.length > 20 || n.type !== 'identifier' || n.text !== name.text || same(n, name)) return;
          const b = findBinding(prov.module, n);
          if (b?.kind === 'variable' && same(b.declarator, p)) out.push(...climb(n, prov, depth + 1));
        });
        return out;
      }
      default:
        return [];
    }
  }
  return [];
}

/** `handle.method(sql, …)`, with knex's `.connection(c)` / `.transacting(trx)` and Sequelize's `{ transaction }` option. */
function fromMethodCall(call: SyntaxNode, prov: Provenance): Partial | undefined {
  const mc = memberCall(call);
  if (!mc || !EXEC_METHODS.has(mc.method)) return undefined;
  const chained = call.parent?.type === 'member_expression' ? field(call.parent, 'property')?.text : undefined;
  const outer = call.parent?.parent;
  if ((chained === 'connection' || chained === 'transacting') && outer?.type === 'call_expression') {
    return { call, receiver: argAt(outer, 0), method: mc.method, handle: { kind: chained === 'transacting' ? 'transaction' : 'pinned', library: 'knex', what: `a knex query with .${chained}(…)` } };
  }
  let handle = prov.handle(mc.object);
  const options = argsOf(call).slice(1).map(unwrapTs).find((a) => a.type === 'object' && objectProperty(a, 'transaction'));
  if (options && handle.kind === 'pool') handle = { ...handle, kind: 'transaction', what: `${handle.what} with a { transaction } option` };
  const execKind = modelOf(handle.library)?.execKind?.(handle, mc.method);
  if (execKind) handle = { ...handle, kind: execKind };
  return { call, receiver: mc.object, method: mc.method, handle };
}

/** ``sql`…` `` (postgres.js, neon, a tx tag) or ``prisma.$queryRaw`…` ``. */
function fromTaggedTemplate(call: SyntaxNode, prov: Provenance): Partial {
  const tag = unwrapTag(field(call, 'function')!);
  if (tag.type === 'member_expression' && PRISMA_TAGS.has(field(tag, 'property')?.text ?? '')) {
    const object = field(tag, 'object')!;
    return { call, receiver: object, method: field(tag, 'property')!.text, handle: prov.handle(object) };
  }
  if (tag.type === 'member_expression' && field(tag, 'property')?.text === 'sql') {
    // TypeORM dataSource.sql`…`, @vercel/postgres client.sql`…`
    const object = field(tag, 'object')!;
    return { call, receiver: object, method: 'sql', handle: prov.handle(object) };
  }
  return { call, receiver: tag, method: 'tag', handle: prov.handle(tag) };
}

/**
 * ``await prisma.$queryRaw<T[]>`…` `` parses as `(await prisma.$queryRaw) < T[] > `…``: a comparison
 * whose right side is the template. Read it as the tagged call it is.
 */
function genericTag(p: SyntaxNode, cur: SyntaxNode, prov: Provenance): Partial | undefined {
  if (field(p, 'operator')?.text !== '>' || !same(field(p, 'right'), cur) || cur.type !== 'template_string') return undefined;
  const lt = field(p, 'left');
  if (lt?.type !== 'binary_expression' || field(lt, 'operator')?.text !== '<') return undefined;
  const tag = unwrapTs(field(lt, 'left') ?? lt);
  if (tag.type !== 'member_expression' || !PRISMA_TAGS.has(field(tag, 'property')?.text ?? '')) return undefined;
  const object = field(tag, 'object')!;
  return { call: p, receiver: object, method: field(tag, 'property')!.text, handle: prov.handle(object) };
}

/** `prisma.$queryRaw<T>` parses as an instantiation expression (tree-sitter-typescript recovers it with a MISSING `!`). */
function unwrapTag(node: SyntaxNode): SyntaxNode {
  let n = unwrapTs(node);
  while (n.type === 'instantiation_expression' || n.type === 'non_null_expression' || n.type === 'await_expression') {
    const inner = n.namedChildren[0];
    if (!inner) break;
    n = unwrapTs(inner);
  }
  return n;
}

/** A call that only builds SQL: drizzle/Kysely/Slonik `sql` tag and helpers, `Prisma.sql`, `sql.raw`. */
function isBuilder(call: SyntaxNode, prov: Provenance): boolean {
  let callee = unwrapTag(field(call, 'function')!);
  let member: string | undefined;
  while (callee.type === 'member_expression' || callee.type === 'call_expression') {
    if (callee.type === 'member_expression') member ??= field(callee, 'property')?.text;
    callee = unwrapTs(field(callee, callee.type === 'member_expression' ? 'object' : 'function')!);
  }
  if (callee.type !== 'identifier') return false;
  const b = findBinding(prov.module, callee);
  if (b?.kind === 'import') return modelsFor(b.binding.source).some((m) => m.builders?.includes(b.binding.imported));
  // An unbound `sql.raw(…)` / `sql.join(…)` is a builder; an unbound `sql` tag could be a postgres.js client.
  return callee.text === 'sql' && member !== undefined && member !== 'unsafe' && member !== 'begin' && member !== 'reserve';
}
