// Where session SETs are sent: from each string or template that sets statement_timeout, lock_timeout
// or search_path for the session, up to the call that sends it (`pool.query(…)`, `db.execute(sql.raw(…))`,
// the postgres.js `sql` tag, `prisma.$executeRawUnsafe(…)`), and that call's handle, through the same
// provenance the advisory-lock rules use.

import type { SyntaxNode } from '../parser';
import { sessionSettings, mentionsSessionSetting, type SessionSetting } from '../sql/session-settings';
import { field, same } from '../tree';
import { unwrapTs } from '../typescript/env-conditions';
import type { Provenance } from './provenance';
import { argsOf, memberCall, sqlText } from './syntax';
import type { Handle } from './types';

export interface SettingSite {
  call: SyntaxNode;
  settings: SessionSetting[];
  /** `pool.query`, `sql` (a tag), `prisma.$executeRawUnsafe`. */
  via: string;
  handle: Handle;
}

const EXEC_METHODS = new Set(['query', 'execute', 'raw', 'unsafe', '$executeRaw', '$executeRawUnsafe', '$queryRaw', '$queryRawUnsafe', 'none', 'any', 'one', 'many']);
const WRAPPERS = new Set(['parenthesized_expression', 'as_expression', 'satisfies_expression', 'non_null_expression', 'await_expression']);

export function findSettingSites(root: SyntaxNode, prov: Provenance): SettingSite[] {
  const out: SettingSite[] = [];
  const seen = new Set<number>();
  for (const n of root.descendantsOfType(['string', 'template_string'])) {
    if (!n || !mentionsSessionSetting(n.text)) continue;
    const settings = sessionSettings(sqlText(n) ?? '');
    if (settings.length === 0) continue;
    const site = climb(n, prov);
    if (!site || seen.has(site.call.id)) continue;
    seen.add(site.call.id);
    out.push({ ...site, settings });
  }
  return out;
}

function climb(start: SyntaxNode, prov: Provenance): Omit<SettingSite, 'settings'> | undefined {
  let cur = start;
  for (let guard = 0; guard < 12; guard++) {
    const p = cur.parent;
    if (!p) return undefined;
    if (WRAPPERS.has(p.type)) {
      cur = p;
      continue;
    }
    // pg QueryConfig: client.query({ text: 'SET …' })
    if (p.type === 'pair' && ['text', 'sql', 'query'].includes(field(p, 'key')?.text ?? '') && p.parent?.type === 'object') {
      cur = p.parent;
      continue;
    }
    if (p.type === 'arguments') {
      const call = p.parent;
      if (call?.type !== 'call_expression' || !same(argsOf(call)[0], cur)) return undefined;
      const mc = memberCall(call);
      // sql.raw('SET …') passed on builds SQL for an outer call (drizzle db.execute); knex.raw alone runs it.
      if (mc?.method === 'raw' && call.parent?.type === 'arguments') {
        cur = call;
        continue;
      }
      // Kysely: sql.raw('SET …').execute(conn)
      const outer = call.parent?.parent;
      if (mc?.method === 'raw' && call.parent?.type === 'member_expression' && field(call.parent, 'property')?.text === 'execute' && outer?.type === 'call_expression') {
        const conn = argsOf(outer)[0];
        return conn ? { call: outer, via: `execute(${short(conn)})`, handle: prov.handle(conn) } : undefined;
      }
      if (!mc || !EXEC_METHODS.has(mc.method)) return undefined;
      return { call, via: `${short(mc.object)}.${mc.method}`, handle: prov.handle(mc.object) };
    }
    if (p.type === 'call_expression' && same(field(p, 'arguments'), cur)) {
      // A tagged template: postgres.js `sql\`SET …\``, Prisma `prisma.$executeRaw\`SET …\``, drizzle's sql builder.
      const tag = unwrapTs(field(p, 'function')!);
      const target = tag.type === 'member_expression' ? field(tag, 'object')! : tag;
      const handle = prov.handle(target);
      if (handle.kind === 'unknown' && p.parent?.type === 'arguments') {
        cur = p;
        continue;
      }
      return { call: p, via: tag.type === 'member_expression' ? `${short(target)}.${field(tag, 'property')?.text ?? ''}` : short(tag), handle };
    }
    return undefined;
  }
  return undefined;
}

function short(n: SyntaxNode): string {
  const t = n.text;
  return t.length <= 30 && !/["'`\s]/.test(t) ? t : 'handle';
}
