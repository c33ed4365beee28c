// Nothing is read or written outside the audited root (issue 10, cases 7 and 8): the CLI runs
// in-process on a tree full of links out of the root while every path-taking `fs` call is
// recorded. Paths outside the root may only be the tool's own files (loaded before recording
// starts anyway) and the `.git` probes that find the enclosing work tree.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { main } from '../../server/src/cli/main';
import { loadLanguage } from '../../server/src/core/parser';
import { removeWorkspaces, snapshot, workspace } from '../cli/helpers';

const LOCKBOX = 'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n';
const GEMFILE = 'source "https://rubygems.org"\ngem "rails"\ngem "lockbox"\ngem "blind_index"\n';
const TS_FORK = 'export const stripeKey = process.env.NODE_ENV === "test" ? undefined : secrets.get("stripe");\n';

/** fs functions that take a path first; fd-based calls (readSync, writeSync) follow an openSync recorded here. */
const PATH_CALLS = [
  'openSync', 'readFileSync', 'readdirSync', 'opendirSync', 'statSync', 'lstatSync', 'existsSync', 'accessSync', 'realpathSync',
  'writeFileSync', 'appendFileSync', 'mkdirSync', 'rmSync', 'unlinkSync', 'renameSync', 'copyFileSync', 'symlinkSync', 'readlinkSync',
] as const;
const METADATA = new Set(['statSync', 'lstatSync', 'existsSync', 'accessSync']);

type Call = { call: string; path: string };

/** Runs `fn` with every path-taking fs call (and realpathSync.native) recorded. */
async function recording<T>(fn: () => Promise<T>): Promise<{ value: T; calls: Call[] }> {
  const calls: Call[] = [];
  const target = fs as unknown as Record<string, unknown>;
  const originals = new Map<string, unknown>();
  const wrap = (name: string, original: (...args: unknown[]) => unknown): ((...args: unknown[]) => unknown) =>
    function (this: unknown, ...args: unknown[]) {
      if (typeof args[0] === 'string' || args[0] instanceof URL || Buffer.isBuffer(args[0])) calls.push({ call: name, path: resolve(String(args[0])) });
      return original.apply(this, args);
    };
  for (const name of PATH_CALLS) {
    const original = target[name] as (...args: unknown[]) => unknown;
    originals.set(name, original);
    const wrapped = wrap(name, original);
    if (name === 'realpathSync') Object.assign(wrapped, { native: wrap('realpathSync.native', fs.realpathSync.native as (...args: unknown[]) => unknown) });
    target[name] = wrapped;
  }
  try {
    return { value: await fn(), calls };
  } finally {
    for (const [name, original] of originals) target[name] = original;
  }
}

