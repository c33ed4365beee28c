// Deterministic synthetic workspaces for the benchmark: a Rails monorepo and a TypeScript
// monorepo in realistic proportions. Most files are ordinary code without any rule's trigger;
// about 3% contain the shapes the rules look for (env-forked secrets, gems that read keys by
// convention, advisory locks on pooled connections) and as many are benign look-alikes that
// share the trigger words. The same --files and --seed always give byte-identical trees.
//
//   node bench/generate.mjs --files 50000 [--out bench/corpus/50000] [--seed 1]

import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { URL } from 'node:url';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

/** Identifies this generator's output: a corpus made by another version is regenerated. */
export const GENERATOR_HASH = createHash('sha256').update(readFileSync(new URL(import.meta.url))).digest('hex').slice(0, 12);

/** mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOUNS = ['account', 'invoice', 'order', 'customer', 'shipment', 'ledger', 'payment', 'report', 'session', 'widget', 'catalog', 'coupon', 'refund', 'address', 'profile', 'message', 'upload', 'review', 'schedule', 'tenant', 'inventory', 'warehouse', 'carrier', 'discount'];
const VERBS = ['build', 'sync', 'load', 'find', 'render', 'compute', 'validate', 'publish', 'archive', 'notify', 'import', 'export', 'refresh', 'merge', 'split', 'track'];
const SECRETS = [
  ['lockbox', 'master_key', 'Lockbox.master_key'],
  ['stripe', 'secret_key', 'Stripe.api_key'],
  ['sentry', 'dsn', 'config.x.sentry_dsn'],
  ['mailgun', 'api_key', 'config.x.mailgun_api_key'],
];

export function generate({ files, out, seed = 1 }) {
  const rand = prng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const camel = (s) => s.replace(/_(\w)/g, (_, c) => c.toUpperCase());
  const pascal = (s) => camel(s).replace(/^\w/, (c) => c.toUpperCase());
  rmSync(out, { recursive: true, force: true });
  let written = 0;
  let bytes = 0;
  const write = (rel, text) => {
    const path = join(out, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    written++;
    bytes += Buffer.byteLength(text);
  };

  // --- Ruby ------------------------------------------------------------------------------
  const rubyMethod = (name) => {
    const a = pick(NOUNS);
    const b = pick(NOUNS);
    const lines = [`  def ${pick(VERBS)}_${name}(${a}, options = {})`];
    for (let i = int(2, 7); i > 0; i--) {
      lines.push(
        pick([
          `    ${a}_ids = ${a}.${b}s.where(active: true).pluck(:id)`,
          `    return if ${a}.nil? || options[:skip]`,
          `    result = ${pascal(b)}Service.new(${a}).call(limit: ${int(1, 500)})`,
          `    logger.info("${pick(VERBS)} ${a} #{${a}.id}")`,
          `    @${b} ||= ${pascal(b)}.find_by(${a}_id: ${a}.id)`,
          `    ${b}_total = ${a}.${b}s.sum(:amount_cents)`,
          `    raise ArgumentError, "missing ${b}" unless ${a}.respond_to?(:${b})`,
        ]),
      );
    }
    lines.push(`    ${a}`, '  end');
    return lines.join('\n');
  };
  const rubyClass = (name, base) => {
    const body = [];
    for (let i = int(3, 9); i > 0; i--) body.push(rubyMethod(`${pick(NOUNS)}_${i}`));
    // A few files mention words that contain a trigger ("management" contains "gem").
    const note = rand() < 0.04 ? `# Part of the ${pick(['engagement', 'management', 'agreement'])} workflow.\n` : '';
    return `# frozen_string_literal: true\n\n${note}class ${pascal(name)}${base ? ` < ${base}` : ''}\n${body.join('\n\n')}\nend\n`;
  };
  const railsApp = (app, count) => {
    const root = `rails/apps/${app}`;
    const gems = ['rails', 'pg', 'puma', 'sidekiq', 'chamber'];
    const lockbox = rand() < 0.5;
    if (lockbox) gems.push('lockbox');
    write(`${root}/Gemfile`, `source "https://rubygems.org"\n\n${gems.map((g) => `gem "${g}"`).join('\n')}\n`);
    write(`${root}/config/application.rb`, `require_relative "boot"\n\nmodule ${pascal(app)}\n  class Application < Rails::Application\n    config.load_defaults 7.1\n  end\nend\n`);
    write(`${root}/config/environments/test.rb`, 'Rails.application.configure do\n  config.eager_load = false\n  config.cache_classes = true\nend\n');
    write(`${root}/config/environments/production.rb`, 'Rails.application.configure do\n  config.eager_load = true\n  config.log_level = :info\nend\n');
    // Migrations through a transaction pooler (issue 13): a third of the apps' DATABASE_URL is pooled
    // (port 6543) and database.yml does not turn advisory locks off; the rest connect directly.
    const pooled = rand() < 0.33;
    write(`${root}/config/database.yml`, 'default: &default\n  adapter: postgresql\n  pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>\n\ntest:\n  <<: *default\n  database: app_test\n\nproduction:\n  <<: *default\n  url: <%= ENV["DATABASE_URL"] %>\n');
    write(`${root}/.env`, `DATABASE_URL=postgres://app:bench@${pooled ? 'aws-0-eu-west-2.pooler.supabase.com:6543' : 'db.internal:5432'}/${app}\n`);
    let n = 6;
    for (let i = 0; n < count; i++, n++) {
      const r = rand();
      const name = `${pick(NOUNS)}_${i}`;
      if (r < 0.015) {
        // A forked secret: nil in test, a real lookup elsewhere.
        const [scope, key, target] = pick(SECRETS);
        write(`${root}/config/initializers/${scope}_${i}.rb`, `${target} = Rails.env.test? ? nil : Chamber.dig(:${scope}, :${key})\n`);
      } else if (r < 0.03) {
        // Look-alike: forks a non-secret setting on the environment.
        write(`${root}/config/initializers/logging_${i}.rb`, `Rails.application.configure do\n  config.log_level = Rails.env.production? ? :info : :debug\n  config.x.${name}_enabled = !Rails.env.test?\nend\n`);
      } else if (r < 0.04 && lockbox) {
        write(`${root}/app/models/${name}.rb`, `class ${pascal(name)} < ApplicationRecord\n  has_encrypted :${pick(NOUNS)}_note\n  belongs_to :${pick(NOUNS)}\nend\n`);
      } else if (r < 0.05) {
        // Look-alike: reads credentials that the app does define, or mentions encryption in prose.
        write(`${root}/app/services/${name}_client.rb`, `# Talks to the ${name} API; encryption happens server side.\n${rubyClass(`${name}_client`)}`);
      } else if (r < 0.55) {
        write(`${root}/app/models/${name}.rb`, rubyClass(name, 'ApplicationRecord'));
      } else if (r < 0.75) {
        write(`${root}/app/services/${name}_service.rb`, rubyClass(`${name}_service`));
      } else if (r < 0.9) {
        write(`${root}/spec/models/${name}_spec.rb`, `require "rails_helper"\n\nRSpec.describe ${pascal(name)} do\n  it "${pick(VERBS)}s" do\n    expect(described_class.new).to be_valid\n  end\nend\n`);
      } else {
        write(`${root}/lib/${name}.rb`, `module ${pascal(name)}\n${rubyMethod(name)}\nend\n`);
      }
    }
  };

  // --- TypeScript --------------------------------------------------------------------------
  const tsFunction = (name) => {
    const a = pick(NOUNS);
    const b = pick(NOUNS);
    const lines = [`export async function ${camel(`${pick(VERBS)}_${name}`)}(${camel(a)}: ${pascal(a)}, limit = ${int(10, 500)}): Promise<${pascal(b)}[]> {`];
    for (let i = int(2, 7); i > 0; i--) {
      lines.push(
        pick([
          `  const ${camel(b)}Ids = ${camel(a)}.${camel(b)}s.filter((x) => x.active).map((x) => x.id);`,
          `  if (!${camel(a)}) return [];`,
          `  const rows = await repo.${camel(pick(VERBS))}(${camel(a)}.id, { limit });`,
          `  logger.debug(\`${pick(VERBS)} \${${camel(a)}.id}\`);`,
          `  const total = ${camel(a)}.items.reduce((sum, item) => sum + item.amountCents, 0);`,
          `  if (limit < 0) throw new RangeError("limit must be positive");`,
        ]),
      );
    }
    lines.push(`  return repo.list${pascal(b)}s(${camel(a)}.id);`, '}');
    return lines.join('\n');
  };
  const tsModule = (name) => {
    const parts = [`import { logger } from "../logger";\nimport { repo } from "../repo";\nimport type { ${pascal(pick(NOUNS))} } from "../types";\n`];
    parts.push(`export interface ${pascal(name)}Options {\n  limit: number;\n  ${camel(pick(NOUNS))}Id?: string;\n}\n`);
    for (let i = int(2, 7); i > 0; i--) parts.push(tsFunction(`${name}_${i}`));
    return `${parts.join('\n')}\n`;
  };
  const tsPackage = (pkg, count) => {
    const root = `ts/packages/${pkg}`;
    write(`${root}/vitest.config.ts`, 'import { defineConfig } from "vitest/config";\n\nexport default defineConfig({ test: { setupFiles: ["./test/setup.ts"] } });\n');
    write(`${root}/test/setup.ts`, 'process.env.TZ = "UTC";\n');
    // drizzle-kit's migration connection (issue 13): pooled in a third of the packages.
    const pooled = rand() < 0.33;
    write(`${root}/package.json`, `{ "name": "@bench/${pkg}", "private": true, "dependencies": { "drizzle-orm": "0.45.4", "pg": "8.23.1" } }\n`);
    write(`${root}/.env`, `DATABASE_URL=postgres://svc:bench@${pooled ? 'aws-0-eu-west-2.pooler.supabase.com:6543' : 'db.internal:5432'}/${pkg}\n`);
    write(`${root}/drizzle.config.ts`, 'import { defineConfig } from "drizzle-kit";\n\nexport default defineConfig({\n  dialect: "postgresql",\n  schema: "./src/db/schema.ts",\n  dbCredentials: { url: process.env.DATABASE_URL! },\n});\n');
    let n = 5;
    for (let i = 0; n < count; i++, n++) {
      const r = rand();
      const name = `${pick(NOUNS)}_${i}`;
      if (r < 0.012) {
        write(`${root}/src/config/${name}.ts`, `import { secrets } from "../secrets";\n\nexport const ${camel(name)}Key = process.env.NODE_ENV === "test" ? undefined : secrets.get("${pick(SECRETS)[0]}");\n`);
      } else if (r < 0.024) {
        write(`${root}/src/config/${name}.ts`, `export const logLevel = process.env.NODE_ENV === "production" ? "info" : "debug";\nexport const ${camel(name)}Retries = process.env.NODE_ENV === "test" ? 0 : 3;\n`);
      } else if (r < 0.034) {
        // Session advisory lock taken through a pooled query helper.
        write(`${root}/src/jobs/${name}.ts`, `import { db } from "../db";\nimport { sql } from "drizzle-orm";\n\nexport async function run${pascal(name)}(): Promise<void> {\n  const [row] = await db.execute(sql\`SELECT pg_try_advisory_lock(${int(1, 9999)}) AS locked\`);\n  if (!row?.locked) return;\n  await work();\n}\n\nasync function work(): Promise<void> {}\n`);
      } else if (r < 0.04) {
        write(`${root}/src/jobs/${name}.ts`, `import { db } from "../db";\nimport { sql } from "drizzle-orm";\n\nexport async function run${pascal(name)}(): Promise<void> {\n  await db.transaction(async (tx) => {\n    await tx.execute(sql\`SELECT pg_try_advisory_xact_lock(${int(1, 9999)})\`);\n  });\n}\n`);
      } else if (r < 0.7) {
        write(`${root}/src/${pick(['services', 'models', 'lib', 'handlers'])}/${name}.ts`, tsModule(name));
      } else if (r < 0.85) {
        write(`${root}/test/${name}.test.ts`, `import { describe, expect, it } from "vitest";\nimport { ${camel(`build_${name}`)} } from "../src/lib/${name}";\n\ndescribe("${name}", () => {\n  it("builds", () => {\n    expect(${camel(`build_${name}`)}).toBeDefined();\n  });\n});\n`);
      } else {
        write(`${root}/src/components/${pascal(name)}.tsx`, `import React from "react";\n\nexport function ${pascal(name)}({ title }: { title: string }) {\n  return <section className="${name}">{title}</section>;\n}\n`);
      }
    }
  };

  // CI workflows (issue 14): a GitHub-hosted job reaching a Supabase direct host (IPv6 only), and a
  // self-hosted one doing the same, which is fine.
  const workflow = (runner, host) =>
    `name: ci\non: [push]\njobs:\n  test:\n    runs-on: ${runner}\n    env:\n      DATABASE_URL: postgres://ci:bench@${host}:5432/postgres\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n`;
  write('.github/workflows/ci.yml', workflow('ubuntu-latest', 'db.abcdefghijklmnopqrst.supabase.co'));
  write('.github/workflows/nightly.yml', workflow('self-hosted', 'db.abcdefghijklmnopqrst.supabase.co'));

  const perApp = 500;
  const rails = Math.floor(files / 2);
  for (let i = 0, left = rails; left > 0; i++, left -= perApp) railsApp(`app_${String(i).padStart(3, '0')}`, Math.min(perApp, left));
  for (let i = 0, left = files - rails; left > 0; i++, left -= perApp) tsPackage(`pkg_${String(i).padStart(3, '0')}`, Math.min(perApp, left));
  const made = { files: written, bytes, seed, generator: GENERATOR_HASH };
  writeFileSync(join(out, '.manifest.json'), JSON.stringify(made));
  return made;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { files: { type: 'string', default: '2000' }, out: { type: 'string' }, seed: { type: 'string', default: '1' } } });
  const files = Number(values.files);
  const out = values.out ?? join('bench', 'corpus', String(files));
  const t = performance.now();
  const r = generate({ files, out, seed: Number(values.seed) });
  console.log(`generated ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB in ${out} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
}
