// The outage shape: the lock and the unlock both go through drizzle's pooled db.execute. The
// unlock can land on another connection and return false; the lock then stays on an idle pooled
// connection, and the job can stop running until that connection closes.
import { sql } from 'drizzle-orm';
import { db } from '../db/client';

const TRIAL_EXPIRY_LOCK = 4_200_001;

export async function expireTrials(): Promise<void> {
  const res = await db.execute<{ locked: boolean }>(sql`SELECT pg_try_advisory_lock(${TRIAL_EXPIRY_LOCK}) AS locked`);
  if (!res.rows[0]?.locked) return;
  try {
    await db.execute(sql`UPDATE accounts SET plan = 'free' WHERE trial_ends_at < now()`);
  } finally {
    await db.execute(sql`SELECT pg_advisory_unlock(${TRIAL_EXPIRY_LOCK})`);
  }
}
