// Incremental analysis (core/incremental) against a full analysis of a fresh parse, over random edit
// sequences on Ruby initializers and TypeScript modules written for this test: insertions, deletions,
// multi-line pastes, edits inside strings, heredocs, template literals and comments. The tree is kept
// and edited as the editor does (tree.edit, then an incremental reparse). Findings must be identical:
// rules, severities, ranges, messages, details and related locations. Run once per parser binding:
// the editor analyses incrementally with WebAssembly, and the tests' default is native.

import { onParser } from '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { analyzeFileSync } from '../../server/src/core/engine';
import { analyzeIncrementalSync, type IncrementalState } from '../../server/src/core/incremental/analyze';
import { loadLanguage, parseSync, type Tree } from '../../server/src/core/parser';
import { treeEditFor } from '../../server/src/core/tree-edit';
import type { FileResult, GrammarLanguage } from '../../server/src/core/types';
import { FileSystemWorkspace } from '../../server/src/core/workspace';

const SEED = 20_261_717;

const RUBY_STATEMENTS = [
  '  config.x.partner_api_key = Rails.env.test? ? nil : Chamber.dig(:partner, :api_key)\n',
  '  config.x.partner_api_key = ENV["PARTNER_API_KEY"]\n',
  '  config.x.batch_size = Rails.env.production? ? 100 : 10\n',
  '  config.x.feature_enabled = false\n',
  '  # Tuned for the nightly import\n',
  '  stripe_secret = Rails.env.test? ? nil : ENV["STRIPE_SECRET_KEY"]\n',
  '  config.x.stripe = stripe_secret\n',
  '  config.x.signing_secret = ENV["SIGNING_SECRET"] if Rails.env.production?\n',
  '  config.x.staging_token = Rails.env.staging? ? ENV["STAGING_TOKEN"] : nil\n',
  '  if Rails.env.production?\n    config.x.mail_password = Chamber.dig(:mail, :password)\n  end\n',
  '  unless Rails.env.test?\n    config.x.sentry_dsn = ENV["SENTRY_DSN"]\n  end\n',
  '  case Rails.env\n  when "production", "staging"\n    config.x.queue_token = ENV["QUEUE_TOKEN"]\n  end\n',
  '  config.x.banner = <<~TEXT\n    Welcome, key holders # not a comment\n  TEXT\n',
  '  config.x.greeting = "hello #{Rails.env}"\n',
  '  Geocoder.configure(api_key: Rails.env.test? ? nil : ENV["GEOCODER_API_KEY"])\n',
];

const RUBY_TOP = [
  'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n',
  'Devise.setup do |config|\n  config.pepper = Rails.env.test? ? nil : ENV["DEVISE_PEPPER"]\nend\n',
  '# frozen_string_literal: true\n',
  'STRIPE_KEY = Rails.env.production? ? ENV["STRIPE_KEY"] : nil\n',
];

const TS_STATEMENTS = [
  'const isTest = process.env.NODE_ENV === "test";\n',
  'export const stripeKey = isTest ? undefined : secrets.get("stripe");\n',
  'export const partnerKey = process.env.NODE_ENV === "test" ? undefined : secrets.get("partner");\n',
  'export const batchSize = process.env.NODE_ENV === "production" ? 100 : 10;\n',
  '// Step: copies one batch of rows\n',
  'export async function step(limit = 1): Promise<number> {\n  const rows = await db.select("batch", { limit });\n  return rows.length;\n}\n',
  'let mailPassword: string | undefined;\nif (process.env.NODE_ENV === "production") {\n  mailPassword = secrets.get("mail");\n}\nexport { mailPassword };\n',
  'export const banner = `key ${process.env.NODE_ENV} holder`;\n',
  'const config = { apiToken: process.env.NODE_ENV === "staging" ? secrets.get("token") : undefined };\n',
  'export const signingSecret = isProd ? secrets.get("signing") : null;\n',
  'const isProd = process.env.NODE_ENV === "production";\n',
  'switch (process.env.NODE_ENV) {\n  case "production":\n    queueToken = secrets.get("queue");\n    break;\n}\n',
];

/** Pasted or typed: pieces of statements, quotes, comment and heredoc markers, line breaks. */
const SNIPPETS = [
  'x', 'key', ' ', '\n', '"', "'", '#', '//', '`', '${', '}', '(', ')', 'nil', 'undefined', 'Rails.env.test? ? nil : ', ' ? undefined : ',
  'ENV["API_KEY"]', 'secrets.get("k")', 'staging', 'return if Rails.env.test?\n', 'if (isTest) throw new Error("no");\n', '<<~EOS\n  body\nEOS\n',
  '  config.x.partner_api_key = nil\n', 'stripe_secret', 'isTest', 'const isTest = true;\n', 'end\n', 'do\n', '/*', '*/', '=begin\n', '=end\n',
];

function rubyFile(picks: number[]): string {
  const body = picks.map((i) => RUBY_STATEMENTS[i % RUBY_STATEMENTS.length]).join('');
  const top = picks.slice(0, 2).map((i) => RUBY_TOP[i % RUBY_TOP.length]).join('');
  return `${top}Rails.application.configure do\n${body}end\n`;
}

function tsFile(picks: number[]): string {
  return `import { secrets } from "../secrets";\nimport { db } from "../db";\nlet queueToken: string | undefined;\n${picks.map((i) => TS_STATEMENTS[i % TS_STATEMENTS.length]).join('')}`;
}

interface Edit {
  at: number;
  remove: number;
  insert: string;
}

