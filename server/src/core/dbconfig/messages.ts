// Findings of the pooler, CI-network and connection-budget rules: a one-sentence message and Markdown
// details. Names only (variables, files, keys, environments), never a value read from a file; each
// claim is in ../knowledge/claims.ts with its source.

import { citeClaims } from '../knowledge/claims';
import { code, fit, quote } from '../wording';
import type { PoolerEvidence } from '../dbhandles/pooler';
import type { MigrationTool } from './migration-configs';

export interface Wording {
  message: string;
  details: string;
}

const TOOL_NAMES: Record<MigrationTool, string> = {
  'drizzle-kit': 'drizzle-kit',
  prisma: 'Prisma Migrate',
  knex: 'Knex',
  typeorm: 'TypeORM',
  rails: 'Rails',
};

const TOOL_CLAIMS: Record<MigrationTool, string[]> = {
  'drizzle-kit': ['drizzle-kit.db-credentials'],
  prisma: ['prisma.migrate-direct-url', 'prisma.config-datasource'],
  knex: ['knex.knexfile-migrations'],
  typeorm: ['typeorm.migration-datasource'],
  rails: ['rails.migration-advisory-lock'],
};

function sources(ids: string[]): string {
  return `Sources: ${citeClaims(ids)}.`;
}

export interface MigrationFinding {
  tool: MigrationTool;
  evidence: PoolerEvidence;
  /** What the connection is written as: `dbCredentials.url`, `url`, `datasource.url`. */
  written: string;
  /** The knexfile or database.yml environment. */
  env?: string;
  /** Prisma schema: the datasource has no directUrl. */
  noDirectUrl?: boolean;
}

export function migrationWording(f: MigrationFinding): Wording {
  const signal = f.evidence.signal;
  const env = f.env ? quote(f.env) : undefined;
  let message: string;
  switch (f.tool) {
    case 'prisma':
      message = f.noDirectUrl
        ? fit(
            `Prisma Migrate connects with this url, which goes through a transaction-mode pooler (${signal}), because the datasource has no "directUrl".`,
            'Prisma Migrate connects through a transaction-mode pooler here, because the datasource has no "directUrl".',
          )
        : fit(
            `Prisma Migrate connects with ${quote(f.written)}, which goes through a transaction-mode pooler (${signal}), where migrations can fail or hang.`,
            `Prisma Migrate connects through a transaction-mode pooler (${signal}) here, where migrations can fail or hang.`,
          );
      break;
    case 'rails':
      message = fit(
        `Rails migrations${env ? ` for ${env}` : ''} take a session advisory lock through a transaction-mode pooler (${signal}), and "advisory_locks" is not false.`,
        `Rails migrations take a session advisory lock through a transaction-mode pooler (${signal}), and "advisory_locks" is not false.`,
      );
      break;
    default:
      message = fit(
        `Migrations run by ${TOOL_NAMES[f.tool]}${env ? ` for ${env}` : ''} connect through a transaction-mode pooler (${signal}), where SET, advisory locks and other session state do not last.`,
        `Migrations run by ${TOOL_NAMES[f.tool]} connect through a transaction-mode pooler (${signal}), where session state does not last.`,
      );
  }
  const consequence: Record<MigrationTool, string> = {
    prisma: f.noDirectUrl
      ? '- Prisma Migrate needs one direct connection; through PgBouncer or Supavisor in transaction mode it can fail (prepared statement "s0" already exists) or hang on its advisory lock. With `directUrl`, `migrate dev`, `migrate deploy` and `db push` connect there instead, and Prisma Client keeps the pooled `url`.'
      : '- From Prisma 7, Migrate connects with `datasource.url` of `prisma.config.ts`: point it at the direct connection (or Supabase\'s session pooler, port 5432) and give Prisma Client the pooled URL through its adapter.',
    rails: '- Active Record takes a session advisory lock around `db:migrate`; through a transaction-mode pooler the lock and its release can land on different server connections, so migrations can stall or fail with ConcurrentMigrationError. `advisory_locks: false` turns the lock off; a direct or session-mode connection for migrations keeps it.',
    'drizzle-kit': '- Each transaction may run on another server connection: a `SET statement_timeout` or `SET lock_timeout` in a migration does not reach the next statement, and the pooler\'s own timeouts still apply to long statements.',
    knex: '- Each transaction may run on another server connection: a `SET statement_timeout` or `SET lock_timeout` in a migration does not reach the next statement, and the pooler\'s own timeouts still apply to long statements.',
    typeorm: '- Each transaction may run on another server connection: a `SET statement_timeout` or `SET lock_timeout` in a migration does not reach the next statement, and the pooler\'s own timeouts still apply to long statements.',
  };
  const details = [
    `${TOOL_NAMES[f.tool]} connects with ${code(f.written)}${f.env ? ` (${code(f.env)})` : ''}; ${f.evidence.where} points at a transaction-mode pooler (${signal}).`,
    '',
    consequence[f.tool],
    '- Run migrations over a direct connection, or over Supabase\'s session pooler (port 5432), which keeps session state; keep the pooled URL for the application.',
    '',
    sources([...TOOL_CLAIMS[f.tool], 'pooler.session-features', 'pooler.transaction-mode', 'pooler.supabase-session']),
  ].join('\n');
  return { message, details };
}

