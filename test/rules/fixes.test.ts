// Fix tests as data: test/fixtures/fixes/<rule-id>/<case>/before is copied to a temp folder,
// every preferred fix is applied (one at a time, re-analysing, as `initaudit --fix` does), and the
// tree must equal <case>/after byte for byte. A second pass must change nothing, and every
// source file must parse without errors afterwards.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { loadPolicy } from '../../server/src/audit/policy';
import { fixFileInMemory } from '../../server/src/core/fix';
import { hasGrammar, languageOf, parse } from '../../server/src/core/parser';
import { RULES } from '../../server/src/core/rules';
import { FileSystemWorkspace } from '../../server/src/core/workspace';
import { FIXTURES } from '../support/paths';

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

function snapshot(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((p) => [relative(dir, p), readFileSync(p, 'latin1')]));
}

/**
 * Every rule, except that the round-trip spec fix (which writes a spec for each encrypted model)
 * runs only on its own trees: elsewhere it would add a spec file to every tree with a model.
 */
function rulesFor(ruleId: string): typeof RULES {
  return RULES.filter((r) => r.meta.id !== 'encrypted-attribute-untested' || ruleId === 'encrypted-attribute-untested');
}

/** Applies every preferred fix in the tree and writes the results; returns the changed files. */
async function fixAll(root: string, ruleId: string): Promise<string[]> {
  const ws = new FileSystemWorkspace(root);
  // With the tree's .initaudit.yml (or the defaults), as --fix runs: suppressed findings are not fixed.
  const { policy, configErrors } = loadPolicy(root);
  assert.deepEqual(configErrors, []);
  ws.settings = { secretBackend: policy.config.secretBackend };
  for (const path of listFiles(root)) {
    if (languageOf(path)) await fixFileInMemory(path, ws, { policy, rules: rulesFor(ruleId) });
  }
  const changed: string[] = [];
  for (const [path, text] of ws.overlay) {
    let before: string | undefined;
    try {
      before = readFileSync(path, 'utf8');
    } catch {
      before = undefined;
    }
    if (before === text) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    changed.push(relative(root, path));
  }
  return changed.sort();
}

let ruby: boolean | undefined;
/** Debian's ruby, installed by .ci/run; without it locally the `ruby -c` checks say so once and are skipped. */
function rubyAvailable(): boolean {
  if (ruby === undefined) {
    ruby = spawnSync('ruby', ['-v'], { encoding: 'utf8' }).status === 0;
    if (!ruby) process.stderr.write('  (ruby not installed: fixed Ruby files are not checked with ruby -c)\n');
  }
  return ruby;
}

suite('rule fixes', () => {
  const base = join(FIXTURES, 'fixes');
  for (const ruleId of readdirSync(base)) {
    suite(ruleId, () => {
      for (const name of readdirSync(join(base, ruleId)).sort()) {
        test(name, async () => {
          const work = mkdtempSync(join(tmpdir(), 'initaudit-fix-'));
          try {
            cpSync(join(base, ruleId, name, 'before'), work, { recursive: true });
            const changed = await fixAll(work, ruleId);
            assert.ok(changed.length > 0, 'the fix changed nothing');
            const expected = snapshot(join(base, ruleId, name, 'after'));
            const actual = snapshot(work);
            assert.deepEqual([...actual.keys()], [...expected.keys()], 'the same files exist after the fix');
            for (const [file, text] of expected) assert.equal(actual.get(file), text, `${file} after the fix`);
            assert.deepEqual(await fixAll(work, ruleId), [], 'a second --fix changes nothing');
            for (const file of actual.keys()) {
              const lang = languageOf(file);
              if (!lang || !hasGrammar(lang)) continue;
              const tree = await parse(lang, actual.get(file)!);
              assert.ok(tree && !tree.rootNode.hasError, `${file} still parses`);
              tree?.delete();
              // Ruby itself is the judge of every Ruby file a fix wrote (BOMs, line endings, heredocs).
              if (lang === 'ruby' && changed.includes(file) && rubyAvailable()) {
                const r = spawnSync('ruby', ['-c', join(work, file)], { encoding: 'utf8', timeout: 60_000 });
                assert.equal(r.status, 0, `ruby -c ${file}: ${r.stderr}`);
              }
            }
          } finally {
            rmSync(work, { recursive: true, force: true });
          }
        });
      }
    });
  }
});
