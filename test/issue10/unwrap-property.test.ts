// The property behind issue 10, cases 4 and 5: unwrapping an environment guard ("Use an explicit
// env key") changes only what the fix means to change. Generated Ruby and TypeScript files put
// comments everywhere (header line, leading, inline, trailing, after `end`, `=begin`/`=end`,
// `/* */`), heredocs of every kind with bodies at odd indentation, multi-line strings, `%w[]`
// arrays, template literals and line continuations inside a guard, under BOM, CRLF, lone CR, tabs
// and an `__END__` data section. For every case:
// - the fix's edits, applied, give the fixed text; each edit deletes indentation, deletes the
//   guard's own syntax (and the nil branch it replaces), or inserts the env read before a value,
//   and nothing outside the guard changes;
// - every comment and string literal outside the dropped nil branch survives byte for byte, in order;
// - the fixed file parses: tree-sitter, and `ruby -c`'s parser on a sample (one Ruby process for
//   the batch) for Ruby, the TypeScript compiler's parser for TypeScript;
// - a Ruby file with lone-CR line endings gets no fix (Ruby does not break lines there).
// INITAUDIT_PROPERTY_RUNS sets the number of cases per language (default 5,000, 10,000 in all).

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as ts from 'typescript';
import { analyzeFile, errorCount } from '../../server/src/core/engine';
import { decodeText, encodeText } from '../../server/src/core/file-access';
import { loadLanguage, parseSync, type SyntaxNode } from '../../server/src/core/parser';
import { applyEdits, LineIndex } from '../../server/src/core/text';
import type { GrammarLanguage, TextEdit } from '../../server/src/core/types';
import { RULES } from '../../server/src/core/rules';
import { FileSystemWorkspace } from '../../server/src/core/workspace';

const RUNS = Number(process.env['INITAUDIT_PROPERTY_RUNS'] ?? 5_000);
const SEED = 20_261_201;
/** Every n-th fixed Ruby file (and its original) goes to Ruby's parser. */
const RUBY_SAMPLE_EVERY = 10;
/** Every n-th fixed TypeScript file goes to the TypeScript compiler's parser (tree-sitter checks them all). */
const TSC_SAMPLE_EVERY = 5;

const hasRuby = spawnSync('ruby', ['-v']).status === 0;

/** What the test itself counts as a string literal or a comment, per grammar (not the fix's list). */
const LITERALS: Record<'ruby' | 'typescript', ReadonlySet<string>> = {
  ruby: new Set(['comment', 'string', 'heredoc_body', 'string_array', 'symbol_array', 'regex', 'subshell', 'delimited_symbol', 'character']),
  typescript: new Set(['comment', 'string', 'template_string', 'regex']),
};

/** A piece of a generated file: kept by the fix, the guard's own syntax, or the nil branch the fix drops. */
type Tag = 'keep' | 'syntax' | 'dropped';
type Piece = [Tag, string];

interface Case {
  pieces: Piece[];
  /** The pieces the guard statement spans, first and last. */
  guard: [number, number];
  eol: '\n' | '\r\n' | '\r';
  bom: boolean;
}

// ---------------------------------------------------------------- Ruby

const RB_SECRETS = [
  'Lockbox.master_key = Chamber.dig(:lockbox, :master_key)',
  'Stripe.api_key = Rails.application.credentials.dig(:stripe, :secret_key)',
];
const BODY_TEXT = ['select 1', '# not a comment', 'end', 'if x', '  indented', '\tafter a tab', '', 'unless Rails.env.test?', 'x = "}"', '=begin'];

const indentArb = fc.constantFrom('  ', '    ', '\t');
const oddIndent = fc.constantFrom('', ' ', '  ', '    ', '      ', '\t', '\t\t', ' \t');
const bodyLines = fc.array(fc.tuple(oddIndent, fc.constantFrom(...BODY_TEXT)), { minLength: 1, maxLength: 4 });

