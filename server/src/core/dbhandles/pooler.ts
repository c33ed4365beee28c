// Whether a connection string points at a transaction-mode pooler (claims pooler.transaction-mode,
// pooler.supabase-session): port 6543 (Supabase/Supavisor transaction mode), a `-pooler.` host (Neon,
// @vercel/postgres), or `pgbouncer=true`. A pooler.supabase.com host alone is not one: on port 5432
// it is Supavisor's session mode, where session locks work. Values are read from literals or from the workspace's
// `.env*` files next to package.json; only variable and file names ever reach a message.

import { basename, dirname, join } from 'node:path';
import type { Workspace } from '../types';
import type { ConnectionSource } from './types';

const SIGNALS: [RegExp, string][] = [
  [/-pooler\./i, 'a -pooler. host'],
  [/:6543(?![0-9])/, 'port 6543'],
  [/[?&]pgbouncer=true\b/i, 'pgbouncer=true'],
];

export function poolerSignal(url: string): string | undefined {
  return SIGNALS.find(([re]) => re.test(url))?.[1];
}

export interface PoolerEvidence {
  /** "the literal connection string" or "DATABASE_URL in .env". */
  where: string;
  signal: string;
}

export function poolerEvidence(ws: Workspace, file: string, source: ConnectionSource | undefined): PoolerEvidence | undefined {
  if (!source) return undefined;
  if (source.literal !== undefined) {
    const signal = poolerSignal(source.literal);
    return signal ? { where: 'the connection string written here', signal } : undefined;
  }
  if (!source.envVar) return undefined;
  for (const envFile of envFiles(ws, file)) {
    const value = readEnvValue(ws.readFile(envFile) ?? '', source.envVar);
    const signal = value === undefined ? undefined : poolerSignal(value);
    if (signal) return { where: `${source.envVar} in ${basename(envFile)}`, signal };
  }
  return undefined;
}

/** `.env*` files in the folder of the nearest package.json above the file (within the workspace). */
function envFiles(ws: Workspace, file: string): string[] {
  let dir = dirname(file);
  for (;;) {
    if (ws.fileExists(join(dir, 'package.json'))) break;
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
