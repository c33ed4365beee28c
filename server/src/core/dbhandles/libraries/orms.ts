// The ORMs and query builders (knowledge §1.4–§1.10): raw statements on the root handle borrow a
// pooled connection each; the transaction or connection callbacks pin one.

import type { LibraryModel } from '../types';
import { argAt } from '../syntax';

export const prismaModel: LibraryModel = {
  library: 'prisma',
  matches: (s) => s === '@prisma/client' || s.startsWith('@prisma/client/') || s.endsWith('/prisma/client') || s.includes('generated/prisma'),
  builders: ['Prisma', 'sql', 'raw'],
  create(imported, member) {
    if ((member ?? imported) === 'PrismaClient') return { kind: 'pool', library: 'prisma', what: 'a PrismaClient (its connection pool)' };
    return undefined;
  },
  derive(handle, method) {
    return method === '$extends' ? handle : undefined;
  },
  typed(name) {
    if (name === 'PrismaClient') return { kind: 'pool', library: 'prisma', what: 'a PrismaClient (its connection pool)' };
    if (name === 'Prisma.TransactionClient') return { kind: 'transaction', library: 'prisma', what: 'a Prisma transaction client' };
    return undefined;
  },
  callback(_h, method, call) {
    // $transaction([...]) is a batch, not a callback: only a function argument pins.
    const arg = argAt(call, 0);
    return method === '$transaction' && (arg?.type === 'arrow_function' || arg?.type === 'function_expression' || arg?.type === 'identifier') ? 'transaction' : undefined;
  },
};

export const knexModel: LibraryModel = {
  library: 'knex',
  matches: (s) => s === 'knex',
  create(imported, member) {
    const name = member ?? imported;
    if (name === 'default' || name === 'knex' || name === 'Knex' || name === '*') return { kind: 'pool', library: 'knex', what: 'a knex instance (tarn pool)' };
    return undefined;
  },
  derive(handle, method, call) {
    if (method === 'transaction' && !argAt(call, 0) && handle.kind === 'pool') return { kind: 'transaction', library: 'knex', what: 'a knex transaction' };
    return undefined;
  },
  callback(_h, method) {
    return method === 'transaction' ? 'transaction' : undefined;
  },
  typed(name) {
    if (name === 'Knex') return { kind: 'pool', library: 'knex', what: 'a knex instance (tarn pool)', alsoTransaction: true };
    if (name === 'Knex.Transaction') return { kind: 'transaction', library: 'knex', what: 'a knex transaction' };
    return undefined;
  },
};

export const kyselyModel: LibraryModel = {
  library: 'kysely',
  matches: (s) => s === 'kysely',
  builders: ['sql'],
  create(imported, member) {
    if ((member ?? imported) === 'Kysely') return { kind: 'pool', library: 'kysely', what: 'a Kysely instance over a pool' };
    return undefined;
  },
  typed(name) {
    if (name === 'Kysely') return { kind: 'pool', library: 'kysely', what: 'a Kysely instance', alsoTransaction: true };
    if (name === 'Transaction' || name === 'ControlledTransaction') return { kind: 'transaction', library: 'kysely', what: `a Kysely ${name}` };
    return undefined;
  },
};

export const typeormModel: LibraryModel = {
  library: 'typeorm',
  matches: (s) => s === 'typeorm',
  create(imported, member) {
    if ((member ?? imported) === 'DataSource') return { kind: 'pool', library: 'typeorm', what: 'a TypeORM DataSource' };
    return undefined;
  },
  derive(handle, method) {
    if (method === 'manager' || method === 'getRepository') return handle.kind === 'pool' ? { ...handle, what: 'a TypeORM manager outside a transaction' } : handle;
    if (method === 'createQueryRunner') return { kind: 'pinned', library: 'typeorm', what: 'a TypeORM query runner' };
    return undefined;
  },
  typed(name) {
    if (name === 'DataSource' || name === 'Connection') return { kind: 'pool', library: 'typeorm', what: `a TypeORM ${name}` };
    if (name === 'QueryRunner') return { kind: 'pinned', library: 'typeorm', what: 'a TypeORM query runner' };
    return undefined;
  },
  callback(_h, method) {
    return method === 'transaction' ? 'transaction' : undefined;
  },
};

export const sequelizeModel: LibraryModel = {
  library: 'sequelize',
  matches: (s) => s === 'sequelize' || s === '@sequelize/core' || s === 'sequelize-typescript',
  create(imported, member) {
    if ((member ?? imported) === 'Sequelize' || imported === 'default') return { kind: 'pool', library: 'sequelize', what: 'a Sequelize instance' };
    return undefined;
  },
  callback(_h, method) {
    if (method === 'transaction') return 'transaction';
    return method === 'withConnection' ? 'pinned' : undefined;
  },
  typed(name) {
    if (name === 'Sequelize') return { kind: 'pool', library: 'sequelize', what: 'a Sequelize instance' };
    if (name === 'Transaction') return { kind: 'transaction', library: 'sequelize', what: 'a Sequelize transaction' };
    return undefined;
  },
};

export const slonikModel: LibraryModel = {
  library: 'slonik',
  matches: (s) => s === 'slonik',
  builders: ['sql'],
  create(imported) {
    if (imported === 'createPool') return { kind: 'pool', library: 'slonik', what: 'a Slonik pool' };
    return undefined;
  },
  callback(_h, method) {
    if (method === 'transaction') return 'transaction';
    return method === 'connect' ? 'pinned' : undefined;
  },
  typed(name) {
    if (name === 'DatabasePool') return { kind: 'pool', library: 'slonik', what: 'a Slonik pool' };
    if (name === 'DatabasePoolConnection') return { kind: 'pinned', library: 'slonik', what: 'a Slonik pool connection' };
    if (name === 'DatabaseTransactionConnection') return { kind: 'transaction', library: 'slonik', what: 'a Slonik transaction' };
    return undefined;
  },
};

export const mikroOrmModel: LibraryModel = {
  library: 'mikro-orm',
  matches: (s) => s.startsWith('@mikro-orm/'),
  derive(handle, method) {
    if (method === 'em' || method === 'fork' || method === 'getConnection') return { ...handle, kind: handle.kind === 'transaction' ? 'transaction' : 'pool', what: 'a MikroORM EntityManager outside a transaction' };
    return undefined;
  },
  create(imported, member) {
    if ((member ?? imported) === 'init' || imported === 'MikroORM') return { kind: 'pool', library: 'mikro-orm', what: 'a MikroORM instance' };
    return undefined;
  },
  callback(_h, method) {
    return method === 'transactional' ? 'transaction' : undefined;
  },
};
