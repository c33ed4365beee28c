// session-setting-through-transaction-pooler: `SET statement_timeout`, `SET lock_timeout` or
// `SET search_path` sent outside a transaction through a handle whose connection string points at a
// transaction-mode pooler. The pooler may run the next statement on another server connection, so the
// setting does not apply to it, and stays on a server connection other clients get. Handles come from
// the advisory-lock provenance (core/dbhandles). See docs/rules/session-setting-through-transaction-pooler.md.

import { sessionSettingWording } from '../dbconfig/messages';
import { prismaClientUrl } from '../dbconfig/prisma-schema';
import { poolerEvidence } from '../dbhandles/pooler';
import { Provenance } from '../dbhandles/provenance';
import { findSettingSites } from '../dbhandles/setting-sites';
import type { Handle } from '../dbhandles/types';
import { docsUrl, type Rule, type RuleContext } from '../rule';
import { SESSION_SETTINGS } from '../sql/session-settings';

const ID = 'session-setting-through-transaction-pooler';
const TRIGGERS = [...SESSION_SETTINGS, ...SESSION_SETTINGS.map((s) => s.toUpperCase())];

export const sessionSettingThroughTransactionPooler: Rule = {
  meta: {
    id: ID,
    title: 'Session setting through a transaction-mode pooler',
    defaultSeverity: 'warning',
    description:
      'SET statement_timeout, SET lock_timeout or SET search_path is sent outside a transaction through a handle whose connection string points at a transaction-mode pooler (port 6543, a -pooler. host, pgbouncer=true). ' +
      'The setting lands on whichever server connection ran it, not on the one the next statement gets.',
    docsUrl: docsUrl(ID),
  },
  languages: ['typescript', 'tsx'],
  // Imported modules may be .ts or .js/.tsx.
  readsLanguages: ['typescript', 'tsx'],
  triggers: { typescript: TRIGGERS, tsx: TRIGGERS },
  nodeTypes: [],
  create: (ctx) => ({ enter: () => undefined, finish: () => check(ctx) }),
};

function check(ctx: RuleContext): void {
  const prov = Provenance.forFile(ctx.workspace, ctx.file.path, ctx.tree.rootNode);
  for (const site of findSettingSites(ctx.tree.rootNode, prov)) {
    // Inside a transaction the SET reaches the statements after it; HTTP drivers have no session; unknown is silent.
    if (site.handle.kind !== 'pool' && site.handle.kind !== 'pinned') continue;
    const evidence = poolerEvidence(ctx.workspace, ctx.file.path, connectionOf(ctx, site.handle));
    if (!evidence) continue;
    ctx.report({
      range: { start: ctx.lines.positionAt(site.call.startIndex), end: ctx.lines.positionAt(site.call.endIndex) },
      ...sessionSettingWording({ setting: site.settings[0]!, via: site.via, handleWhat: site.handle.what, evidence }),
    });
  }
}

/** The handle's connection string, its driver client's, or for PrismaClient the schema datasource's url. */
function connectionOf(ctx: RuleContext, h: Handle): Handle['connection'] {
  if (h.connection) return h.connection;
  if (h.client?.connection) return h.client.connection;
  return h.library === 'prisma' ? prismaClientUrl(ctx.workspace, ctx.file.path) : undefined;
}
