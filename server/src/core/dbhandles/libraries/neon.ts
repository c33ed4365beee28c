// @neondatabase/serverless `neon(url)` and @vercel/postgres `sql`: one HTTP request per statement,
// no session (knowledge §1.11, §1.12). Their Pool/Client follow node-postgres (libraries/pg.ts).

import { argAt } from '../syntax';
import type { LibraryModel } from '../types';
import { pgConnection } from './pg';

export const neonModel: LibraryModel = {
  library: 'neon',
  matches: (s) => s === '@neondatabase/serverless',
  create(imported, _member, call, _isNew, r) {
    if (imported === 'neon') return { kind: 'http', library: 'neon', what: 'a neon() HTTP client', connection: r.connection(argAt(call, 0)) };
    return undefined;
  },
};

export const vercelPostgresModel: LibraryModel = {
  library: 'vercel-postgres',
  matches: (s) => s === '@vercel/postgres',
  value(imported) {
    if (imported === 'sql' || imported === 'db') return { kind: 'http', library: 'vercel-postgres', what: '@vercel/postgres sql (HTTP per statement)', connection: { envVar: 'POSTGRES_URL' } };
    return undefined;
  },
  create(imported, _member, call, _isNew, r) {
    if (imported === 'createPool') return { kind: 'pool', library: 'vercel-postgres', what: 'a @vercel/postgres pool', connection: pgConnection(call, r) ?? { envVar: 'POSTGRES_URL' } };
    if (imported === 'createClient') return { kind: 'pinned', library: 'vercel-postgres', what: 'a @vercel/postgres client', connection: pgConnection(call, r) ?? { envVar: 'POSTGRES_URL_NON_POOLING' } };
    return undefined;
  },
  derive(handle, method, call) {
    if (method === 'connect' && !argAt(call, 0)) return { kind: 'pinned', library: 'vercel-postgres', what: 'a client from sql.connect()', connection: handle.connection };
    return undefined;
  },
  execKind(handle, method) {
    // sql.query forwards to a neon Pool over WebSocket: per statement, not HTTP.
    return handle.kind === 'http' && method === 'query' ? 'pool' : undefined;
  },
};
