// What a connection string says about the route to the database, judged without ever handing the value
// out: whether it goes through a transaction-mode pooler (claims pooler.transaction-mode,
// pooler.supabase-session): port 6543 (Supabase/Supavisor transaction mode), a `-pooler.` host (Neon,
// @vercel/postgres), or `pgbouncer=true`; and whether its host is a Supabase direct host
// (db.<ref>.supabase.co, IPv6 only: claim supabase.direct-ipv6). A pooler.supabase.com host alone is
// not a transaction pooler: on port 5432 it is Supavisor's session mode, where session locks work.
//
// Values are read from literals or from the workspace's `.env*` files in the project folder (the nearest
// folder above with a package.json or a Gemfile); only variable and file names and these judgements
// ever leave this module, never a value.

import { basename, dirname, join } from 'node:path';
import type { Workspace } from '../types';
import type { ConnectionSource } from './types';

const SIGNALS: [RegExp, string][] = [
  [/-pooler\./i, 'a -pooler. host'],
  [/:6543(?![0-9])/, 'port 6543'],
  [/[?&]pgbouncer=true\b/i, 'pgbouncer=true'],
];

/** db.<project ref>.supabase.co; the ref may be written as a CI expression (`${{ secrets.REF }}`). */
const SUPABASE_DIRECT = /(?:^|[^A-Za-z0-9.-])db\.(?:[a-z0-9]{6,40}|\$\{\{[^}]*\}\}|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)\.supabase\.co(?![A-Za-z0-9.-])/i;

export function poolerSignal(url: string): string | undefined {
  return SIGNALS.find(([re]) => re.test(url))?.[1];
}

/** Where a Supabase direct host starts in a text, or -1. */
export function supabaseDirectHostAt(text: string): number {
  const m = SUPABASE_DIRECT.exec(text);
  if (!m) return -1;
  return m.index + m[0].indexOf('db.');
}

export interface PoolerEvidence {
  /** "the connection string written here" or "DATABASE_URL in .env". */
  where: string;
  signal: string;
  /** For a connection given as parts, the part that carries the signal. */
  part?: keyof ConnectionParts;
}

/** What a connection is made of: a whole URL, or a host and a port given apart (knex, TypeORM, drizzle-kit). */
export interface ConnectionParts {
  url?: ConnectionSource;
  host?: ConnectionSource;
  port?: ConnectionSource;
}

export function poolerEvidence(ws: Workspace, file: string, source: ConnectionSource | undefined): PoolerEvidence | undefined {
  return judged(ws, file, source, poolerSignal, 'the connection string written here');
}

/** The same for a connection given as parts: the URL, else a `-pooler.` host or port 6543. */
export function partsPoolerEvidence(ws: Workspace, file: string, parts: ConnectionParts): PoolerEvidence | undefined {
  if (parts.url) {
    const e = poolerEvidence(ws, file, parts.url);
    return e && { ...e, part: 'url' };
  }
  const port = judged(ws, file, parts.port, (v) => (/^\s*6543\s*$/.test(v) ? 'port 6543' : undefined), 'the port written here');
  if (port) return { ...port, part: 'port' };
  const host = judged(ws, file, parts.host, (v) => (/-pooler\./i.test(v) ? 'a -pooler. host' : undefined), 'the host written here');
  return host && { ...host, part: 'host' };
}

/**
 * A judgement of a literal, or of the named variable's value in the project's `.env*` files (the first
 * file, in name order, whose value the judge accepts). The judge sees the value; the caller sees its verdict.
 */
function judged(ws: Workspace, file: string, source: ConnectionSource | undefined, judge: (value: string) => string | undefined, literalWhere: string): PoolerEvidence | undefined {
  if (!source) return undefined;
  if (source.literal !== undefined) {
    const signal = judge(source.literal);
    return signal ? { where: literalWhere, signal } : undefined;
  }
  if (!source.envVar) return undefined;
  for (const envFile of envFiles(ws, file)) {
    const value = readEnvValue(ws.readFile(envFile) ?? '', source.envVar);
    const signal = value === undefined ? undefined : judge(value);
    if (signal) return { where: `${source.envVar} in ${basename(envFile)}`, signal };
  }
  return undefined;
}

/** `.env*` files in the project folder above the file: the nearest with a package.json or a Gemfile (within the workspace). */
function envFiles(ws: Workspace, file: string): string[] {
  let dir = dirname(file);
  for (;;) {
    if (ws.fileExists(join(dir, 'package.json')) || ws.fileExists(join(dir, 'Gemfile'))) break;
    const parent = dirname(dir);
    if (parent === dir || !parent.startsWith(ws.root) || dir === ws.root) break;
    dir = parent;
  }
  const listed = ws.listDir?.(dir);
  const names = listed
    ? listed.filter((n) => /^\.env(\..+)?$/.test(n) && !n.endsWith('/'))
    : ['.env', '.env.local', '.env.production', '.env.production.local', '.env.development'];
  return names.sort().map((n) => join(dir, n)).filter((p) => ws.fileExists(p));
}

function readEnvValue(text: string, name: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (m && m[1] === name) return m[2]!.trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return undefined;
}
