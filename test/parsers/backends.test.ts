// Both adapters of the parser port give the same results: every fixture file (with its workspace
// root, as the fixture suite audits it) and the examples, findings with their messages, details,
// related locations, fixes and notes, compared between the native binding and WebAssembly; and the
// CLI's JSON report on examples/ and the fixture tree, once with INITAUDIT_PARSER=native and once =wasm.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyzeFile } from '../../server/src/core/engine';
import { languageOf, parserBackend, setParserBackend } from '../../server/src/core/parser';
import { useParser } from '../../server/src/parsers/select';
import { fixtureWorkspace } from '../support/fixture-workspace';
import { FIXTURES, repoRoot } from '../support/paths';
import { runCli } from '../cli/helpers';

const EXAMPLES = join(repoRoot(), 'examples');

/** Files with a language, and the workspace root each is audited in: a fixture folder is one workspace, a loose fixture file its rule's folder. */
function corpus(): { path: string; root: string }[] {
  const out: { path: string; root: string }[] = [];
  const walk = (dir: string, root: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p, root);
      else if (languageOf(p)) out.push({ path: p, root });
    }
  };
  for (const kind of ['rules', 'fixes']) {
    const base = join(FIXTURES, kind);
    for (const rule of readdirSync(base).sort()) {
      const dir = join(base, rule);
      for (const name of readdirSync(dir).sort()) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p, p);
        else if (languageOf(p)) out.push({ path: p, root: dir });
      }
    }
  }
  for (const app of readdirSync(EXAMPLES).sort()) if (statSync(join(EXAMPLES, app)).isDirectory()) walk(join(EXAMPLES, app), join(EXAMPLES, app));
  return out;
}

async function resultsOn(parser: 'native' | 'wasm', files: { path: string; root: string }[]): Promise<string[]> {
  const previous = parserBackend();
  assert.equal(useParser(parser), parser, `the ${parser} binding loads on this platform`);
  try {
    const out: string[] = [];
    for (const { path, root } of files) {
      const result = await analyzeFile({ path, text: readFileSync(path, 'utf8') }, fixtureWorkspace(root));
      out.push(JSON.stringify({ file: relative(repoRoot(), path), ...result }));
    }
    return out;
  } finally {
    setParserBackend(previous);
  }
}

suite('parser bindings: native and wasm agree', () => {
  test('on every fixture file and every example, findings, fixes and notes are identical', async () => {
    const files = corpus();
    assert.ok(files.length > 300, `${files.length} files`);
    const native = await resultsOn('native', files);
    const wasm = await resultsOn('wasm', files);
    const findings = native.reduce((n, r) => n + (JSON.parse(r) as { findings: unknown[] }).findings.length, 0);
    assert.ok(findings > 300, `${findings} findings compared`);
    for (let i = 0; i < files.length; i++) assert.equal(native[i], wasm[i], `results differ for ${files[i]!.path}`);
  });

  for (const [name, dir] of [
    ['examples/', EXAMPLES],
    ['test/fixtures/rules/', join(FIXTURES, 'rules')],
  ] as const) {
    test(`the CLI's JSON report on ${name} is the same with INITAUDIT_PARSER=native and =wasm`, () => {
      const run = (parser: string) => runCli(['--format', 'json', '--fail-on', 'never', dir], { cwd: repoRoot(), env: { INITAUDIT_PARSER: parser } });
      const native = run('native');
      const wasm = run('wasm');
      assert.equal(native.stderr, '');
      assert.equal(wasm.stderr, '');
      assert.equal(native.code, 0);
      assert.ok((JSON.parse(native.stdout) as { findings: unknown[] }).findings.length > 5);
      assert.equal(native.stdout, wasm.stdout);
    });
  }

  test('where the native binding cannot load, the CLI says so once on stderr and parses with wasm, with the same report', () => {
    // The bundles alone, with no node_modules above them: as on a platform without a prebuild.
    const dir = mkdtempSync(join(tmpdir(), 'initaudit-nonative-'));
    try {
      mkdirSync(join(dir, 'server', 'out'), { recursive: true });
      copyFileSync(join(repoRoot(), 'package.json'), join(dir, 'package.json'));
      for (const f of ['cli.js', 'audit-worker.js']) copyFileSync(join(repoRoot(), 'server', 'out', f), join(dir, 'server', 'out', f));
      const env = { INITAUDIT_GRAMMARS: join(repoRoot(), 'grammars') };
      const args = (cli: string) => [cli, '--format', 'json', '--fail-on', 'never', EXAMPLES];
      const spawn = (cli: string, extra: Record<string, string>) =>
        spawnSync(process.execPath, args(cli), { cwd: repoRoot(), env: { ...process.env, ...env, ...extra }, encoding: 'utf8', timeout: 120_000 });
      const fallback = spawn(join(dir, 'server', 'out', 'cli.js'), { INITAUDIT_WORKERS: '2' });
      const lines = fallback.stderr.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, fallback.stderr);
      assert.match(lines[0]!, /native tree-sitter binding could not be loaded .*WebAssembly/);
      assert.equal(fallback.status, 0);
      const wasm = spawn(join(repoRoot(), 'server', 'out', 'cli.js'), { INITAUDIT_PARSER: 'wasm' });
      assert.equal(fallback.stdout, wasm.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
