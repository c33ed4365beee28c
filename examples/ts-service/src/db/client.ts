// The service's database handles. `db` is drizzle over a pg Pool: each db.execute borrows
// whichever pooled connection is free. `lockSql` is a postgres.js client with one connection.
import { drizzle } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import postgres from 'postgres';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

export const db = drizzle(pool);

export const lockSql = postgres(process.env.DATABASE_URL!, { max: 1, max_lifetime: null });

export { pool };
