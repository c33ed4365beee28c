// drizzle-orm: `db.execute` runs on the driver client underneath, so its kind is the client's;
// `db.transaction(cb)` pins one connection; neon-http has no session at all (knowledge §1.3).

import { argAt, objectProperty } from '../syntax';
import type { SyntaxNode } from '../../parser';
import type { Handle, LibraryModel, Resolve } from '../types';


export const drizzleModel: LibraryModel = {
  library: 'drizzle',
  matches: (s) => s === 'drizzle-orm' || s.startsWith('drizzle-orm/'),
  builders: ['sql'],
  create(imported, _member, call, _isNew, r, source) {
    if (imported !== 'drizzle') return undefined;
    return withDriver(drizzleOver(call, r), source.replace(/^drizzle-orm\/?/, ''));
  },
  callback(_handle, method) {
    return method === 'transaction' ? 'transaction' : undefined;
  },
  derive(handle, method) {
    return method === '$client' ? handle.client : undefined;
  },
  typed(name) {
    // PgDatabase is also the base of every transaction type (`db: PgDatabase` "accepts both"): not evidence.
    if (/^(NodePg|PostgresJs|Neon|BunSQL)Database$/.test(name)) return { kind: 'pool', library: 'drizzle', what: `a drizzle ${name}` };
    if (name === 'NeonHttpDatabase') return { kind: 'http', library: 'drizzle', what: 'a drizzle neon-http db (one HTTP request per statement)', driver: 'neon-http' };
    if (/^(NodePg|PostgresJs|Pg|Neon)Transaction$/.test(name)) return { kind: 'transaction', library: 'drizzle', what: `a drizzle ${name}` };
    return undefined;
  },
};

/** `drizzle(client)`, `drizzle({ client })`, `drizzle(url)`, `drizzle({ connection })`; the driver comes from the import path. */
function drizzleOver(call: SyntaxNode, r: Resolve): Handle {
  const first = argAt(call, 0);
  const clientExpr = first?.type === 'object' ? objectProperty(first, 'client') : first;
  const connectionExpr = first?.type === 'object' ? objectProperty(first, 'connection') : undefined;
  const base = { library: 'drizzle' as const };
  if (clientExpr && clientExpr.type !== 'string' && clientExpr.type !== 'template_string') {
    const client = r.handle(clientExpr);
    if (client.kind === 'unknown') return { ...base, kind: 'unknown', what: 'a drizzle db over a client of unknown kind', client };
    return { ...base, kind: client.kind, what: `a drizzle db over ${client.what}`, client, connection: client.connection };
  }
  // drizzle(url) / drizzle({ connection }) builds its own Pool (node-postgres) or postgres.js client.
  const conn = r.connection(clientExpr ?? connectionExpr);
  return { ...base, kind: 'pool', what: 'a drizzle db over a pool it creates from the URL', connection: conn };
}

function withDriver(h: Handle, driver: string): Handle {
  if (driver === 'neon-http') return { kind: 'http', library: 'drizzle', what: 'a drizzle neon-http db (one HTTP request per statement)', driver, client: h.client, connection: h.connection };
  // drizzle-orm/vercel-postgres runs execute through client.query, a neon Pool over WebSocket.
  if (driver === 'vercel-postgres') return { ...h, kind: 'pool', what: 'a drizzle vercel-postgres db (its pool)', driver };
  return { ...h, driver };
}
