// session-lock-behind-pooler: a session lock on a pinned handle (a dedicated client, reserve(),
// max: 1) whose connection string points at a transaction-mode pooler, which hands the server
// connection to other clients after each transaction. See docs/rules/session-lock-behind-pooler.md.

import { squiggle } from '../dbhandles/exec-sites';
import { advisoryLockRule, isSessionLock, lockAnalysis } from '../dbhandles/analysis';
import { sessionLockBehindPoolerWording as wording } from '../dbhandles/messages';
import { poolerEvidence } from '../dbhandles/pooler';
import { docsUrl, type Rule, type RuleContext } from '../rule';

const ID = 'session-lock-behind-pooler';

export const sessionLockBehindPooler: Rule = advisoryLockRule(
  {
    id: ID,
    title: 'Session advisory lock behind a transaction-mode pooler',
    defaultSeverity: 'warning',
    description:
      'A session-level advisory lock is held on a dedicated connection, but its connection string points at a transaction-mode pooler ' +
      '(port 6543, a -pooler. host, pgbouncer=true). The pooler may hand the server connection to other clients after each transaction, ' +
      'so the lock can end up on a server connection other clients use, and the unlock may reach another one.',
    docsUrl: docsUrl(ID),
  },
  check,
);

function check(ctx: RuleContext): void {
  for (const s of lockAnalysis(ctx).sites) {
    if (s.handle.kind !== 'pinned' || s.selfContained || !isSessionLock(s)) continue;
    const evidence = poolerEvidence(ctx.workspace, ctx.file.path, s.handle.connection);
    if (!evidence) continue;
    ctx.report({
      range: { start: ctx.lines.positionAt(squiggle(s).startIndex), end: ctx.lines.positionAt(squiggle(s).endIndex) },
      ...wording(s, evidence),
    });
  }
}