/** A kept statement of a Ruby guard body, as lines relative to the body's indentation `i`. */
function rubyItem(i: string, unit: string): fc.Arbitrary<Piece[]> {
  const line = (s: string): Piece[] => [['keep', `${i}${s}\n`]];
  return fc.oneof(
    fc.constantFrom('# a leading comment', '#', '# rubocop:disable Style/Foo', '#!not a shebang').map(line),
    fc.constant<Piece[]>([['keep', '\n']]),
    fc.constant<Piece[]>([['keep', '=begin\nblock comment, column 0\n  indented inside\n=end\n']]),
    fc.tuple(fc.constantFrom(...RB_SECRETS), fc.option(fc.constantFrom(' # inline', ' #: typed'), { nil: '' })).map(([s, c]) => line(s + c)),
    fc.constantFrom('Service.timeout = 5 # seconds', 'Service.retries = [1, 2] # backoff').map(line),
    fc.tuple(fc.constantFrom('<<-TXT', '<<~TXT', '<<TXT', "<<~'TXT'", '<<-"TXT"'), bodyLines, oddIndent).map(([open, lines, endIndent]) => {
      const plain = !open.includes('-') && !open.includes('~');
      const body = lines.map(([ind, t]) => `${ind}${t}\n`).join('');
      const piece: Piece = ['keep', `${i}Service.banner = ${open}\n${body}${plain ? '' : endIndent}TXT\n`];
      return [piece];
    }),
    fc.tuple(bodyLines, fc.constantFrom('"', "'")).map(([lines, q]): Piece[] => [
      ['keep', `${i}Service.greeting = ${q}first\n${lines.map(([ind, t]) => ind + t.replace(/["'\\#]/g, '')).join('\n')}${q}\n`],
    ]),
    bodyLines.map((lines): Piece[] => [['keep', `${i}Service.columns = %w[\n${lines.map(([ind, t]) => ind + (t.replace(/[\]\\[]/g, '') || 'x')).join('\n')}\n${i}]\n`]]),
    fc.constant<Piece[]>([
      ['keep', `${i}Twilio.configure do |config| # block\n${i}${unit}# inside the block\n${i}${unit}config.auth_token = Chamber.dig(:twilio, :auth_token) # inline\n${i}end\n`],
    ]),
  );
}

const rubyCase: fc.Arbitrary<Case> = fc
  .record({
    unit: indentArb,
    wrapped: fc.boolean(),
    header: fc.constantFrom('if Rails.env.production?', 'unless Rails.env.test?', 'if Rails.env.production? then', 'unless Rails.env.test?;'),
    headerComment: fc.option(fc.constantFrom(' # deployed only', ' #'), { nil: '' }),
    endComment: fc.option(fc.constantFrom(' # production', ' # end'), { nil: '' }),
    before: fc.option(fc.constantFrom('# frozen_string_literal: true\n', '=begin\nabout this file\n=end\n', 'Service.name = "app"\n'), { nil: '' }),
    after: fc.option(fc.constantFrom('# the end\n', 'Service.ready = true\n'), { nil: '' }),
    data: fc.option(fc.constantFrom('__END__\nend\n# data, never run\n', '__END__\n'), { nil: '' }),
    elseForm: fc.constantFrom('none', 'none', 'none', 'nil-first', 'nil-last'),
    eol: fc.constantFrom<Case['eol']>('\n', '\n', '\r\n', '\r'),
    bom: fc.boolean(),
    finalEol: fc.boolean(),
  })
  .chain((o) => {
    const gi = o.wrapped ? o.unit : '';
    const bi = gi + o.unit;
    return fc
      .tuple(fc.array(rubyItem(bi, o.unit), { maxLength: 5 }), fc.array(rubyItem(bi, o.unit), { maxLength: 4 }), fc.constantFrom(...RB_SECRETS))
      .map(([lead, trail, secret]) => {
        const pieces: Piece[] = [];
        pieces.push(['keep', o.before]);
        if (o.wrapped) pieces.push(['keep', 'Rails.application.configure do\n']);
        const kept: Piece[] = [...lead.flat(), ['keep', `${bi}${secret}\n`], ...trail.flat()];
        const setting = secret.slice(0, secret.indexOf(' ='));
        if (o.elseForm === 'none') {
          pieces.push(['syntax', `${gi}${o.header}`], ['keep', `${o.headerComment}\n`], ...kept, ['syntax', `${gi}end`]);
        } else if (o.elseForm === 'nil-first') {
          // Only the two assignments of the setting: comments may sit around them.
          pieces.push(
            ['syntax', `${gi}if Rails.env.test?`],
            ['dropped', `${o.headerComment}\n${bi}# the test value\n${bi}${setting} = nil\n${gi}else`],
            ['keep', `\n${bi}# the real value\n${bi}${secret} # inline\n`],
            ['syntax', `${gi}end`],
          );
        } else {
          pieces.push(
            ['syntax', `${gi}unless Rails.env.test?`],
            ['keep', `${o.headerComment}\n${bi}# the real value\n${bi}${secret} # inline\n`],
            ['dropped', `${gi}else\n${bi}# the test value\n${bi}${setting} = nil\n${gi}end`],
          );
        }
        const guard = guardPieces(pieces);
        pieces.push(['keep', `${o.endComment}\n`]);
        if (o.wrapped) pieces.push(['keep', 'end\n']);
        pieces.push(['keep', o.after], ['keep', o.data]);
        if (!o.finalEol) trimFinalEol(pieces);
        return { pieces, guard, eol: o.eol, bom: o.bom };
      });
  });

