// What a user reads in the Problems panel: one plain sentence that fits. Checked on every finding
// the fixtures and the bundled examples produce, and on every message template rendered with
// realistic and long names. The explanation lives in the details (the hover), never in the message.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { forkWording, type NilWord } from '../../server/src/core/envfork/messages';
import type { ForkedSetting } from '../../server/src/core/envfork/model';
import type { ExecSite } from '../../server/src/core/dbhandles/exec-sites';
import {
  sessionLockBehindPoolerWording,
  sessionLockInTransactionWording,
  sessionLockOnPoolWording,
  unlockOnPoolWording,
  xactOutsideTransactionWording,
} from '../../server/src/core/dbhandles/messages';
import type { Handle } from '../../server/src/core/dbhandles/types';
import { budgetWording, ciWording, migrationWording, sessionSettingWording } from '../../server/src/core/dbconfig/messages';
import type { MigrationTool } from '../../server/src/core/dbconfig/migration-configs';
import { analyzeFile } from '../../server/src/core/engine';
import { languageOf } from '../../server/src/core/parser';
import { GEM_KEYS } from '../../server/src/core/rails/gem-keys';
import type { RailsApp } from '../../server/src/core/rails/app-model';
import { untestedMessage } from '../../server/src/core/rules/encrypted-attribute-untested';
import { implicitKeyMessage, type KeyState } from '../../server/src/core/rules/implicit-gem-key-lookup';
import type { Drift, DriftKind } from '../../server/src/core/lockfiles/drift';
import { INCOMPATIBLE_PAIRS } from '../../server/src/core/lockfiles/incompatible';
import { conflictWording, dependentNote, driftWording, incompatibleWording, staleDriftWording } from '../../server/src/core/lockfiles/messages';
import { PROFILES } from '../../server/src/core/secrets/profiles';
import type { Finding } from '../../server/src/core/types';
import { MESSAGE_LIMIT, MESSAGE_TARGET } from '../../server/src/core/wording';
import { FIXTURES, repoRoot } from '../support/paths';
import { fixtureWorkspace } from '../support/fixture-workspace';

/** Why a message breaks the house style, or undefined when it does not. */
export function styleProblem(message: string, limit = MESSAGE_LIMIT): string | undefined {
  if (message.length > limit) return `${message.length} characters (at most ${limit})`;
  if (message.includes('`')) return 'a backtick (diagnostics are plain text)';
  if (/[\r\n]/.test(message)) return 'a line break';
  if (!/^[A-Z]/.test(message)) return 'does not start with a capital letter';
  if (!/[.]$/.test(message)) return 'does not end with a period';
  // One sentence: no full stop followed by another sentence (quoted names may contain dots).
  const unquoted = message.replace(/"[^"]*"/g, '""');
  if (/\.\s+[A-Z]/.test(unquoted) || /[;:]\s.*[;:]\s/.test(unquoted)) return 'more than one sentence';
  if (/\*\*|\[[^\]]+\]\(/.test(message)) return 'markdown';
  return undefined;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? filesUnder(p) : languageOf(p) ? [p] : [];
    });
}

async function findingsUnder(root: string): Promise<Finding[]> {
  const ws = fixtureWorkspace(root);
  const out: Finding[] = [];
  for (const path of filesUnder(root)) out.push(...(await analyzeFile({ path, text: readFileSync(path, 'utf8') }, ws)).findings);
  return out;
}

function checkAll(findings: readonly Finding[], where: string): void {
  const problems: string[] = [];
  for (const f of findings) {
    const p = styleProblem(f.message);
    if (p) problems.push(`${f.path}:${f.range.start.line + 1} ${f.ruleId}: ${p}: ${f.message}`);
    for (const r of f.related) if (r.message.includes('`') || !/^[A-Z]/.test(r.message)) problems.push(`${f.path}: related "${r.message}"`);
    for (const x of f.fixes) {
      if (x.title.includes('`')) problems.push(`${f.path}: fix title "${x.title}"`);
      if (x.note?.includes('`')) problems.push(`${f.path}: fix note "${x.note}"`);
    }
  }
  assert.ok(findings.length > 0, `${where} produce findings`);
  assert.deepEqual(problems, [], `messages in ${where}`);
}