export interface CiFinding {
  job: string;
  runner: string;
  /** Where the host is written: `env.DATABASE_URL`, `a run step`. */
  where: string;
}

export function ciWording(f: CiFinding): Wording {
  const job = quote(f.job);
  return {
    message: fit(
      `Job ${job} runs on a GitHub-hosted runner, which has no IPv6 route, but connects to a Supabase direct host, which is IPv6-only; use the session pooler (IPv4).`,
      `Job ${job} runs on a GitHub-hosted runner without IPv6 but connects to a Supabase direct host, which is IPv6-only; use the session pooler.`,
      'A GitHub-hosted job connects to a Supabase direct host, which is IPv6-only, so the connection can hang or fail; use the session pooler.',
    ),
    details: [
      `Job ${code(f.job)} runs on ${code(f.runner)} and ${f.where} names a direct Supabase host (\`db.<project-ref>.supabase.co\`).`,
      '',
      '- The direct host has only an IPv6 address unless the project has the paid IPv4 add-on; GitHub-hosted runners have no IPv6 route, so the connection fails with "Network is unreachable" or hangs until the job times out.',
      '- Use the Supavisor session pooler instead: `postgres.<project-ref>@aws-0-<region>.pooler.supabase.com:5432`, which is IPv4 and keeps session features (migrations, advisory locks). Port 6543 is transaction mode.',
      '- A self-hosted runner on a network with IPv6 can reach the direct host; this rule is silent for those.',
      '',
      sources(['supabase.direct-ipv6', 'github.hosted-ipv4-only']),
    ].join('\n'),
  };
}

export interface SettingFinding {
  setting: string;
  /** How the statement is sent: `pool.query`, the `sql` tag. */
  via: string;
  handleWhat: string;
  evidence: PoolerEvidence;
}

export function sessionSettingWording(f: SettingFinding): Wording {
  const setting = quote(f.setting);
  return {
    message: fit(
      `SET ${setting} runs outside a transaction through a transaction-mode pooler (${f.evidence.signal}), so the next statement may run on a connection without it.`,
      `SET ${setting} runs outside a transaction through a transaction-mode pooler, so the next statement may run without it.`,
    ),
    details: [
      `${code(`SET ${f.setting}`)} runs through ${code(f.via)} on ${f.handleWhat}; ${f.evidence.where} points at a transaction-mode pooler (${f.evidence.signal}).`,
      '',
      '- Outside a transaction, the pooler may hand each statement to a different server connection: the setting stays on the one that ran the SET (where it can affect other clients) and the next statement may run without it.',
      `- Use ${code(`SET LOCAL ${f.setting} …`)} inside the same transaction as the statements it is for, or pass it as a connection option (\`options=-c ${f.setting}=…\`) on a direct or session-mode connection.`,
      '',
      sources(['pooler.session-features', 'pg.set-session', 'pooler.transaction-mode', 'pooler.supabase-session']),
    ].join('\n'),
  };
}

export interface BudgetTerm {
  /** `web (Puma)`, `worker (Sidekiq)`, `api (pg Pool)`. */
  label: string;
  perReplica: number;
  /** How perReplica was computed: `2 workers × pool 5`. */
  perReplicaWhy: string;
  replicas: number;
  replicasWhy: string;
  /** `config/database.yml:12, config/puma.rb:3, k8s/hpa.yaml:9`. */
  where: string;
}

export interface BudgetFinding {
  terms: BudgetTerm[];
  maxConnections: number;
  reserved: number;
  reservedWhy: string;
  /** `terraform/rds.tf:14`. */
  maxWhere: string;
  /** Claims behind the terms (pool sizes, replica maxima); pg.max-connections is always cited. */
  claims?: string[];
}

export function budgetWording(f: BudgetFinding): Wording {
  const total = f.terms.reduce((n, t) => n + t.perReplica * t.replicas, 0);
  const available = f.maxConnections - f.reserved;
  const rows = f.terms.map((t) => `| ${t.label} | ${t.perReplica} (${t.perReplicaWhy}) | ${t.replicas} (${t.replicasWhy}) | ${t.perReplica * t.replicas} | ${t.where} |`);
  return {
    message: fit(
      `At full scale the processes sharing this database can open ${total} connections, but max_connections ${f.maxConnections} leaves ${available} after reserved slots.`,
    ),
    details: [
      `Every process holds up to its pool size, and autoscaling runs up to its maximum replicas: ${f.terms.map((t) => `${t.perReplica} × ${t.replicas}`).join(' + ')} = **${total}**, against \`max_connections\` ${f.maxConnections} − ${f.reserved} reserved (${f.reservedWhy}) = **${available}** (${f.maxWhere}).`,
      '',
      '| Process | Connections per replica | Replicas at most | Total | Where |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      '- Past the limit, new connections fail with "sorry, too many clients already" (or "remaining connection slots are reserved"), typically during a scale-out.',
      '- Lower pool sizes or replica maxima, raise `max_connections`, or put a pooler (PgBouncer, RDS Proxy, Supavisor) between the processes and the database.',
      '',
      sources(['pg.max-connections', ...(f.claims ?? [])]),
    ].join('\n'),
  };
}
