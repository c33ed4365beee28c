// What a database handle is, as far as advisory locks care: does each statement borrow some pooled
// connection (pool), stay on one backend (pinned, transaction), or have no session at all (http)?
// Facts are plain data (no tree nodes), so they can be cached across files.

import type { SyntaxNode } from '../parser';

export type HandleKind = 'pool' | 'pinned' | 'transaction' | 'http' | 'unknown';

export type Library =
  | 'pg'
  | 'postgres'
  | 'drizzle'
  | 'prisma'
  | 'knex'
  | 'kysely'
  | 'typeorm'
  | 'sequelize'
  | 'slonik'
  | 'mikro-orm'
  | 'neon'
  | 'vercel-postgres'
  | 'pg-promise'
  | 'lucid'
  | 'unknown';

/** Where a handle's connection string comes from: a literal, or an environment variable by name. */
export interface ConnectionSource {
  literal?: string;
  envVar?: string;
}

export interface Handle {
  kind: HandleKind;
  library: Library;
  /** Short phrase for messages: "a pg Pool", "a postgres.js client with max > 1". */
  what: string;
  connection?: ConnectionSource;
  /** drizzle: the driver client underneath (`db.$client`). */
  client?: Handle;
  /** drizzle's driver module (`node-postgres`, `postgres-js`, `neon-http`, …). */
  driver?: string;
  /** For transaction and pinned-callback handles: the callback they are scoped to, in the current file. */
  scope?: SyntaxNode;
  /** Not a handle yet but what makes one when called (pg-promise's `pgp = pgPromise()`). */
  factory?: boolean;
  /** Known only from a declared type: weaker than a creation seen in code (a caller passing it does not outweigh others). */
  byType?: boolean;
  /**
   * A declared type the library's transactions also satisfy (`Knex`: `interface Transaction extends Knex`;
   * `Kysely`: `class Transaction extends Kysely`): a function's parameter of that type says nothing.
   */
  alsoTransaction?: boolean;
}

export const UNKNOWN: Handle = { kind: 'unknown', library: 'unknown', what: 'a handle of unknown kind' };

/** How the analysis reaches into a library model without a cycle of imports. */
export interface Resolve {
  /** The handle an expression evaluates to, in the module being read. */
  handle(node: SyntaxNode | undefined): Handle;
  /** Where a connection-string expression comes from. */
  connection(node: SyntaxNode | undefined): ConnectionSource | undefined;
}

export interface LibraryModel {
  library: Library;
  /** Import specifiers that belong to this library. */
  matches(source: string): boolean;
  /** `new X(…)` or `x(…)` of an export (`imported` is `default`, `*` or a name) creating a handle. */
  create?(imported: string, member: string | undefined, call: SyntaxNode, isNew: boolean, r: Resolve, source: string): Handle | undefined;
  /** Names this library exports that build SQL without running it (drizzle's `sql`, `Prisma`). */
  builders?: readonly string[];
  /** Exports that are themselves handles (`sql` from @vercel/postgres). */
  value?(imported: string): Handle | undefined;
  /** `handle.method(…)` returning another handle (`pool.connect()`, `sql.reserve()`). */
  derive?(handle: Handle, method: string, call: SyntaxNode, r: Resolve): Handle | undefined;
  /** `handle.method(cb)`: the kind of cb's first parameter (a transaction, a pinned connection). */
  callback?(handle: Handle, method: string, call: SyntaxNode): HandleKind | undefined;
  /** Statement-running methods whose kind differs from the handle's (`sql.query` on @vercel/postgres). */
  execKind?(handle: Handle, method: string): HandleKind | undefined;
  /** A factory handle called: `pgp(url)` makes a pg-promise database. */
  invoke?(factory: Handle, call: SyntaxNode, r: Resolve): Handle | undefined;
  /**
   * What a value declared with this library's type is (`PoolClient` pinned, `Pool` per statement),
   * by the type's name as imported (`Pool`, `Knex.Transaction`, `Prisma.TransactionClient`).
   * `pool` is only trusted when nothing else is known about the value.
   */
  typed?(name: string): Handle | undefined;
}
