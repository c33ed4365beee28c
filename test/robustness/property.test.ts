// Property tests: arbitrary text and bytes, and random mutations of every fixture, through the
// engine and the fixes. The engine must never throw or report an internal failure, must finish
// each file within a generous bound (a hang, not a speed target: speed is `npm run bench`), and
// fixes must stay idempotent and introduce no syntax errors.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { analyzeFile, errorCount } from '../../server/src/core/engine';
import { fixFileInMemory } from '../../server/src/core/fix';
import { hasGrammar, languageOf, parse } from '../../server/src/core/parser';
import { FileSystemWorkspace } from '../../server/src/core/workspace';
import { FIXTURES } from '../support/paths';

/** Far above any real file's analysis time; only a hang or a blow-up exceeds it. */
const BOUND_MS = 5_000;
/** The same runs every time, so a failure reproduces; fast-check prints the counterexample. */
const SEED = 20_261_123;

/** Paths that route text to every language and every rule's path filter. */
const PATHS = [
  'config/initializers/lockbox.rb',
  'config/environments/production.rb',
  'app/models/user.rb',
  'Gemfile',
  'config/database.yml',
  'src/config.ts',
  'src/jobs/nightly.ts',
  'src/App.tsx',
  'lib/index.js',
];

/** Pieces that reach the parser and the rules' deeper paths, mixed with syntax that breaks them. */
const TOKENS = [
  'Lockbox.master_key = ', 'Rails.env.test?', 'Rails.env.production?', ' ? nil : ', 'Chamber.dig(:lockbox, :master_key)', 'ENV["KEY"]',
  'Rails.application.credentials.dig(:stripe, :secret_key)', 'if ', 'unless ', 'case Rails.env\nwhen "test"\n', 'return if Rails.env.test?', 'end',
  'gem "lockbox"', 'has_encrypted :email', 'encrypts :ssn', 'Rails.application.configure do', 'config.x.stripe_key = ',
  'export const stripeKey = ', 'process.env.NODE_ENV === "test"', ' ? undefined : ', 'secrets.get("stripe")', 'isTest', 'import.meta.env.PROD',
  'await db.execute(sql`SELECT pg_try_advisory_lock(1)`)', 'pg_advisory_xact_lock(1)', 'db.transaction(async (tx) => {', '<%= ENV["X"] %>',
  'password: <%= Rails.application.credentials.db %>', '# initaudit-disable-next-line env-forked-nil-secret', '// initaudit-disable-line',
  '\n', '\r\n', '\r', '\t', '  ', '{', '}', '(', ')', '[', ']', '"', "'", '`', '#{', '${', ':', ';', ',', '=', '\\', '\ufeff', '\u0000', '\ud800', '😀', 'é',
];

/** Whole statements the rules report, so generated files have findings (and fixes) to exercise. */
const STATEMENTS = [
  'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n',
  'Stripe.api_key = Rails.env.production? ? ENV.fetch("STRIPE_SECRET_KEY") : nil\n',
  'config.x.sentry_dsn = Rails.application.credentials.dig(:sentry, :dsn) unless Rails.env.test?\n',
  'export const stripeKey = process.env.NODE_ENV === "test" ? undefined : secrets.get("stripe");\n',
  "const apiKey = process.env.NODE_ENV !== 'production' ? null : loadSecret('api_key');\n",
  'gem "lockbox"\n',
  'has_encrypted :email\n',
];
const tokenText = fc
  .array(fc.oneof({ arbitrary: fc.constantFrom(...STATEMENTS), weight: 1 }, { arbitrary: fc.constantFrom(...TOKENS), weight: 3 }), { maxLength: 60 })
  .map((parts) => parts.join(''));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 400 }).map((codes) => String.fromCharCode(...codes)),
  fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
  tokenText,
);

/** Analyses `text` at `path` in `root`, asserting the engine's contract; returns its findings count. */
async function checkAnalysis(root: string, rel: string, text: string): Promise<number> {
  const path = join(root, rel);
  const ws = new FileSystemWorkspace(root);
  ws.overlay.set(path, text);
  const started = performance.now();
  const result = await analyzeFile({ path, text }, ws);
  const ms = performance.now() - started;
  assert.ok(ms < BOUND_MS, `${rel}: analysis took ${ms.toFixed(0)} ms`);
  assert.deepEqual(result.errors, [], `${rel}: internal failures`);
  for (const f of result.findings) {
    assert.ok(f.range.start.line >= 0 && f.range.start.character >= 0, 'negative position');
    assert.ok(typeof f.message === 'string' && f.message.length > 0, 'empty message');
  }
  return result.findings.length;
}

