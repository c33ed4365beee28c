// migrations-through-transaction-pooler: migration tooling pointed at a transaction-mode pooler (port
// 6543, a -pooler. host, pgbouncer=true), where session state does not last between transactions and
// the tools' session advisory locks break. drizzle-kit dbCredentials, a knexfile's connection, a TypeORM
// data source with migrations, Prisma's schema datasource without directUrl and prisma.config.ts, and
// Rails database.yml without advisory_locks: false. See docs/rules/migrations-through-transaction-pooler.md.

import type { Pair } from 'yaml';
import { advisoryLocksOn, configConnection, databaseYml } from '../dbconfig/rails-database';
import { migrationWording } from '../dbconfig/messages';
import { isMigrationConfigPath, migrationConnections } from '../dbconfig/migration-configs';
import { prismaDatasources, prismaMajor, type PrismaAttribute } from '../dbconfig/prisma-schema';
import { parseYaml } from '../dbconfig/yaml';
import { Provenance } from '../dbhandles/provenance';
import { partsPoolerEvidence, poolerEvidence } from '../dbhandles/pooler';
import { docsUrl, type Rule, type RuleContext, type TextRuleContext } from '../rule';
import { detectEol } from '../text';
import type { Fix } from '../types';

const ID = 'migrations-through-transaction-pooler';

const TS_TRIGGERS = ['dbCredentials', 'connection', 'DataSource', 'datasource'];

export const migrationsThroughTransactionPooler: Rule = {
  meta: {
    id: ID,
    title: 'Migrations through a transaction-mode pooler',
    defaultSeverity: 'warning',
    description:
      'Migration tooling (drizzle-kit, Prisma Migrate, knex, TypeORM, Rails) connects through a transaction-mode pooler (port 6543, a -pooler. host, pgbouncer=true). ' +
      'Each transaction may run on another server connection, so SET, session advisory locks and prepared statements do not last, and migrations can fail, stall, or run without their timeouts.',
    docsUrl: docsUrl(ID),
  },
  languages: ['typescript', 'tsx', 'yaml', 'prisma'],
  triggers: { typescript: TS_TRIGGERS, tsx: TS_TRIGGERS, yaml: ['url', 'host', 'port'], prisma: ['datasource'] },
  appliesTo: (path) => {
    const p = path.split('\\').join('/');
    return p.endsWith('.prisma') || /(^|\/)config\/database\.ya?ml$/.test(p) || isMigrationConfigPath(p);
  },
  nodeTypes: [],
  create: (ctx) => ({ enter: () => undefined, finish: () => checkScript(ctx) }),
  scanText(ctx) {
    if (ctx.lang === 'prisma') checkPrisma(ctx);
    else checkDatabaseYml(ctx);
  },
};

function checkScript(ctx: RuleContext): void {
  const prov = Provenance.forFile(ctx.workspace, ctx.file.path, ctx.tree.rootNode);
  for (const c of migrationConnections(ctx.file.path, ctx.tree.rootNode, prov)) {
    const evidence = partsPoolerEvidence(ctx.workspace, ctx.file.path, c.parts);
    const at = evidence?.part && c.anchors[evidence.part];
    if (!evidence || !at) continue;
    ctx.report({
      range: { start: ctx.lines.positionAt(at.start), end: ctx.lines.positionAt(at.end) },
      ...migrationWording({ tool: c.tool, evidence, written: at.written, ...(c.env ? { env: c.env } : {}) }),
    });
  }
}

function checkPrisma(ctx: TextRuleContext): void {
  // From Prisma 7 the schema's url is not what Migrate uses (prisma.config.ts is, checked on its own).
  const major = prismaMajor(ctx.workspace, ctx.file.path);
  if (major !== undefined && major >= 7) return;
  for (const ds of prismaDatasources(ctx.file.text)) {
    const provider = ds.attributes.get('provider')?.literal;
    if (provider !== undefined && provider !== 'postgresql' && provider !== 'postgres') continue;
    if (ds.attributes.has('directUrl')) continue;
    const url = ds.attributes.get('url');
    const evidence = url ? poolerEvidence(ctx.workspace, ctx.file.path, url.source) : undefined;
    if (!url || !evidence) continue;
    ctx.report({
      range: { start: ctx.lines.positionAt(url.start), end: ctx.lines.positionAt(url.end) },
      ...migrationWording({ tool: 'prisma', evidence, written: 'url', noDirectUrl: true }),
      fixes: () => [directUrlFix(ctx, url, [...ds.attributes.values()])],
    });
  }
}