// ---------------------------------------------------------------- TypeScript

const TS_SECRETS = ["settings.stripeSecretKey = readSecret('stripe_secret_key');", 'settings.sendgridApiKey = readSecret("sendgrid");'];

function tsItem(i: string, unit: string): fc.Arbitrary<Piece[]> {
  const line = (s: string): Piece[] => [['keep', `${i}${s}\n`]];
  return fc.oneof(
    fc.constantFrom('// a leading comment', '//', '/* one line */', '// eslint-disable-next-line no-console').map(line),
    fc.constant<Piece[]>([['keep', '\n']]),
    bodyLines.map((lines): Piece[] => [['keep', `${i}/* block\n${lines.map(([ind, t]) => ind + t.replace(/\*\//g, '')).join('\n')} */\n`]]),
    fc.tuple(fc.constantFrom(...TS_SECRETS), fc.option(fc.constantFrom(' // inline', ' /* inline */'), { nil: '' })).map(([s, c]) => line(s + c)),
    fc.constantFrom('settings.timeout = "5"; // seconds', 'settings.region = "eu"; /* fixed */').map(line),
    bodyLines.map((lines): Piece[] => [['keep', `${i}settings.banner = \`first\n${lines.map(([ind, t]) => ind + t.replace(/[`\\$]/g, '')).join('\n')} \${1 + 1}\`;\n`]]),
    bodyLines.map((lines): Piece[] => [['keep', `${i}settings.note = 'a \\\n${lines.map(([ind, t]) => ind + t.replace(/['\\]/g, '')).join(' \\\n')}';\n`]]),
    fc.constant<Piece[]>([['keep', `${i}if (settings.region) { // nested\n${i}${unit}settings.timeout = "9"; // inside\n${i}}\n`]]),
  );
}

