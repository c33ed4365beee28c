// postgres.js: the `sql` tag runs on the next available connection unless the client has `max: 1`;
// `sql.begin(cb)` and `sql.reserve()` pin one (knowledge §1.2).

import type { SyntaxNode } from '../../parser';
import { numberValue, objectProperty, argAt } from '../syntax';
import type { LibraryModel } from '../types';

export function maxOption(call: SyntaxNode): number | undefined {
  for (const arg of [argAt(call, 0), argAt(call, 1)]) {
    if (arg?.type === 'object') {
      const max = objectProperty(arg, 'max');
      if (max) return numberValue(max) ?? NaN;
    }
  }
  return undefined;
}

export const postgresJsModel: LibraryModel = {
  library: 'postgres',
  matches: (s) => s === 'postgres',
  create(imported, _member, call, _isNew, r) {
    if (imported !== 'default' && imported !== '*') return undefined;
    const first = argAt(call, 0);
    const connection = first && first.type !== 'object' ? r.connection(first) : undefined;
    const max = maxOption(call);
    if (max === 1) return { kind: 'pinned', library: 'postgres', what: 'a postgres.js client with max: 1', connection };
    return { kind: 'pool', library: 'postgres', what: max === undefined ? 'a postgres.js client (max defaults to 10)' : 'a postgres.js client with max > 1', connection };
  },
  derive(handle, method) {
    if (method === 'reserve') return { kind: 'pinned', library: 'postgres', what: 'a connection from sql.reserve()', connection: handle.connection };
    return undefined;
  },
  typed(name) {
    // A plain `Sql` may have max: 1; only the pinned types say something.
    if (name === 'TransactionSql') return { kind: 'transaction', library: 'postgres', what: 'a postgres.js transaction' };
    if (name === 'ReservedSql') return { kind: 'pinned', library: 'postgres', what: 'a reserved postgres.js connection' };
    return undefined;
  },
  callback(_handle, method) {
    return method === 'begin' || method === 'savepoint' ? 'transaction' : undefined;
  },
};