const editArb = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 120 })),
  insert: fc.oneof(
    fc.constant(''),
    fc.constantFrom(...SNIPPETS),
    fc.array(fc.constantFrom(...SNIPPETS), { minLength: 2, maxLength: 4 }).map((xs) => xs.join('')),
    fc.constantFrom(...RUBY_STATEMENTS, ...TS_STATEMENTS),
  ),
});

/** Canonical form of what the editor shows. */
function shape(r: FileResult): string {
  return JSON.stringify(r.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, range: f.range, message: f.message, details: f.details, related: f.related, secondary: f.secondary, fixes: f.fixes })));
}

for (const parser of ['native', 'wasm'] as const) suite(`incremental analysis (${parser})`, function () {
  this.timeout(600_000);
  onParser(parser);
  let root: string;
  let workspace: FileSystemWorkspace;

  suiteSetup(async () => {
    await loadLanguage('ruby');
    await loadLanguage('typescript');
    root = mkdtempSync(join(tmpdir(), 'initaudit-incremental-'));
    const files: Record<string, string> = {
      Gemfile: 'source "https://rubygems.org"\ngem "rails"\ngem "chamber"\ngem "devise"\n',
      'config/application.rb': 'require_relative "boot"\nmodule App\n  class Application < Rails::Application\n  end\nend\n',
      'config/environments/test.rb': 'Rails.application.configure do\n  config.cache_store = :null_store\nend\n',
      'app/models/report.rb': 'class Report\n  def key = Rails.configuration.x.partner_api_key\nend\n',
      'package.json': '{ "name": "app", "private": true }\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    workspace = new FileSystemWorkspace(root);
  });

  suiteTeardown(() => rmSync(root, { recursive: true, force: true }));

  function check(lang: GrammarLanguage, path: string, start: string, edits: Edit[]): { incremental: number } {
    let text = start;
    let tree: Tree | undefined = parseSync(lang, text);
    assert.ok(tree);
    let state: IncrementalState | undefined;
    let incremental = 0;
    try {
      for (let step = 0; step <= edits.length; step++) {
        if (step > 0) {
          const e = edits[step - 1]!;
          const at = Math.floor(e.at * text.length);
          const end = Math.min(text.length, at + e.remove);
          tree.edit(treeEditFor(text, at, end, e.insert));
          text = text.slice(0, at) + e.insert + text.slice(end);
          const next: Tree | undefined = parseSync(lang, text, tree);
          tree.delete();
          assert.ok(next);
          tree = next;
        }
        const file = { path: join(root, path), text };
        const got = analyzeIncrementalSync(file, workspace, tree, state);
        state = got.state;
        if (got.mode === 'incremental') incremental++;
        const fresh = analyzeFileSync(file, workspace, { withoutFixes: true });
        const same = analyzeFileSync(file, workspace, { withoutFixes: true, tree });
        // Compared with the same tree, so what is checked is the reuse, not tree-sitter's error recovery.
        assert.equal(shape(got.result), shape(same), `step ${step} (${got.mode}) differs from a full analysis of\n${text}`);
        if (!tree.rootNode.hasError) assert.equal(shape(got.result), shape(fresh), `step ${step}: the reparsed tree gives other findings than a fresh parse of\n${text}`);
      }
    } finally {
      tree.delete();
    }
    return { incremental };
  }

  for (const [lang, path, make] of [
    ['ruby', 'config/initializers/settings.rb', rubyFile],
    ['typescript', 'src/jobs/nightly.ts', tsFile],
  ] as const) {
    test(`${lang}: random edit sequences give the findings of a full analysis`, () => {
      let incremental = 0;
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 3, maxLength: 14 }), fc.array(editArb, { minLength: 1, maxLength: 12 }), (picks, edits) => {
          incremental += check(lang, path, make(picks), edits).incremental;
        }),
        { seed: SEED, numRuns: 80 },
      );
      // The property says nothing if every step fell back to a full analysis (small files and broken syntax often do).
      assert.ok(incremental > 15, `only ${incremental} steps were incremental`);
    });
  }

  test('typing at the end of comment lines of a large initializer re-analyses one unit at a time', () => {
    const lines = ['Rails.application.configure do'];
    for (let i = 0; i < 400; i++) lines.push(`  # Setting ${i}`, i % 20 === 0 ? `  config.x.partner_${i}_api_key = Rails.env.test? ? nil : Chamber.dig(:partner_${i}, :api_key)` : `  config.x.feature_${i} = true`);
    lines.push('end', '');
    let text = lines.join('\n');
    let tree = parseSync('ruby', text)!;
    let state: IncrementalState | undefined;
    const file = (): { path: string; text: string } => ({ path: join(root, 'config/initializers/big.rb'), text });
    state = analyzeIncrementalSync(file(), workspace, tree, state).state;
    for (let e = 0; e < 40; e++) {
      const at = text.indexOf(`# Setting ${e * 7}\n`) + `# Setting ${e * 7}`.length;
      tree.edit(treeEditFor(text, at, at, 'x'));
      text = text.slice(0, at) + 'x' + text.slice(at);
      const next = parseSync('ruby', text, tree)!;
      tree.delete();
      tree = next;
      const got = analyzeIncrementalSync(file(), workspace, tree, state);
      state = got.state;
      assert.equal(got.mode, 'incremental');
      assert.ok(got.analysedUnits <= 4, `${got.analysedUnits} units analysed`);
      assert.equal(shape(got.result), shape(analyzeFileSync(file(), workspace, { withoutFixes: true, tree })));
    }
    tree.delete();
  });
});