suite('messages: one plain sentence that fits', () => {
  test('the style check itself rejects what the Problems panel shows badly', () => {
    assert.equal(styleProblem('Secret "Lockbox.master_key" is nil in test.'), undefined);
    assert.match(styleProblem('`Lockbox.master_key` is nil.') ?? '', /backtick/);
    assert.match(styleProblem('"x" is nil.') ?? '', /capital/);
    assert.match(styleProblem('It is nil. It also raises.') ?? '', /more than one sentence/);
    assert.match(styleProblem(`A ${'very '.repeat(60)}long message.`) ?? '', /characters/);
    assert.equal(styleProblem('Unlock "pg.advisory_unlock" runs on "pool.query".'), undefined);
  });

  test('every finding on the rule fixtures', async () => {
    const dir = join(FIXTURES, 'rules');
    const findings: Finding[] = [];
    for (const rule of readdirSync(dir)) {
      for (const name of readdirSync(join(dir, rule))) {
        const p = join(dir, rule, name);
        findings.push(...(statSync(p).isDirectory() ? await findingsUnder(p) : await findingsUnder(join(dir, rule)).then((all) => all.filter((f) => f.path === p))));
      }
    }
    checkAll(findings, 'the rule fixtures');
  });

  test('every finding on the bundled examples', async () => {
    const examples = join(repoRoot(), 'examples');
    const findings: Finding[] = [];
    for (const app of readdirSync(examples)) if (statSync(join(examples, app)).isDirectory()) findings.push(...(await findingsUnder(join(examples, app))));
    checkAll(findings, 'the examples');
    assert.ok(findings.every((f) => f.details), 'every example finding carries details for the hover');
  });

  test('implicit-gem-key-lookup: every entry, every state, on the gem line and on a use', () => {
    const app = {
      root: '/srv/apps/customer-portal',
      credentials: { present: [], deleted: ['config/credentials/production.yml.enc'], keptOutOfRepository: false, predatesCredentials: false },
    } as unknown as RailsApp;
    const local = { path: '/srv/apps/customer-portal/config/environments/test.rb', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 9 } }, text: 'x' };
    const use = { path: '/srv/apps/customer-portal/app/models/patient_record.rb', range: { start: { line: 1, character: 2 }, end: { line: 1, character: 30 } }, text: 'attr_encrypted :social_security_number' };
    const states: KeyState[] = ['present', 'deleted', 'missing', 'unknown', 'only-local', 'borrowed', 'no-source', 'not-credentials'];
    for (const entry of GEM_KEYS) {
      for (const state of states) {
        if ((state === 'borrowed' && !entry.fedBy) || (state === 'no-source' && !entry.noSource)) continue;
        for (const at of [undefined, use]) {
          const m = implicitKeyMessage(entry, state, app, local, at);
          assert.equal(styleProblem(m, MESSAGE_TARGET), undefined, `${entry.id} ${state}: ${m}`);
        }
      }
    }
  });

  test('encrypted-attribute-untested: attributes and attachments, with short and long names', () => {
    for (const model of ['User', 'Billing::Reconciliation::InternationalBankAccountSnapshot']) {
      for (const name of ['ssn', 'international_bank_account_number_with_checksum_digits']) {
        for (const attachment of [false, true]) {
          const m = untestedMessage(model, { name, attachment });
          assert.equal(styleProblem(m, MESSAGE_TARGET), undefined, m);
        }
      }
    }
  });

  test('env-forked-nil-secret: every profile, every shape, with short and long names', () => {
    const names = [
      { name: 'Lockbox.master_key', lookup: 'Chamber.dig(:lockbox, :master_key)', limit: MESSAGE_TARGET },
      {
        name: 'config.active_record.encryption.key_derivation_salt',
        lookup: 'Rails.application.credentials.dig(:active_record_encryption, :key_derivation_salt)',
        limit: MESSAGE_LIMIT,
      },
    ];
    const shapes: Pick<ForkedSetting, 'nilEnvs' | 'unassignedEnvs' | 'realEnvs'>[] = [
      { nilEnvs: ['test'], unassignedEnvs: [], realEnvs: ['development', 'production'] },
      { nilEnvs: ['production'], unassignedEnvs: [], realEnvs: ['development', 'test'] },
      { nilEnvs: [], unassignedEnvs: ['development', 'test', 'staging'], realEnvs: ['production'] },
      { nilEnvs: ['development'], unassignedEnvs: ['staging'], realEnvs: ['test', 'production'] },
    ];
    const nilWords: NilWord[] = ['nil', 'undefined', 'null'];
    for (const profile of PROFILES.filter((p) => p.severity !== 'none')) {
      for (const { name, lookup, limit } of names) {
        for (const shape of shapes) {
          for (const nilWord of nilWords) {
            for (const condition of ['Rails.env.production? || Rails.env.staging?', 'ENV["RAILS_ENV"] == "test"', undefined]) {
              for (const kind of ['setting', 'call', 'built'] as const) {
                for (const forkKind of ['value', 'env-file'] as const) {
                  const s = {
                    ...shape,
                    name,
                    qualified: name,
                    kind,
                    forkKind,
                    secret: { source: 'env', path: ['x'], display: 'ENV["PAYMENT_PROVIDER_SECRET_ACCESS_KEY"]' },
                    real: { kind: 'lookup', lookup: { source: 'chamber', path: ['a'], display: lookup } },
                  } as unknown as ForkedSetting;
                  const w = forkWording(s, profile, condition, nilWord, new Map([['rails', '7.2.2'], ['activerecord', '7.2.2']]), 'config/environments/production.rb');
                  assert.equal(styleProblem(w.message, limit), undefined, `${profile.id} ${kind}: ${w.message}`);
                  assert.ok(!w.message.includes('"test"'), 'a condition with a string literal is never quoted');
                  assert.ok(w.details.length > 0);
                }
              }
            }
          }
        }
      }
    }
  });

  test('lockfile-major-drift: every kind, both ecosystems, with short and long names and many dependents', () => {
    const at = { start: { line: 3, character: 4 }, end: { line: 3, character: 19 } };
    const edge = (requirement: string, caps: boolean | undefined) => ({ name: 'x', requirement, caps, exact: false, target: 'x', range: at });
    const names = [
      { name: 'connection_pool', from: '2.5.5', to: '3.0.2', deps: ['sidekiq', 'redis-client'] },
      { name: 'google-cloud-bigquery-data_transfer-v1', from: '0.19.1234', to: '10.0.0.beta.3', deps: ['google-cloud-bigquery-data_transfer', 'google-cloud-storage-transfer-v1', 'google-apis-core', 'activesupport'] },
    ];
    const kinds: DriftKind[] = ['uncapped', 'capped', 'partly-capped', 'tooling', 'dev-only', 'direct', 'downgrade'];
    for (const ecosystem of ['rubygems', 'npm'] as const) {
      for (const n of names) {
        for (const kind of kinds) {
          const drift: Drift = {
            node: { key: n.name, name: n.name, version: n.to, range: at, edges: [] },
            from: n.from,
            to: n.to,
            kind,
            dependents: n.deps.map((d, i) => ({ name: d, version: '7.3.9', edge: edge(i === 0 ? '>= 2.3.0, != 2.4.0' : 'any', (kind === 'capped' || kind === 'partly-capped') && i === 1 ? true : false) })),
            path: [n.deps[0]!, n.name],
            ...(kind === 'tooling' ? { tooling: 'documentation' as const } : {}),
          };
          const w = driftWording(drift, ecosystem, 'origin/release-2025-q3', '`gem "x", "~> 2.5"`');
          assert.equal(styleProblem(w.message, MESSAGE_TARGET), undefined, w.message);
          assert.ok(w.details.includes('Sources: '), w.details);
          for (const d of drift.dependents) assert.equal(styleProblem(dependentNote(d, ecosystem), MESSAGE_LIMIT), undefined, dependentNote(d, ecosystem));
          const stale = staleDriftWording(drift, '~> 0.19');
          assert.equal(styleProblem(stale.message, MESSAGE_LIMIT), undefined, stale.message);
          for (const pair of INCOMPATIBLE_PAIRS) {
            for (const withDrift of [undefined, drift]) {
              for (const pin of [undefined, '~> 2.5']) {
                const i = incompatibleWording(pair, n.to, '7.3.9', withDrift, pin, ecosystem);
                assert.equal(styleProblem(i.message, MESSAGE_TARGET), undefined, i.message);
                assert.ok(i.details.includes('Sources: '), i.details);
              }
            }
          }
        }
      }
      const c = conflictWording(ecosystem === 'npm' ? 'npm-shrinkwrap.json' : 'Gemfile.lock', 1234, ecosystem);
      assert.equal(styleProblem(c.message, MESSAGE_TARGET), undefined, c.message);
    }
  });

  test('advisory locks: every wording, with a short and a long receiver', () => {
    const handle: Handle = { kind: 'pool', library: 'pg', what: 'a drizzle db over a pg Pool, passed in by a caller in ../jobs/nightly-report.ts' };
    for (const receiver of ['db', 'this.reportingDatabase.pool']) {
      for (const method of ['query', 'execute', 'tag', 'execute(db)', '$queryRawUnsafe']) {
        for (const library of ['pg', 'slonik', 'prisma'] as const) {
          const site = (name: string, action: string, scope: string): ExecSite =>
            ({ receiver: { text: receiver }, method, handle: { ...handle, library }, calls: [{ name, action, scope }], selfContained: false }) as unknown as ExecSite;
          const lock = site('pg_try_advisory_lock_shared', 'lock', 'session');
          const wordings = [
            sessionLockOnPoolWording(lock, [site('pg_advisory_unlock_shared', 'unlock', 'session')]),
            sessionLockOnPoolWording(lock, [site('pg_advisory_unlock_all', 'unlock-all', 'session')]),
            sessionLockOnPoolWording(lock, []),
            unlockOnPoolWording(site('pg_advisory_unlock_shared', 'unlock', 'session')),
            unlockOnPoolWording(site('pg_advisory_unlock_all', 'unlock-all', 'session')),
            xactOutsideTransactionWording(site('pg_try_advisory_xact_lock_shared', 'lock', 'xact')),
            xactOutsideTransactionWording({ ...site('pg_advisory_xact_lock', 'lock', 'xact'), handle: { ...handle, kind: 'http' } }),
            sessionLockInTransactionWording(lock),
            sessionLockBehindPoolerWording(lock, { where: 'JOBS_DATABASE_URL in .env.production.local', signal: 'pgbouncer=true' }),
          ];
          for (const w of wordings) {
            assert.equal(styleProblem(w.message, MESSAGE_TARGET), undefined, w.message);
            assert.ok(w.details.includes('Sources: '), `details cite sources: ${w.details}`);
          }
        }
      }
    }
  });

  test('poolers, CI networks and budgets: every wording, with short and long names', () => {
    const evidences = [
      { where: 'DATABASE_URL in .env', signal: 'port 6543' },
      { where: 'MIGRATIONS_DATABASE_CONNECTION_STRING in .env.production.local', signal: 'a -pooler. host' },
    ];
    const wordings = [];
    for (const evidence of evidences) {
      for (const tool of ['drizzle-kit', 'prisma', 'knex', 'typeorm', 'rails'] as MigrationTool[]) {
        for (const env of [undefined, 'production', 'production.primary, staging.primary, production_replica']) {
          for (const noDirectUrl of [false, true]) wordings.push(migrationWording({ tool, evidence, written: 'dbCredentials.connectionString', ...(env ? { env } : {}), noDirectUrl }));
        }
      }
      for (const setting of ['statement_timeout', 'search_path']) {
        wordings.push(sessionSettingWording({ setting, via: 'this.reportingDatabase.pool.query', handleWhat: 'a drizzle db over a pg Pool, passed in by a caller in ../jobs/nightly-report.ts', evidence }));
      }
    }
    for (const job of ['migrate', 'deploy-production-database-migrations-and-seed-data']) {
      wordings.push(ciWording({ job, runner: 'ubuntu-24.04', where: '`env.SUPABASE_PRODUCTION_DATABASE_URL`' }));
    }
    const term = { label: 'web (Puma)', perReplica: 20, perReplicaWhy: 'workers 2 × pool 10 (RAILS_MAX_THREADS)', replicas: 38, replicasWhy: 'maxReplicas 38', where: 'config/puma.rb:3, k8s/hpa.yaml:9' };
    wordings.push(budgetWording({ terms: [term, { ...term, label: 'worker (Sidekiq)' }], maxConnections: 1700, reserved: 3, reservedWhy: 'superuser_reserved_connections, 3 by default', maxWhere: 'deploy/postgres.yaml:12' }));
    for (const w of wordings) {
      assert.equal(styleProblem(w.message, MESSAGE_TARGET), undefined, w.message);
      assert.ok(w.details.includes('Sources: '), `details cite sources: ${w.details}`);
    }
  });
});
