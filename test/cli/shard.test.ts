// --shard i/n: the n shards of an audit report, together, exactly what the unsharded audit reports,
// however cross-file facts (a Rails app's model, the modules a lock's handle comes from, the
// credentials files and their history) fall across shards; and each shard's SARIF stands alone.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { audit, type AuditResult } from '../../server/src/audit/run';
import { loadPolicy } from '../../server/src/audit/policy';
import { inShard, parseShard } from '../../server/src/audit/shard';
import { resolveTargets } from '../../server/src/cli/targets';
import { FileAccess } from '../../server/src/core/file-access';
import type { FileHistory } from '../../server/src/core/types';
import { SourceCache } from '../../server/src/files/source-cache';
import { FIXTURES, repoRoot } from '../support/paths';
import { runCli } from './helpers';

const EXAMPLES = join(repoRoot(), 'examples');

/**
 * Every workspace the fixture suite audits, as it audits it: a folder under a rule's fixtures with
 * its files, a rule's folder with its loose files only (its subfolders are workspaces of their own),
 * and the example apps.
 */
function workspaces(): { dir: string; paths: string[] }[] {
  const out: { dir: string; paths: string[] }[] = [];
  const rules = join(FIXTURES, 'rules');
  for (const rule of readdirSync(rules).sort()) {
    const dir = join(rules, rule);
    const names = readdirSync(dir).sort();
    const loose = names.filter((n) => !statSync(join(dir, n)).isDirectory()).map((n) => join(dir, n));
    if (loose.length > 0) out.push({ dir, paths: loose });
    for (const name of names) if (statSync(join(dir, name)).isDirectory()) out.push({ dir: join(dir, name), paths: [join(dir, name)] });
  }
  for (const app of readdirSync(EXAMPLES).sort()) if (statSync(join(EXAMPLES, app)).isDirectory()) out.push({ dir: join(EXAMPLES, app), paths: [join(EXAMPLES, app)] });
  return out;
}

/** What version control knows, as fixture folders record it (history.json). */
function historyOf(root: string): FileHistory | undefined {
  const file = join(root, 'history.json');
  if (!existsSync(file)) return undefined;
  const h = JSON.parse(readFileSync(file, 'utf8')) as { deleted?: string[]; committed?: string[] };
  return { deleted: (h.deleted ?? []).map((p) => join(root, p)), ...(h.committed ? { committed: h.committed.map((p) => join(root, p)) } : {}) };
}

async function auditOf({ dir, paths }: { dir: string; paths: string[] }, shard?: { index: number; count: number }): Promise<AuditResult> {
  const targets = resolveTargets(paths, dir);
  const cache = new SourceCache(new FileAccess([targets.root], targets.targets.filter((t) => t.kind === 'file').map((t) => t.path)));
  const history = historyOf(dir);
  return audit(targets, cache, { workers: 0, policy: loadPolicy(targets.root).policy, ...(history ? { history } : {}), ...(shard ? { shard } : {}) });
}

/** One line per finding (everything a report shows of it) and per skipped file, sorted. */
function lines(result: AuditResult): string[] {
  return [
    ...result.findings.map((f) => JSON.stringify({ ...f, fixes: f.fixes.map((x) => ({ ...x })) })),
    ...result.skipped.map((s) => `skipped ${JSON.stringify(s)}`),
    ...result.errors.map((e) => `error ${JSON.stringify(e)}`),
    ...result.files.map((p) => `file ${p}`),
  ].sort();
}

suite('cli: --shard', () => {
  test('i/n is parsed strictly', () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    assert.deepEqual(parseShard('1/1'), { index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '1/0', '1', '1/2/3', '-1/2', 'a/b', '']) assert.equal(parseShard(bad), undefined, bad);
  });

  test('every file belongs to exactly one shard, the same on every run', () => {
    const root = '/w';
    for (const p of ['/w/app/models/user.rb', '/w/Gemfile', '/w/src/db.ts', '/w/config/initializers/lockbox.rb']) {
      for (const n of [1, 2, 3, 7]) {
        const owners = Array.from({ length: n }, (_, i) => i + 1).filter((i) => inShard(root, p, { index: i, count: n }));
        assert.equal(owners.length, 1, `${p} in ${n} shards`);
      }
    }
  });

  test('on every fixture workspace and example app, the union of 3 shards (and of 2) is the unsharded audit', async () => {
    let compared = 0;
    for (const ws of workspaces()) {
      const whole = lines(await auditOf(ws));
      for (const n of [2, 3]) {
        const parts: string[] = [];
        for (let i = 1; i <= n; i++) parts.push(...lines(await auditOf(ws, { index: i, count: n })));
        assert.deepEqual(parts.sort(), whole, `${ws.dir}, ${n} shards`);
      }
      compared += whole.filter((l) => l.startsWith('{')).length;
    }
    assert.ok(compared > 200, `${compared} findings compared`);
  });

  test('each shard of the CLI writes a complete SARIF log, and the shards together hold the unsharded results', () => {
    const sarif = (args: string[]) => {
      const run = runCli(['--format', 'sarif', '--fail-on', 'never', ...args, EXAMPLES], { cwd: repoRoot() });
      assert.equal(run.code, 0, run.stderr);
      return (JSON.parse(run.stdout) as { runs: { tool: { driver: { name: string; version: string; rules: { id: string }[] } }; automationDetails?: { id: string }; results: unknown[] }[] }).runs[0]!;
    };
    const whole = sarif([]);
    assert.equal(whole.automationDetails, undefined);
    const shards = [1, 2, 3].map((i) => sarif(['--shard', `${i}/3`]));
    for (const [i, s] of shards.entries()) {
      assert.equal(s.tool.driver.name, 'initaudit');
      assert.equal(s.tool.driver.version, whole.tool.driver.version);
      assert.deepEqual(s.tool.driver.rules, whole.tool.driver.rules, 'every rule described, whatever the shard reports');
      assert.equal(s.automationDetails?.id, `initaudit/shard-${i + 1}-of-3/`);
    }
    const key = (r: unknown) => JSON.stringify(r);
    assert.deepEqual(shards.flatMap((s) => s.results.map(key)).sort(), whole.results.map(key).sort());
    assert.ok(shards.filter((s) => s.results.length > 0).length >= 2, 'the examples spread over shards');
  });

  test('a malformed --shard, or one combined with --fix, is bad usage', () => {
    for (const args of [['--shard', '3/2'], ['--shard', 'x'], ['--shard', '1/2', '--fix'], ['--shard', '1/2', '--write-baseline']]) {
      const run = runCli([...args, EXAMPLES], { cwd: repoRoot() });
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, /--shard/);
    }
  });
});
