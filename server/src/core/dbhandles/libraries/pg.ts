// node-postgres (`pg`, `pg-pool`) and its WebSocket twin in @neondatabase/serverless: `pool.query`
// borrows a client per statement; `pool.connect()` and `new Client` are pinned (knowledge §1.1, §1.11).

import type { Handle, LibraryModel, Resolve } from '../types';
import type { SyntaxNode } from '../../parser';
import { firstArg, objectProperty } from '../syntax';

export function pgConnection(call: SyntaxNode, r: Resolve): Handle['connection'] {
  const arg = firstArg(call);
  if (!arg) return undefined;
  if (arg.type === 'object') return r.connection(objectProperty(arg, 'connectionString') ?? objectProperty(arg, 'host'));
  return r.connection(arg);
}

export const pgModel: LibraryModel = {
  library: 'pg',
  matches: (s) => s === 'pg' || s === 'pg-pool' || s === '@neondatabase/serverless',
  create(imported, member, call, _isNew, r) {
    const name = member ?? imported;
    if (name === 'Pool' || (name === 'default' && imported === 'default' && !member)) {
      return { kind: 'pool', library: 'pg', what: 'a pg Pool', connection: pgConnection(call, r) };
    }
    if (name === 'Client') return { kind: 'pinned', library: 'pg', what: 'a pg Client', connection: pgConnection(call, r) };
    return undefined;
  },
  typed(name) {
    if (name === 'Pool') return { kind: 'pool', library: 'pg', what: 'a pg Pool' };
    if (name === 'PoolClient' || name === 'Client' || name === 'ClientBase') return { kind: 'pinned', library: 'pg', what: `a pg ${name}` };
    return undefined;
  },
  derive(handle, method, call) {
    // pool.connect() with no callback resolves to a PoolClient pinned until release().
    if (handle.kind === 'pool' && method === 'connect' && !firstArg(call)) {
      return { kind: 'pinned', library: 'pg', what: 'a client from pool.connect()', connection: handle.connection };
    }
    return undefined;
  },
};
