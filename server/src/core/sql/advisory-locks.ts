// Finds PostgreSQL advisory-lock function calls in SQL text, case-insensitively, and reads what each
// one does (lock or unlock, session or transaction scope). Function names follow the PostgreSQL
// docs table `functions-advisory-locks-table`; see docs/rules/session-lock-on-pool.md.

export type AdvisoryScope = 'session' | 'xact';
export type AdvisoryAction = 'lock' | 'unlock' | 'unlock-all';

export interface AdvisoryCall {
  /** As written in the SQL, e.g. `PG_TRY_ADVISORY_LOCK`. */
  name: string;
  scope: AdvisoryScope;
  action: AdvisoryAction;
  /** `pg_try_…`: returns a boolean instead of waiting. */
  tryLock: boolean;
  shared: boolean;
}

const FUNCTION = /\bpg_(try_)?advisory_(xact_)?(lock|unlock)(_shared|_all)?\s*\(/gi;

export function advisoryCalls(sql: string): AdvisoryCall[] {
  const out: AdvisoryCall[] = [];
  for (const m of sql.matchAll(FUNCTION)) {
    const [whole, tryPart, xact, verb, suffix] = m;
    const lower = suffix?.toLowerCase();
    // pg_advisory_lock_all / pg_try_advisory_unlock / pg_advisory_xact_unlock do not exist.
    if (lower === '_all' && (verb?.toLowerCase() !== 'unlock' || xact || tryPart)) continue;
    if (verb?.toLowerCase() === 'unlock' && (xact || tryPart)) continue;
    out.push({
      name: whole.replace(/\s*\($/, ''),
      scope: xact ? 'xact' : 'session',
      action: verb?.toLowerCase() === 'lock' ? 'lock' : lower === '_all' ? 'unlock-all' : 'unlock',
      tryLock: !!tryPart,
      shared: lower === '_shared',
    });
  }
  return out;
}

/** Quick prefilter for text that may hold an advisory-lock call. */
export function mentionsAdvisoryLock(text: string): boolean {
  return /pg_(try_)?advisory_/i.test(text);
}

/**
 * `BEGIN; …; COMMIT;` sent as one simple-protocol query runs on one backend whatever the handle,
 * so an xact lock inside it is held for the whole block (pg-boss does this).
 */
export function isSelfContainedTransaction(sql: string): boolean {
  return /^\s*(begin|start\s+transaction)\b[^;]*;[\s\S]*;\s*(commit|end|rollback)\s*;?\s*$/i.test(sql);
}

/** The xact twin of a session lock function, keeping the spelling's case style. */
export function xactVariant(name: string): string | undefined {
  const m = /^(pg_(?:try_)?advisory_)(lock(?:_shared)?)$/i.exec(name);
  if (!m) return undefined;
  const upper = name === name.toUpperCase();
  return `${m[1]}${upper ? 'XACT_' : 'xact_'}${m[2]}`;
}