/** Adds `directUrl = env("DIRECT_URL")` after `url`, aligned as the block's other attributes are. */
function directUrlFix(ctx: TextRuleContext, url: PrismaAttribute, attributes: PrismaAttribute[]): Fix {
  const text = ctx.file.text;
  const eq = text.slice(url.start, url.end).indexOf('=');
  // prisma format aligns `=` across the block; keep that when the url line is aligned past "directUrl".
  const aligned = attributes.some((a) => a !== url && text.slice(a.start, a.end).indexOf('=') === eq) && eq > 'directUrl '.length;
  const name = aligned ? 'directUrl'.padEnd(eq) : 'directUrl ';
  const line = `${url.indent}${name}= env("DIRECT_URL")`;
  const at = ctx.lines.positionAt(url.lineEnd);
  return {
    title: 'Add directUrl = env("DIRECT_URL") for migrations',
    isPreferred: true,
    changes: [{ kind: 'edit', path: ctx.file.path, edits: [{ range: { start: at, end: at }, newText: `${detectEol(text)}${line}` }] }],
    note: 'Set DIRECT_URL to a direct connection string (or the session pooler, port 5432) wherever migrations run.',
  };
}

function checkDatabaseYml(ctx: TextRuleContext): void {
  const { file, configs } = databaseYml(ctx.file.text);
  // A connection written once (in `default: &default`) can serve several environments: report it once.
  const byPair = new Map<Pair<unknown, unknown>, { envs: string[]; written: string; evidence: NonNullable<ReturnType<typeof partsPoolerEvidence>> }>();
  for (const c of configs) {
    if (advisoryLocksOn(file, c) !== true) continue;
    const conn = configConnection(file, c);
    const evidence = conn ? partsPoolerEvidence(ctx.workspace, ctx.file.path, conn.parts) : undefined;
    const pair = evidence?.part && conn?.pairs[evidence.part];
    if (!evidence || !pair) continue;
    const entry = byPair.get(pair) ?? { envs: [], written: evidence.part!, evidence };
    entry.envs.push(c.name ? `${c.env}.${c.name}` : c.env);
    byPair.set(pair, entry);
  }
  for (const [pair, { envs, written, evidence }] of byPair) {
    const keyRange = (pair.key as { range?: [number, number, number] }).range;
    const valueRange = (pair.value as { range?: [number, number, number] } | null)?.range;
    if (!keyRange) continue;
    const start = keyRange[0];
    const end = valueRange ? valueRange[1] : keyRange[1];
    ctx.report({
      range: { start: ctx.lines.positionAt(start), end: ctx.lines.positionAt(end) },
      ...migrationWording({ tool: 'rails', evidence, written, env: envs.join(', ') }),
      fixes: () => advisoryLocksFix(ctx, start, end),
    });
  }
}

/** Adds `advisory_locks: false` after the connection's line, at the same indentation (block mappings only). */
function advisoryLocksFix(ctx: TextRuleContext, keyStart: number, valueEnd: number): Fix[] {
  const text = ctx.file.text;
  const indent = text.slice(keyStart - ctx.lines.positionAt(keyStart).character, keyStart);
  if (!/^[ \t]*$/.test(indent)) return [];
  const offset = valueEnd + text.slice(valueEnd).search(/\r\n|\r|\n|$/);
  const newText = `${detectEol(text)}${indent}advisory_locks: false`;
  // Offered only when the file still parses as the same YAML documents with the line added.
  const after = parseYaml(text.slice(0, offset) + newText + text.slice(offset));
  if (after.docs.length !== parseYaml(text).docs.length) return [];
  const at = ctx.lines.positionAt(offset);
  return [
    {
      title: 'Add advisory_locks: false',
      isPreferred: true,
      changes: [{ kind: 'edit', path: ctx.file.path, edits: [{ range: { start: at, end: at }, newText }] }],
      note: 'Rails then runs migrations without its advisory lock: make sure only one deploy migrates at a time.',
    },
  ];
}
