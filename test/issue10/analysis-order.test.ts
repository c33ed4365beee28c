// Results never depend on the order files are analysed in (issue 10, case 13): every rule
// fixture is analysed in several shuffled orders, in this process and through the CLI, and each
// order must give the annotated findings.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { analyzeFile } from '../../server/src/core/engine';
import { languageOf } from '../../server/src/core/parser';
import { baseFromFolder } from '../support/change';
import { fixtureWorkspace } from '../support/fixture-workspace';
import { readExpectations } from '../support/annotations';
import { FIXTURES } from '../support/paths';
import { removeWorkspaces, runJson, workspace } from '../cli/helpers';

interface Fixture {
  path: string;
  /** The workspace root: the rule folder, or the app folder inside it. */
  root: string;
  ruleId: string;
  /** A change fixture's `base/` folder (its `head/` is the root), as test/rules/fixtures.test.ts reads it. */
  base?: string;
}

/** As the fixture test reads them: a folder inside a rule's folder is a workspace of its own. */
function fixtures(): Fixture[] {
  const base = join(FIXTURES, 'rules');
  const filesUnder = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((name) => {
        const p = join(dir, name);
        return statSync(p).isDirectory() ? filesUnder(p) : languageOf(p) ? [p] : [];
      });
  return readdirSync(base)
    .sort()
    .flatMap((ruleId) =>
      readdirSync(join(base, ruleId))
        .sort()
        .flatMap((name) => {
          const p = join(base, ruleId, name);
          if (statSync(p).isDirectory() && existsSync(join(p, 'head'))) {
            const head = join(p, 'head');
            const before = existsSync(join(p, 'base')) ? { base: join(p, 'base') } : {};
            return filesUnder(head).map((path) => ({ path, root: head, ruleId, ...before }));
          }
          if (statSync(p).isDirectory()) return filesUnder(p).map((path) => ({ path, root: p, ruleId }));
          return languageOf(p) ? [{ path: p, root: join(base, ruleId), ruleId }] : [];
        }),
    );
}

/** A deterministic shuffle (mulberry32), so a failing order can be replayed from its seed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const TRIGGER = 'export const stripeKey = process.env.NODE_ENV === "test" ? undefined : secrets.get("stripe");\n';

suite('issue 10: results do not depend on the analysis order', () => {
  suiteTeardown(removeWorkspaces);

  test('every fixture, in six shuffled orders, gives its annotated findings', async function () {
    this.timeout(120_000);
    const all = fixtures();
    assert.ok(all.some((f) => f.path.endsWith('.tsx')) && all.some((f) => f.path.endsWith('.js')) && all.some((f) => f.path.endsWith('.ts')));
    let reference: Map<string, string> | undefined;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const seen = new Map<string, string>();
      for (const f of shuffled(all, seed)) {
        const text = readFileSync(f.path, 'utf8');
        const ws = fixtureWorkspace(f.root);
        if (f.base) ws.base = baseFromFolder(f.base, f.root);
        const result = await analyzeFile({ path: f.path, text }, ws);
        const name = relative(FIXTURES, f.path).split(sep).join('/');
        const lines = result.findings.filter((x) => x.ruleId === f.ruleId).map((x) => x.range.start.line);
        const expected = readExpectations(text).filter((e) => e.ruleId === f.ruleId).map((e) => e.line);
        assert.deepEqual(lines, expected, `order seed ${seed}: ${name}`);
        seen.set(name, JSON.stringify(result.findings.map((x) => [x.ruleId, x.range, x.message])));
      }
      if (reference) assert.deepEqual(seen, reference, `order seed ${seed} differs from seed 1`);
      reference = seen;
    }
  });

  test('the CLI finds the fork in .ts, .tsx and .js files whatever the order of the paths', function () {
    this.timeout(60_000);
    const root = workspace({ 'a.ts': TRIGGER, 'b.tsx': TRIGGER, 'c.js': TRIGGER, 'd.mts': TRIGGER, 'e.jsx': TRIGGER });
    for (const order of [['a.ts', 'b.tsx', 'c.js', 'd.mts', 'e.jsx'], ['e.jsx', 'c.js', 'b.tsx', 'a.ts', 'd.mts'], ['.']]) {
      const { report } = runJson(['--fail-on', 'never', ...order], root);
      const paths = report.findings.filter((f) => f.ruleId === 'env-forked-nil-secret').map((f) => f.path).sort();
      assert.deepEqual(paths, ['a.ts', 'b.tsx', 'c.js', 'd.mts', 'e.jsx'], `paths ${order.join(' ')}`);
    }
  });
});
