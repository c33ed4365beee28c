// Finding messages for the advisory-lock rules. Every claim follows
// /work/shared/knowledge/advisory-locks.md §0–§2 and is repeated, with sources, in docs/rules/.

import type { ExecSite } from './exec-sites';
import { describeCall } from './analysis';

function lockName(s: ExecSite): string {
  return s.calls[0]?.name ?? 'the advisory lock';
}

export function sessionLockOnPoolMessage(lock: ExecSite, unlocks: readonly ExecSite[]): string {
  const via = `${lockName(lock)} runs through ${describeCall(lock)} on ${lock.handle.what}`;
  if (lock.handle.library === 'slonik') {
    return `${via}: each statement borrows a pooled connection, and Slonik resets it with DISCARD ALL on release, which drops the lock as soon as this statement ends, so the lock excludes nothing. Take it inside pool.connect(…) or use pg_advisory_xact_lock inside pool.transaction(…).`;
  }
  const unlock = unlocks[0];
  const unlockCall = unlock?.calls.find((c) => c.action !== 'lock');
  const unlockPart = !unlock
    ? 'an unlock through the pool lands on whichever connection the pool hands out, where it silently returns false'
    : unlockCall?.action === 'unlock-all'
      ? `the ${unlockCall.name} through ${describeCall(unlock)} runs on whichever connection the pool hands out then and releases only that session's locks, not the holder's`
      : `the ${unlockCall?.name ?? 'unlock'} through ${describeCall(unlock)} runs on whichever connection the pool hands out then, where it silently returns false`;
  return (
    `${via}, which sends each statement on whichever pooled connection is free: that connection keeps holding the lock after it goes back to the pool, ` +
    `${unlockPart}, and the lock stays held on an idle pooled connection until that connection closes. ` +
    `Callers on other connections never get it again (the job stops running for good), while callers that land on the holder connection take it again, so mutual exclusion silently fails.`
  );
}

export function unlockOnPoolMessage(unlock: ExecSite): string {
  const call = unlock.calls.find((c) => c.action !== 'lock');
  if (call?.action === 'unlock-all') {
    return (
      `${call.name} runs through ${describeCall(unlock)} on ${unlock.handle.what}, which sends each statement on whichever pooled connection is free: ` +
      `it releases only that connection's own session locks and cannot release a lock another session holds (only pg_terminate_backend on the holder can).`
    );
  }
  return (
    `${unlock.calls.find((c) => c.action !== 'lock')?.name ?? 'The unlock'} runs through ${describeCall(unlock)} on ${unlock.handle.what}, which sends each statement on whichever pooled connection is free: ` +
    `unless that happens to be the connection holding the session lock, it silently returns false and the lock stays held on an idle pooled connection.`
  );
}

export function xactOutsideTransactionMessage(s: ExecSite): string {
  if (s.handle.kind === 'http') {
    return `${lockName(s)} runs through ${describeCall(s)} on ${s.handle.what}: every statement is its own HTTP request and transaction, so the lock is released as soon as this statement ends and protects nothing.`;
  }
  return `${lockName(s)} runs through ${describeCall(s)} on ${s.handle.what}, outside any transaction: the statement runs in its own implicit transaction, so the lock is released as soon as it ends and protects nothing. Run it and the work on a transaction handle.`;
}

export function sessionLockInTransactionMessage(s: ExecSite): string {
  return (
    `${lockName(s)} is a session-level lock taken on ${s.handle.what} with no unlock in the same callback: session locks ignore transaction boundaries, ` +
    `so it stays held after the commit (or rollback) on the pooled connection the transaction used. Use ${xactName(lockName(s))}, which is released at the end of the transaction.`
  );
}

function xactName(name: string): string {
  return name.replace(/advisory_/i, (m) => `${m}${m === m.toUpperCase() ? 'XACT_' : 'xact_'}`);
}
