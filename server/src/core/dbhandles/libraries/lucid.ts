// AdonisJS Lucid: the `db` service (a Database over knex) runs `db.rawQuery(…)` on a pooled
// connection per statement; `db.transaction(cb)` and `await db.transaction()` hold one connection.

import { argAt } from '../syntax';
import type { Handle, LibraryModel } from '../types';

const SERVICE: Handle = { kind: 'pool', library: 'lucid', what: 'the Lucid db service (a knex pool)' };

export const lucidModel: LibraryModel = {
  library: 'lucid',
  matches: (s) => s === '@adonisjs/lucid/services/db' || s === '@ioc:Adonis/Lucid/Database' || s === '@adonisjs/lucid/database',
  value(imported) {
    return imported === 'default' ? SERVICE : undefined;
  },
  create(imported, member, _call, isNew) {
    if (isNew && (member ?? imported) === 'Database') return SERVICE;
    return undefined;
  },
  derive(handle, method, call) {
    if (method === 'connection' && handle.kind === 'pool') return { ...handle, what: 'a Lucid query client (a knex pool)' };
    if (method === 'transaction' && !argAt(call, 0) && handle.kind === 'pool') return { kind: 'transaction', library: 'lucid', what: 'a Lucid transaction' };
    return undefined;
  },
  callback(_h, method) {
    return method === 'transaction' ? 'transaction' : undefined;
  },
  typed(name) {
    if (name === 'TransactionClientContract') return { kind: 'transaction', library: 'lucid', what: 'a Lucid transaction' };
    return undefined;
  },
};
