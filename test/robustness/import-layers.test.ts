// The layers stay layered: no import cycle anywhere in server/src or client/src (type-only imports
// included, since a cycle of types is still two modules that cannot be read apart), and the report
// layer is the only thing the CLI and the language server share for output.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from '../support/paths';
import { specifiers } from './engine-imports.test';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function localImports(file: string): string[] {
  return specifiers(readFileSync(file, 'utf8')).flatMap((spec) => {
    if (!spec.startsWith('.')) return [];
    const base = resolve(dirname(file), spec);
    const hit = [`${base}.ts`, join(base, 'index.ts')].find((c) => existsSync(c));
    return hit ? [hit] : [];
  });
}

/** Strongly connected components with more than one module (Tarjan). */
export function importCycles(files: readonly string[], edges: (file: string) => string[]): string[][] {
  const graph = new Map(files.map((f) => [f, edges(f)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) cycles.push(scc.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}

suite('robustness: import layers', () => {
  const root = repoRoot();

  for (const pkg of ['server', 'client']) {
    test(`${pkg}/src has no import cycle`, () => {
      const files = tsFiles(join(root, pkg, 'src'));
      const cycles = importCycles(files, localImports).map((c) => c.map((f) => relative(root, f)).join(' <-> '));
      assert.deepEqual(cycles, []);
    });
  }

  test('the language server and the audit layer import nothing from the CLI', () => {
    const cli = join(root, 'server', 'src', 'cli');
    const offenders = ['lsp', 'audit', 'report', 'core', 'files'].flatMap((dir) =>
      tsFiles(join(root, 'server', 'src', dir)).flatMap((f) => localImports(f).filter((i) => i.startsWith(cli)).map((i) => `${relative(root, f)} imports ${relative(root, i)}`)),
    );
    assert.deepEqual(offenders, []);
  });

  test('the cycle finder finds a cycle of two modules', () => {
    const edges: Record<string, string[]> = { a: ['b'], b: ['a', 'c'], c: [] };
    assert.deepEqual(importCycles(Object.keys(edges), (f) => edges[f] ?? []), [['a', 'b']]);
  });
});
