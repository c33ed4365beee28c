// Look-alikes that hold the lock on one backend for as long as it matters.
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { db, lockSql, pool } from '../db/client';

// A transaction-scoped lock inside db.transaction, with the work on tx.
export async function rollupInvoices(): Promise<void> {
  await db.transaction(async (tx) => {
    const res = await tx.execute<{ locked: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${4_200_002}) AS locked`);
    if (!res.rows[0]?.locked) return;
    await tx.execute(sql`INSERT INTO invoice_rollups SELECT * FROM pending_rollups`);
  });
}

// A client from pool.connect(): lock, work and unlock on one connection, released afterwards.
export async function pruneWebhooks(): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [4_200_003]);
    try {
      await client.query("DELETE FROM webhook_deliveries WHERE created_at < now() - interval '30 days'");
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [4_200_003]);
    }
  } finally {
    client.release();
  }
}

// A postgres.js client with max: 1 has a single connection.
export async function refreshSearch(): Promise<void> {
  await lockSql`SELECT pg_advisory_lock(${4_200_004})`;
  try {
    await lockSql`REFRESH MATERIALIZED VIEW search_documents`;
  } finally {
    await lockSql`SELECT pg_advisory_unlock(${4_200_004})`;
  }
}

// A dedicated Client for leader election: ending it ends the session and releases the lock.
export async function leadScheduler(run: () => Promise<void>): Promise<void> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT pg_try_advisory_lock(4200005) AS leader');
    if (rows[0].leader) await run();
  } finally {
    await client.end();
  }
}