const tsCase: fc.Arbitrary<Case> = fc
  .record({
    unit: indentArb,
    wrapped: fc.boolean(),
    header: fc.constantFrom("if (process.env.NODE_ENV === 'production') {", 'if (process.env.NODE_ENV !== "test") {', "if (process.env.NODE_ENV === 'production')"),
    headerComment: fc.option(fc.constantFrom(' // deployed only', ' /* deployed */'), { nil: '' }),
    endComment: fc.option(fc.constantFrom(' // production', ' /* end */'), { nil: '' }),
    eol: fc.constantFrom<Case['eol']>('\n', '\n', '\r\n', '\r'),
    bom: fc.boolean(),
    finalEol: fc.boolean(),
  })
  .chain((o) => {
    const gi = o.wrapped ? o.unit : '';
    const bi = gi + o.unit;
    const braces = o.header.endsWith('{');
    return fc
      .tuple(fc.array(tsItem(bi, o.unit), { maxLength: braces ? 5 : 0 }), fc.array(tsItem(bi, o.unit), { maxLength: braces ? 4 : 0 }), fc.constantFrom(...TS_SECRETS))
      .map(([lead, trail, secret]) => {
        const pieces: Piece[] = [
          ['keep', "import { readSecret } from './secrets';\n\nexport const settings: Record<string, string | undefined> = {};\n"],
        ];
        if (o.wrapped) pieces.push(['keep', 'export function configure(): void {\n']);
        pieces.push(['syntax', `${gi}${o.header}`], ['keep', `${braces ? o.headerComment : ''}\n`], ...lead.flat(), ['keep', `${bi}${secret}\n`], ...trail.flat());
        // Without braces the guard ends with its one statement.
        const guard: [number, number] = braces ? guardPieces(pieces) : [guardPieces(pieces)[0], pieces.length - 1];
        if (braces) pieces.push(['syntax', `${gi}}`], ['keep', `${o.endComment}\n`]);
        if (braces) guard[1] = pieces.length - 2;
        if (o.wrapped) pieces.push(['keep', '}\n']);
        if (!o.finalEol) trimFinalEol(pieces);
        return { pieces, guard, eol: o.eol, bom: o.bom };
      });
  });

/** From the first piece of guard syntax to the last one. */
function guardPieces(pieces: readonly Piece[]): [number, number] {
  const first = pieces.findIndex(([tag]) => tag !== 'keep');
  let last = pieces.length - 1;
  while (last > 0 && pieces[last]![0] === 'keep') last--;
  return [first, last];
}

function trimFinalEol(pieces: Piece[]): void {
  for (let k = pieces.length - 1; k >= 0; k--) {
    const [tag, t] = pieces[k]!;
    if (!t) continue;
    if (t.endsWith('\n')) pieces[k] = [tag, t.slice(0, -1)];
    return;
  }
}

// ---------------------------------------------------------------- checks

interface Built {
  text: string;
  /** Non-whitespace characters the fix may remove: the guard's syntax and the nil branch. */
  removable: string;
  /** Where they are: a string in the condition or a comment in the nil branch may go. */
  removed: { start: number; end: number }[];
  guard: { start: number; end: number };
}

function build(c: Case): Built {
  let text = '';
  let removable = '';
  const removed: Built['removed'] = [];
  let guardStart = -1;
  let guardEnd = -1;
  for (const [k, [tag, raw]] of c.pieces.entries()) {
    const t = raw.replace(/\n/g, c.eol);
    if (k === c.guard[0]) guardStart = text.length;
    if (k === c.guard[1]) guardEnd = text.length + t.replace(/[\r\n]+$/, '').length;
    if (tag !== 'keep') removable += t.replace(/\s+/g, '');
    if (tag !== 'keep') removed.push({ start: text.length, end: text.length + t.length });
    text += t;
  }
  return { text, removable, removed, guard: { start: guardStart, end: guardEnd } };
}

/** Comments and string literals, outermost only, in document order, and the syntax errors. */
function literals(lang: GrammarLanguage, text: string, skip: Built['removed'] = []): { literals: string[]; errors: number } {
  const tree = parseSync(lang, text);
  assert.ok(tree, 'parses');
  try {
    const out: string[] = [];
    const types = LITERALS[lang === 'ruby' ? 'ruby' : 'typescript'];
    const visit = (n: SyntaxNode): void => {
      if (types.has(n.type)) {
        if (!skip.some((d) => n.startIndex >= d.start && n.endIndex <= d.end)) out.push(n.text);
        return;
      }
      for (const child of n.children) if (child) visit(child);
    };
    visit(tree.rootNode);
    return { literals: out, errors: errorCount(tree) };
  } finally {
    tree.delete();
  }
}