/** Applies every preferred fix twice: the second pass must change nothing; no file may gain syntax errors. */
async function checkFixes(root: string, rel: string, text: string): Promise<void> {
  const path = join(root, rel);
  const ws = new FileSystemWorkspace(root);
  ws.overlay.set(path, text);
  const before = new Map<string, number>();
  const errorsIn = async (p: string, t: string): Promise<number> => {
    const lang = languageOf(p);
    if (!lang || !hasGrammar(lang)) return 0;
    const tree = await parse(lang, t);
    assert.ok(tree, `${relative(root, p)}: does not parse`);
    try {
      return errorCount(tree);
    } finally {
      tree.delete();
    }
  };
  before.set(path, await errorsIn(path, text));
  const first = await fixFileInMemory(path, ws);
  for (const p of first.changed) {
    if (!before.has(p)) {
      const original = p === path ? text : new FileSystemWorkspace(root).readFile(p);
      before.set(p, original === undefined ? 0 : await errorsIn(p, original));
    }
    const after = ws.readFile(p);
    assert.ok(after !== undefined, `${relative(root, p)}: fixed away`);
    assert.ok((await errorsIn(p, after)) <= (before.get(p) ?? 0), `${relative(root, p)}: a fix introduced a syntax error`);
  }
  const snapshot = new Map(ws.overlay);
  const second = await fixFileInMemory(path, ws);
  assert.deepEqual([...second.changed], [], `${rel}: a second --fix pass changed ${[...second.changed].map((p) => relative(root, p)).join(', ')}`);
  assert.deepEqual(new Map(ws.overlay), snapshot);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

/** Small edits a user makes mid-typing: delete a span, insert a token, duplicate or drop a line. */
function mutated(text: string): fc.Arbitrary<string> {
  const at = fc.nat({ max: text.length });
  return fc.oneof(
    fc.tuple(at, fc.nat({ max: 40 })).map(([i, n]) => text.slice(0, i) + text.slice(i + n)),
    fc.tuple(at, fc.constantFrom(...TOKENS)).map(([i, t]) => text.slice(0, i) + t + text.slice(i)),
    fc.nat().map((i) => {
      const lines = text.split('\n');
      const k = lines.length ? i % lines.length : 0;
      return [...lines.slice(0, k + 1), lines[k] ?? '', ...lines.slice(k + 1)].join('\n');
    }),
    fc.nat().map((i) => {
      const lines = text.split('\n');
      lines.splice(lines.length ? i % lines.length : 0, 1);
      return lines.join('\n');
    }),
  );
}

suite('robustness: properties of the engine and the fixes', () => {
  let root: string;
  suiteSetup(() => {
    root = mkdtempSync(join(tmpdir(), 'initaudit-prop-'));
  });
  suiteTeardown(() => rmSync(root, { recursive: true, force: true }));

  test('any text at any path: the engine never throws or fails, and finishes', async function () {
    this.timeout(120_000);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), anyText, async (rel, text) => {
        await checkAnalysis(root, rel, text);
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  test('text built from trigger words: fixes are idempotent and keep every file parseable', async function () {
    this.timeout(120_000);
    let withFindings = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), tokenText, async (rel, text) => {
        if ((await checkAnalysis(root, rel, text)) > 0) withFindings++;
        await checkFixes(root, rel, text);
      }),
      { numRuns: 200, seed: SEED },
    );
    // Otherwise the property would hold vacuously.
    assert.ok(withFindings >= 10, `only ${withFindings} generated files had findings`);
  });

  test('random mutations of every fixture: no failure, fixes idempotent and parseable', async function () {
    this.timeout(180_000);
    const fixtures = [join(FIXTURES, 'rules'), join(FIXTURES, 'fixes')].flatMap(listFiles).filter((p) => languageOf(p) && !p.split(sep).includes('after'));
    assert.ok(fixtures.length > 20, `found only ${fixtures.length} fixture files`);
    for (const file of fixtures) {
      const text = readFileSync(file, 'utf8');
      // The fixture's own folder is its workspace: sibling files (test.rb, Gemfile) are read from there, never written.
      const fixtureRoot = dirname(file);
      const rel = relative(fixtureRoot, file);
      await fc.assert(
        fc.asyncProperty(mutated(text), async (variant) => {
          await checkAnalysis(fixtureRoot, rel, variant);
          await checkFixes(fixtureRoot, rel, variant);
        }),
        { numRuns: 4, seed: SEED },
      );
    }
  });
});
