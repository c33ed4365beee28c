// xact-lock-outside-transaction: pg_(try_)advisory_xact_lock sent through a per-statement or
// HTTP handle runs in the statement's own implicit transaction and is released when it ends.
// See docs/rules/xact-lock-outside-transaction.md.

import { squiggle } from '../dbhandles/exec-sites';
import { advisoryLockRule, isXactLock, lockAnalysis } from '../dbhandles/analysis';
import { xactOutsideTransactionWording } from '../dbhandles/messages';
import { docsUrl, type Rule, type RuleContext } from '../rule';

const ID = 'xact-lock-outside-transaction';

export const xactLockOutsideTransaction: Rule = advisoryLockRule(
  {
    id: ID,
    title: 'Transaction-scoped advisory lock outside a transaction',
    defaultSeverity: 'warning',
    description:
      'A pg_advisory_xact_lock is sent through a handle that runs each statement in its own implicit transaction (a pool, an HTTP driver). ' +
      'The lock is released as soon as that statement ends, so it protects nothing.',
    docsUrl: docsUrl(ID),
  },
  check,
);

function check(ctx: RuleContext): void {
  for (const s of lockAnalysis(ctx).sites) {
    if (s.selfContained || !isXactLock(s) || (s.handle.kind !== 'pool' && s.handle.kind !== 'http')) continue;
    ctx.report({
      range: { start: ctx.lines.positionAt(squiggle(s).startIndex), end: ctx.lines.positionAt(squiggle(s).endIndex) },
      ...xactOutsideTransactionWording(s),
    });
  }
}