function isSubsequence(needles: readonly string[], hay: readonly string[]): number {
  let at = 0;
  for (let k = 0; k < needles.length; k++) {
    while (at < hay.length && hay[at] !== needles[k]) at++;
    if (at === hay.length) return k;
    at++;
  }
  return -1;
}

const INSERTION: Record<'ruby' | 'typescript', RegExp> = {
  ruby: /^(?:ENV\[(["'])[A-Z0-9_]+\1\] \|\| \(?|\))$/,
  typescript: /^(?:process\.env\.[A-Z0-9_]+ \?\? \(?|\))$/,
};

function checkEdits(lang: 'ruby' | 'typescript', b: Built, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(b.text);
  // The `end` line goes with its line break; in `end # production` the space before the comment goes.
  const guardEnd = b.guard.end + (/^[ \t]*(?:\r\n|\r|\n)?/.exec(b.text.slice(b.guard.end))?.[0].length ?? 0);
  let removed = '';
  for (const e of edits) {
    const start = lines.offsetAt(e.range.start);
    const end = lines.offsetAt(e.range.end);
    assert.ok(start >= b.guard.start - lines.positionAt(b.guard.start).character && end <= guardEnd, `edit ${start}-${end} outside the guard ${b.guard.start}-${b.guard.end}`);
    const old = b.text.slice(start, end);
    if (e.newText) {
      assert.equal(old, '', `an edit replaces ${JSON.stringify(old)} with ${JSON.stringify(e.newText)}`);
      assert.match(e.newText, INSERTION[lang]);
    } else if (/^[ \t]+$/.test(old)) {
      // Indentation only: nothing but spaces and tabs before it on its line.
      assert.match(b.text.slice(start - e.range.start.character, start), /^[ \t]*$/, 'a whitespace deletion inside a line');
    } else {
      removed += old.replace(/\s+/g, '');
    }
  }
  assert.equal(removed, b.removable, 'the fix removes exactly the guard syntax (and the nil branch)');
  return applyEdits(b.text, edits);
}

interface Outcome {
  fixed?: string;
  bytes?: Buffer;
}

/** One workspace per language for the whole run: the files next to the generated one are read once. */
function cachedWorkspace(root: string): FileSystemWorkspace {
  const disk = new FileSystemWorkspace(root);
  const seen = new Map<string, string | null>();
  return new FileSystemWorkspace(root, (p) => {
    if (!seen.has(p)) seen.set(p, disk.readFile(p) ?? null);
    return seen.get(p);
  });
}

const ENV_FORK = RULES.filter((r) => r.meta.id === 'env-forked-nil-secret');

async function fixOnce(ws: FileSystemWorkspace, rel: string, lang: 'ruby' | 'typescript', c: Case, tsc: boolean): Promise<Outcome> {
  const b = build(c);
  // Through the bytes, as the CLI reads and writes: the BOM is stripped on read and restored on write.
  const decoded = decodeText(encodeText(b.text, c.bom));
  assert.equal(decoded.text, b.text);
  const grammar: GrammarLanguage = lang;
  const loneCr = c.eol === '\r';
  const path = join(ws.root, rel);
  ws.overlay.set(path, b.text);
  const result = await analyzeFile({ path, text: b.text }, ws, { rules: ENV_FORK });
  assert.deepEqual(result.errors, []);
  const finding = result.findings.find((f) => f.ruleId === 'env-forked-nil-secret');
  if (lang === 'ruby' && loneCr) {
    // Ruby sees one line (tree-sitter too, so usually no finding): never a multi-line fix.
    assert.equal(finding?.fixes[0], undefined, 'a lone-CR Ruby file gets no multi-line fix');
    return {};
  }
  const before = literals(grammar, b.text, b.removed);
  assert.equal(before.errors, 0, `generated input does not parse:\n${b.text}`);
  assert.ok(finding, `no finding in:\n${b.text}`);
  const fix = finding.fixes[0];
  assert.ok(fix, `no fix offered for:\n${JSON.stringify(b.text)}`);
  const own = fix.changes.find((ch) => ch.path === path);
  assert.ok(own?.kind === 'edit');
  const fixed = checkEdits(lang, b, own.edits);

  const after = literals(grammar, fixed);
  const lost = isSubsequence(before.literals, after.literals);
  assert.equal(lost, -1, `lost ${JSON.stringify(before.literals[lost])}:\n${fixed}`);
  assert.equal(after.errors, 0, `the fixed file does not parse:\n${fixed}`);
  if (tsc) {
    const out = ts.transpileModule(fixed, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
    assert.deepEqual(out.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')) ?? [], [], `tsc:\n${fixed}`);
  }
  const bytes = encodeText(fixed, c.bom);
  if (c.bom) assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(!fixed.includes('\ufeff'), 'no BOM inside the text');
  return { fixed, bytes };
}

/** Ruby's own parser (the one behind `ruby -c`) over many files in one process; returns those it rejects. */
function rubyRejects(files: readonly string[]): string[] {
  const script = 'ARGV.each { |f| begin; RubyVM::InstructionSequence.compile_file(f); rescue SyntaxError => e; puts "#{f}\\t#{e.message.lines.first}"; end }';
  const r = spawnSync('ruby', ['-e', script, ...files], { encoding: 'utf8', maxBuffer: 1 << 24 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

suite('issue 10: unwrapping a guard changes only the guard (property, cases 4 and 5)', () => {
  let root: string;
  suiteSetup(async () => {
    root = mkdtempSync(join(tmpdir(), 'initaudit-unwrap-'));
    writeFileSync(join(root, 'Gemfile'), 'source "https://rubygems.org"\ngem "lockbox"\n');
    writeFileSync(join(root, 'package.json'), '{ "name": "svc" }\n');
    mkdirSync(join(root, 'config', 'initializers'), { recursive: true });
    mkdirSync(join(root, 'src'));
    await loadLanguage('ruby');
    await loadLanguage('typescript');
    if (!hasRuby) process.stderr.write('  (ruby not installed: the Ruby parser checks of this suite are skipped)\n');
  });
  suiteTeardown(() => rmSync(root, { recursive: true, force: true }));

  test(`Ruby: ${RUNS} generated guards`, async function () {
    this.timeout(Math.max(600_000, RUNS * 200));
    const sample: { original: Buffer; fixed: Buffer }[] = [];
    let n = 0;
    let fixedCount = 0;
    const ws = cachedWorkspace(root);
    await fc.assert(
      fc.asyncProperty(rubyCase, async (c) => {
        const out = await fixOnce(ws, 'config/initializers/service.rb', 'ruby', c, false);
        if (!out.bytes) return;
        fixedCount++;
        if (n++ % RUBY_SAMPLE_EVERY === 0) sample.push({ original: encodeText(build(c).text, c.bom), fixed: out.bytes });
      }),
      { numRuns: RUNS, seed: SEED },
    );
    assert.ok(fixedCount >= RUNS / 2, `only ${fixedCount} cases were fixed`);
    if (!hasRuby) {
      if (process.env['CI']) assert.fail('ruby is not installed (.ci/run installs it)');
      return;
    }
    const dir = join(root, 'ruby-sample');
    mkdirSync(dir);
    const files = sample.flatMap((s, k) => {
      const a = join(dir, `${k}-before.rb`);
      const b = join(dir, `${k}-after.rb`);
      writeFileSync(a, s.original);
      writeFileSync(b, s.fixed);
      return [a, b];
    });
    assert.deepEqual(rubyRejects(files), []);
  });

  test(`TypeScript: ${RUNS} generated guards`, async function () {
    this.timeout(Math.max(600_000, RUNS * 200));
    const ws = cachedWorkspace(root);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(tsCase, async (c) => {
        await fixOnce(ws, 'src/config.ts', 'typescript', c, n++ % TSC_SAMPLE_EVERY === 0);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
