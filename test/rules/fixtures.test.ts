// Rule tests as data: every file under test/fixtures/rules/<rule-id>/ is audited and its findings
// must be exactly the lines annotated `expect:` (with severity and a part of what the user reads, the
// message or the hover's details, when given).
// A folder there is a whole workspace (a Rails app): each of its files is checked the same way,
// with the folder as the workspace root, so rules that read other files see them. A folder with
// `head/` (and optionally `base/`) is a change: `head/` is the workspace, `base/` the files at the
// base of the change (core/change.ts), as `--since` reads them from git.

import { onParser } from '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzeFile } from '../../server/src/core/engine';
import { languageOf } from '../../server/src/core/parser';
import { RULES } from '../../server/src/core/rules';
import { readExpectations } from '../support/annotations';
import { fixtureWorkspace } from '../support/fixture-workspace';
import { baseFromFolder } from '../support/change';
import { FIXTURES } from '../support/paths';

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? filesUnder(p) : languageOf(p) ? [p] : [];
    });
}

async function checkFile(ruleId: string, path: string, root: string, base?: string): Promise<void> {
  const text = readFileSync(path, 'utf8');
  const workspace = fixtureWorkspace(root);
  if (base) workspace.base = baseFromFolder(base, root);
  const result = await analyzeFile({ path, text }, workspace);
  assert.deepEqual(result.errors, []);
  const expected = readExpectations(text).filter((e) => e.ruleId === ruleId);
  const actual = result.findings.filter((f) => f.ruleId === ruleId);
  const show = (lines: number[]) => lines.map((l) => l + 1).join(', ');
  const name = relative(root, path);
  assert.equal(
    show(actual.map((f) => f.range.start.line)),
    show(expected.map((e) => e.line)),
    `finding lines (1-based) differ in ${name}:\n${actual.map((f) => `  ${f.range.start.line + 1}: ${f.message}`).join('\n')}`,
  );
  for (const e of expected) {
    const matching = actual.filter((x) => x.range.start.line === e.line);
    const f = matching.find((x) => (!e.severity || x.severity === e.severity) && (!e.messagePart || x.message.includes(e.messagePart) || (x.details ?? '').includes(e.messagePart)));
    assert.ok(f, `${name}:${e.line + 1}: no finding with severity ${e.severity ?? 'any'} and "${e.messagePart ?? ''}" among:\n${matching.map((x) => `  ${x.severity} ${x.message}`).join('\n')}`);
    assert.equal(f.path, path);
  }
}

// The whole suite once per parser binding: the CLI parses natively, the editor with WebAssembly.
for (const parser of ['native', 'wasm'] as const) suite(`rule fixtures (${parser})`, () => {
  onParser(parser);
  for (const rule of RULES) {
    const dir = join(FIXTURES, 'rules', rule.meta.id);
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      continue;
    }
    suite(rule.meta.id, () => {
      for (const name of entries) {
        const path = join(dir, name);
        if (statSync(path).isDirectory() && existsSync(join(path, 'head'))) {
          const head = join(path, 'head');
          const base = existsSync(join(path, 'base')) ? join(path, 'base') : undefined;
          for (const file of filesUnder(head)) test(`${name}/${relative(path, file)}`, () => checkFile(rule.meta.id, file, head, base));
        } else if (statSync(path).isDirectory()) {
          for (const file of filesUnder(path)) test(`${name}/${relative(path, file)}`, () => checkFile(rule.meta.id, file, path));
        } else {
          test(name, () => checkFile(rule.meta.id, path, dir));
        }
      }
    });
  }

  test('every rule has fixtures and a docs page', () => {
    for (const rule of RULES) {
      assert.ok(filesUnder(join(FIXTURES, 'rules', rule.meta.id)).length > 0, `${rule.meta.id} has fixtures`);
      assert.ok(statSync(join(FIXTURES, '..', '..', 'docs', 'rules', `${rule.meta.id}.md`)).isFile(), `docs/rules/${rule.meta.id}.md exists`);
      assert.ok(rule.meta.docsUrl.endsWith(`docs/rules/${rule.meta.id}.md`));
    }
  });
});
