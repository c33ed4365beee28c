// Findings of the advisory-lock rules: a one-sentence message and Markdown details. Each claim is
// in ../knowledge/claims.ts with its source; what depends on the pool at runtime (which connection
// the next statement gets) is said with "may" or "can", what always follows is said plainly.

import { citeClaims } from '../knowledge/claims';
import { code, fit, quote } from '../wording';
import type { ExecSite } from './exec-sites';

export interface LockWording {
  message: string;
  details: string;
}

function lockName(s: ExecSite): string {
  return s.calls[0]?.name ?? 'pg_advisory_lock';
}

/** How the statement is sent, for a message: `"pool.query"`, `the "sql" tag`, `"sql.execute(db)"`. */
export function callPhrase(s: ExecSite): string {
  const recv = s.receiver?.text;
  const short = recv && recv.length <= 30 && !/["'`\s]/.test(recv) ? recv : undefined;
  if (s.method === 'tag') return short ? `the ${quote(short)} tag` : 'a tagged template';
  if (s.method === 'execute(db)') return short ? quote(`execute(${short})`) : 'execute()';
  return short ? quote(`${short}.${s.method}`) : quote(s.method);
}

/** The same in Markdown: `` `pool.query` ``, `` `sql`…` `` . */
export function callCode(s: ExecSite): string {
  const recv = s.receiver?.text ?? 'the handle';
  const short = recv.length > 30 ? 'handle' : recv;
  if (s.method === 'tag') return `\`${short}\` tagged template`;
  if (s.method === 'execute(db)') return code(`sql\`…\`.execute(${short})`);
  return code(`${short}.${s.method}`);
}

function sources(ids: string[]): string {
  return `Sources: ${citeClaims(ids)}.`;
}

function libraryClaim(s: ExecSite): string[] {
  switch (s.handle.library) {
    case 'pg':
      return ['pg-pool.per-statement', 'pg-pool.lifo'];
    case 'postgres':
      return ['postgres-js.per-statement'];
    case 'drizzle':
      return ['drizzle.per-statement'];
    case 'prisma':
      return ['prisma.per-statement'];
    case 'pg-promise':
      return ['pg-promise.per-statement'];
    case 'lucid':
      return ['lucid.per-statement'];
    case 'kysely':
      return ['kysely.per-statement'];
    case 'typeorm':
      return ['typeorm.per-statement'];
    case 'sequelize':
      return ['sequelize.per-statement'];
    case 'mikro-orm':
      return ['mikro-orm.per-statement'];
    case 'slonik':
      return ['slonik.per-statement'];
    default:
      return [];
  }
}

export function sessionLockOnPoolWording(lock: ExecSite, unlocks: readonly ExecSite[]): LockWording {
  const name = quote(lockName(lock));
  const via = callPhrase(lock);
  if (lock.handle.library === 'slonik') {
    return {
      message: fit(`Lock ${name} goes through Slonik's pool, which runs DISCARD ALL on release, so the lock is dropped as soon as this statement ends.`),
      details: [
        `${code(lockName(lock))} runs through ${callCode(lock)} on ${lock.handle.what}.`,
        '',
        '- Each statement borrows a pooled connection, and Slonik resets it with `DISCARD ALL` on release, which releases its session locks: the lock excludes nothing.',
        '- Take it inside `pool.connect(…)`, or use `pg_advisory_xact_lock` inside `pool.transaction(…)`.',
        '',
        sources(['slonik.discard-all', 'slonik.per-statement', 'pg.session-lock']),
      ].join('\n'),
    };
  }
  const unlock = unlocks[0];
  const unlockAll = unlock?.calls.some((c) => c.action === 'unlock-all');
  const message = fit(
    `Lock ${name} runs on a pooled connection through ${via}, so its unlock may run on another connection and leave the lock held.`,
    `Lock ${name} runs on a pooled connection, so its unlock may run on another connection and leave the lock held.`,
  );
  const lines = [
    `${code(lockName(lock))} runs through ${callCode(lock)} on ${lock.handle.what}, which sends each statement on whichever pooled connection is free.`,
    '',
    '- The connection that ran it keeps holding the session lock after it goes back to the pool.',
    unlock
      ? unlockAll
        ? `- The unlock through ${callCode(unlock)} runs on whichever connection the pool hands out then and releases only that connection's own locks.`
        : `- The unlock through ${callCode(unlock)} may run on another connection, where it returns false (with a WARNING in the server log) and leaves the lock held.`
      : '- An unlock through the pool may run on another connection, where it returns false and leaves the lock held.',
    '- Callers on other connections can then be locked out until the holder connection closes, while callers that land on the holder take the lock again, so mutual exclusion fails.',
  ];
  if (lock.handle.library === 'pg') {
    lines.push('- With pg-pool, idle clients are reused last-in-first-out, so a sequential unlock often lands on the holder and the bug shows only under concurrency; an idle holder is closed after `idleTimeoutMillis` (10 s by default), which frees the lock.');
  }
  lines.push('', sources(['pg.session-lock', 'pg.unlock-elsewhere', 'pg.reentrant', ...libraryClaim(lock)]));
  return { message, details: lines.join('\n') };
}

export function unlockOnPoolWording(unlock: ExecSite): LockWording {
  const call = unlock.calls.find((c) => c.action !== 'lock');
  const name = quote(call?.name ?? 'pg_advisory_unlock');
  const via = callPhrase(unlock);
  if (call?.action === 'unlock-all') {
    return {
      message: fit(`Unlock ${name} runs on a pooled connection through ${via}, so it releases only the locks of whichever connection runs it.`, `Unlock ${name} runs on a pooled connection, so it releases only the locks of whichever connection runs it.`),
      details: [
        `${code(call.name)} runs through ${callCode(unlock)} on ${unlock.handle.what}, which sends each statement on whichever pooled connection is free.`,
        '',
        "- It releases only that connection's own session locks and cannot release a lock another session holds (only `pg_terminate_backend` on the holder can).",
        '',
        sources(['pg.unlock-all', ...libraryClaim(unlock)]),
      ].join('\n'),
    };
  }
  return {
    message: fit(
      `Unlock ${name} runs on a pooled connection through ${via}, so it may run on a connection that does not hold the lock and return false.`,
      `Unlock ${name} runs on a pooled connection, so it may run on a connection that does not hold the lock and return false.`,
    ),
    details: [
      `${code(call?.name ?? 'pg_advisory_unlock')} runs through ${callCode(unlock)} on ${unlock.handle.what}, which sends each statement on whichever pooled connection is free.`,
      '',
      '- Unless that happens to be the connection holding the session lock, it returns false (with a WARNING in the server log) and the lock stays held on an idle pooled connection.',
      '',
      sources(['pg.unlock-elsewhere', ...libraryClaim(unlock)]),
    ].join('\n'),
  };
}

export function xactOutsideTransactionWording(s: ExecSite): LockWording {
  const name = quote(lockName(s));
  if (s.handle.kind === 'http') {
    return {
      message: fit(`Lock ${name} runs over HTTP through ${callPhrase(s)}, where every statement is its own transaction, so it is released at once and protects nothing.`, `Lock ${name} runs over HTTP, where every statement is its own transaction, so it is released at once and protects nothing.`),
      details: [`${code(lockName(s))} runs through ${callCode(s)} on ${s.handle.what}: every statement is its own HTTP request and transaction, so the lock is released as soon as this statement ends.`, '', sources(['neon.http', 'pg.xact-lock'])].join('\n'),
    };
  }
  return {
    message: fit(`Lock ${name} runs outside any transaction through ${callPhrase(s)}, so it is released when this statement ends and protects nothing.`, `Lock ${name} runs outside any transaction, so it is released when this statement ends and protects nothing.`),
    details: [
      `${code(lockName(s))} runs through ${callCode(s)} on ${s.handle.what}, outside any transaction: the statement runs in its own implicit transaction, so the lock is released as soon as it ends.`,
      '',
      '- Run the lock and the work it protects on one transaction handle.',
      '',
      sources(['pg.xact-lock', ...libraryClaim(s)]),
    ].join('\n'),
  };
}

export function sessionLockInTransactionWording(s: ExecSite): LockWording {
  const name = lockName(s);
  return {
    message: fit(
      `Session lock ${quote(name)} is taken in a transaction with no unlock in its callback, so it stays held after the commit; use ${quote(xactName(name))}.`,
      `Session lock ${quote(name)} is taken in a transaction and not unlocked in its callback, so it stays held after the commit.`,
    ),
    details: [
      `${code(name)} is a session-level lock taken on ${s.handle.what} with no unlock in the same callback.`,
      '',
      '- Session locks ignore transaction boundaries, so it stays held after the commit (or rollback) on the pooled connection the transaction used.',
      `- ${code(xactName(name))} is released at the end of the transaction.`,
      '',
      sources(['pg.session-lock', 'pg.xact-lock']),
    ].join('\n'),
  };
}

export function sessionLockBehindPoolerWording(s: ExecSite, evidence: { where: string; signal: string }): LockWording {
  const name = lockName(s);
  return {
    message: fit(`Session lock ${quote(name)} runs on a dedicated connection whose URL goes through a transaction-mode pooler (${evidence.signal}), so its unlock may reach another server connection.`, `Session lock ${quote(name)} runs on a connection that goes through a transaction-mode pooler, so its unlock may reach another server connection.`),
    details: [
      `${code(name)} runs through ${callCode(s)} on ${s.handle.what}, but ${evidence.where} points at a transaction-mode pooler (${evidence.signal}).`,
      '',
      '- The pooler may give the server connection to other clients after each transaction, so the lock can stay on a server connection others use, and the unlock can reach a different one, where it returns false.',
      '- Connect lock holders to the database directly (a non-pooling URL), or to a session-mode pooler (Supabase: port 5432).',
      '',
      sources(['pooler.transaction-mode', 'pooler.supabase-session', 'pg.session-lock']),
    ].join('\n'),
  };
}

function xactName(name: string): string {
  return name.replace(/advisory_/i, (m) => `${m}${m === m.toUpperCase() ? 'XACT_' : 'xact_'}`);
}
