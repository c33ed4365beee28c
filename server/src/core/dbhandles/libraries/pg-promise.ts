// pg-promise: `pgp = pgPromise()` makes the library, `db = pgp(cn)` a database whose query methods
// (`any`, `one`, `none`, `query`, …) each borrow a pooled connection; `db.task(cb)` and `db.tx(cb)`
// run their callback on one connection, and `db.connect()` returns one held until `done()`.

import type { Handle, HandleKind, LibraryModel } from '../types';
import { pgConnection } from './pg';

const DATABASE: Omit<Handle, 'connection'> = { kind: 'pool', library: 'pg-promise', what: 'a pg-promise database (each query method borrows a pooled connection)' };

const TYPES: Record<string, HandleKind> = {
  IDatabase: 'pool',
  ITask: 'pinned',
  IConnected: 'pinned',
};

export const pgPromiseModel: LibraryModel = {
  library: 'pg-promise',
  matches: (s) => s === 'pg-promise',
  create(imported) {
    if (imported === 'default' || imported === '*') return { kind: 'unknown', library: 'pg-promise', what: 'the pg-promise library', factory: true };
    return undefined;
  },
  invoke(_factory, call, r) {
    return { ...DATABASE, connection: pgConnection(call, r) };
  },
  derive(handle, method) {
    if (handle.kind === 'pool' && method === 'connect') return { kind: 'pinned', library: 'pg-promise', what: 'a pg-promise connection from db.connect()', connection: handle.connection };
    if (method === '$pool') return { kind: 'pool', library: 'pg', what: "a pg-promise database's pg Pool", connection: handle.connection };
    return undefined;
  },
  callback(handle, method) {
    if (method === 'tx' || method === 'txIf') return 'transaction';
    if (method === 'task' || method === 'taskIf') return handle.kind === 'transaction' ? 'transaction' : 'pinned';
    return undefined;
  },
  typed(name) {
    const kind = TYPES[name];
    return kind ? { kind, library: 'pg-promise', what: kind === 'pool' ? DATABASE.what : 'a pg-promise task' } : undefined;
  },
};