/** Runs the CLI in-process with stdout and stderr captured. */
async function cli(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  let out = '';
  const write = (chunk: string | Uint8Array): boolean => {
    out += String(chunk);
    return true;
  };
  const saved = [process.stdout.write, process.stderr.write];
  const savedWorkers = process.env['INITAUDIT_WORKERS'];
  process.env['INITAUDIT_WORKERS'] = '0';
  process.stdout.write = write as typeof process.stdout.write;
  process.stderr.write = write as typeof process.stderr.write;
  try {
    return { code: await main(args, cwd), out };
  } finally {
    [process.stdout.write, process.stderr.write] = saved as [typeof process.stdout.write, typeof process.stderr.write];
    if (savedWorkers === undefined) delete process.env['INITAUDIT_WORKERS'];
    else process.env['INITAUDIT_WORKERS'] = savedWorkers;
  }
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** `.git` probes in the root's ancestors: how the enclosing work tree (and its .gitignore) is found. */
function workTreeProbe(root: string, c: Call): boolean {
  return METADATA.has(c.call) && c.path.endsWith(`${sep}.git`) && inside(dirname(c.path), root);
}

suite('issue 10: nothing is read or written outside the root', () => {
  let outside: string;
  suiteSetup(async function () {
    if (process.platform === 'win32') this.skip();
    outside = realpathSync(mkdtempSync(join(tmpdir(), 'initaudit-outside-')));
    for (const lang of ['ruby', 'typescript', 'tsx'] as const) await loadLanguage(lang);
  });
  suiteTeardown(() => {
    removeWorkspaces();
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  test('audit, --fix and --write-baseline on a tree of links out of the root touch only the root', async function () {
    this.timeout(60_000);
    mkdirSync(join(outside, 'models'));
    writeFileSync(join(outside, 'models', 'user.rb'), 'class User\n  blind_index :email\nend\n');
    writeFileSync(join(outside, 'test.rb'), '# outside\n');
    writeFileSync(join(outside, 'Gemfile.lock'), 'GEM\n  specs:\n    lockbox (1.3.0)\n');
    writeFileSync(join(outside, 'baseline.json'), '{"version": 1, "tool": "initaudit", "findings": []}\n');
    writeFileSync(join(outside, '.gitignore'), '*.rb\n');
    const root = workspace({
      Gemfile: GEMFILE,
      'config/initializers/lockbox.rb': LOCKBOX,
      'web/package.json': '{"name": "web"}\n',
      'web/vitest.config.ts': "export default { test: { setupFiles: ['../../outside-setup.ts'] } };\n",
      'web/src/config.ts': TS_FORK,
      '.initaudit.yml': `baseline: ${join(outside, 'baseline.json')}\n`,
    });
    mkdirSync(join(root, 'app'));
    symlinkSync(join(outside, 'models'), join(root, 'app', 'models'));
    mkdirSync(join(root, 'config', 'environments'));
    symlinkSync(join(outside, 'test.rb'), join(root, 'config', 'environments', 'test.rb'));
    symlinkSync(join(outside, 'Gemfile.lock'), join(root, 'Gemfile.lock'));
    symlinkSync(join(outside, '.gitignore'), join(root, '.gitignore'));
    symlinkSync(join(outside, 'absent.rb'), join(root, 'config', 'initializers', 'dangling.rb'));
    symlinkSync(outside, join(root, 'linked'));
    const before = snapshot(outside);
    // The tool's own manifest is read (and cached) on first use: before recording.
    await cli(['--version'], root);

    const { value, calls } = await recording(async () => {
      const audited = await cli(['.'], root);
      const fixed = await cli(['--fix', '.'], root);
      const baseline = await cli(['--write-baseline', '.'], root);
      return { audited, fixed, baseline };
    });

    // The config's baseline outside the root is refused, and said.
    assert.equal(value.audited.code, 2, value.audited.out);
    assert.match(value.audited.out, /baseline\.json: cannot read the baseline: outside the audited root/);
    assert.equal(value.baseline.code, 2, value.baseline.out);
    assert.match(value.baseline.out, /cannot write the baseline to .*baseline\.json: outside the audited root/);
    assert.deepEqual(snapshot(outside), before, 'nothing outside the root changed');

    const stray = calls.filter((c) => !inside(root, c.path) && !workTreeProbe(root, c));
    assert.deepEqual(stray, [], 'fs calls outside the root');
    // The recording saw the work: the root was listed and written to.
    assert.ok(calls.some((c) => c.call === 'readdirSync' && c.path === root));
    assert.ok(calls.some((c) => c.call === 'openSync' && c.path === join(root, 'config', 'initializers', 'lockbox.rb')));
  });

  test('without the outside baseline, --fix edits inside the root and still leaves the outside alone', async function () {
    this.timeout(60_000);
    writeFileSync(join(outside, 'test.rb'), '# outside\n');
    const root = workspace({ Gemfile: GEMFILE, 'config/initializers/lockbox.rb': LOCKBOX, 'src/config.ts': TS_FORK });
    mkdirSync(join(root, 'config', 'environments'));
    symlinkSync(join(outside, 'test.rb'), join(root, 'config', 'environments', 'test.rb'));
    const before = snapshot(outside);
    const { value, calls } = await recording(() => cli(['--fix', '.'], root));
    assert.equal(value.code, 1, value.out);
    assert.match(value.out, /src\/config\.ts: fixed/);
    assert.deepEqual(snapshot(outside), before);
    const stray = calls.filter((c) => !inside(root, c.path) && !workTreeProbe(root, c));
    assert.deepEqual(stray, []);
  });
});
