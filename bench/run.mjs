// `npm run bench`: the four figures of the benchmark, written to bench/results.md and printed.
//   1. audit throughput on a synthetic corpus: initaudit CLI vs ast-grep (bench/peers) vs `cat` (the I/O floor)
//   2. edit latency: didChange → publishDiagnostics in the language server, over real JSON-RPC
//   3. memory: peak RSS of the audit; the language server's RSS after a workspace audit
//   4. start-up: server process start → first diagnostics
//
//   node bench/run.mjs [--files 50000] [--runs 3] [--edits 200] [--no-peers] [--latency-only] [--storm-only] [--startup-only]

import { performance } from 'node:perf_hooks';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout } from 'node:timers';
import { GENERATOR_HASH, generate } from './generate.mjs';
import { BenchServer } from './lsp-client.mjs';
import { bigRubyInitializer, bigTsJob } from './edit-targets.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'server', 'out', 'cli.js');
const SERVER = join(ROOT, 'server', 'out', 'server.js');
const RSS_HOOK = join(ROOT, 'bench', 'report-rss.cjs');
const AST_GREP = join(ROOT, 'node_modules', '.bin', 'ast-grep');
const PEERS = join(ROOT, 'bench', 'peers');

const { values: args } = parseArgs({
  options: {
    files: { type: 'string', default: '50000' },
    // `--storm-only`: just the edit storm, printed, results.md untouched.
    'storm-only': { type: 'boolean', default: false },
    // `--startup-only`: just the language server's start-up, printed, results.md untouched.
    'startup-only': { type: 'boolean', default: false },
    // `--latency-only`: just the edit latency (with the server's own split of each analysis), printed, results.md untouched.
    'latency-only': { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    edits: { type: 'string', default: '200' },
    'no-peers': { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'bench', 'results.md') },
  },
});
const FILES = Number(args.files);
const RUNS = Math.max(1, Number(args.runs));
const EDITS = Number(args.edits);

const TARGETS = { astGrepRatio: 0.5, ioFloorRatio: 3, editP95Ms: 10, rssMb: 200, startupMs: 300, stormMs: 2000 };
const OURS = 'initaudit (native)';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const log = (s) => process.stderr.write(`bench: ${s}\n`);

function machine() {
  const cpu = cpus()[0]?.model?.trim() ?? 'unknown';
  let astGrep = 'not installed';
  try {
    astGrep = execFileSync(AST_GREP, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // reported as not installed
  }
  return {
    cores: availableParallelism(),
    cpu,
    memoryGb: (totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    os: `${process.platform} ${process.arch}`,
    load: loadavg().map((l) => l.toFixed(2)).join(' '),
    astGrep,
  };
}

function ensureCorpus(files) {
  const dir = join(ROOT, 'bench', 'corpus', String(files));
  const manifest = join(dir, '.manifest.json');
  if (existsSync(manifest)) {
    const made = JSON.parse(readFileSync(manifest, 'utf8'));
    if (made.generator === GENERATOR_HASH && made.seed === 1) return { dir, ...made };
  }
  log(`generating a ${files}-file corpus in ${dir}`);
  return { dir, ...generate({ files, out: dir, seed: 1 }) };
}

/** Runs a command to completion; wall time in ms, and peak RSS when `rss` (node processes only). */
function timed(file, argv, { cwd, env = {}, rss = false } = {}) {
  const rssFile = rss ? join(tmpdir(), `initaudit-bench-rss-${process.pid}`) : undefined;
  const fullEnv = { ...process.env, ...env, ...(rss ? { BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `--require ${RSS_HOOK}` } : {}) };
  return new Promise((resolveRun, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, { cwd, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      let peakKb;
      if (rssFile && existsSync(rssFile)) {
        peakKb = Number(readFileSync(rssFile, 'utf8'));
        rmSync(rssFile, { force: true });
      }
      resolveRun({ ms, code, stdout, stderr, peakKb });
    });
  });
}

async function registeredRules() {
  const empty = mkdtempSync(join(tmpdir(), 'initaudit-bench-empty-'));
  try {
    const r = await timed(process.execPath, [CLI, '--format', 'sarif', empty]);
    return JSON.parse(r.stdout).runs[0].tool.driver.rules.map((rule) => rule.id);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}

/** Peer rules for the registered rules: bench/peers/rules/<rule-id>[-suffix].yml. */
function peerFilter(ruleIds) {
  const ids = readdirRules();
  const covered = ruleIds.filter((id) => ids.some((p) => p === id || p.startsWith(`${id}-`)));
  const chosen = ids.filter((p) => covered.some((id) => p === id || p.startsWith(`${id}-`)));
  return { covered, uncovered: ruleIds.filter((id) => !covered.includes(id)), chosen, regex: `^(${chosen.join('|')})$` };
}

function readdirRules() {
  return execFileSync('ls', [join(PEERS, 'rules')], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => f.endsWith('.yml'))
    .map((f) => f.slice(0, -4));
}

async function throughput(corpus, rules) {
  const cli = (env) => () => timed(process.execPath, [CLI, '--format', 'json', '.'], { cwd: corpus.dir, rss: true, env });
  const findings = (r) => JSON.parse(r.stdout).findings.length;
  const tools = [
    { name: OURS, run: cli({ INITAUDIT_PARSER: 'native' }), count: findings },
    { name: 'initaudit (wasm)', run: cli({ INITAUDIT_PARSER: 'wasm' }), count: findings },
    { name: 'initaudit (native, in-process, no workers)', run: cli({ INITAUDIT_PARSER: 'native', INITAUDIT_WORKERS: '0' }), count: findings },
  ];
  const peers = peerFilter(rules);
  if (!args['no-peers'] && existsSync(AST_GREP) && peers.chosen.length > 0) {
    tools.push({
      name: 'ast-grep',
      run: () =>
        timed(AST_GREP, ['scan', '-c', join(PEERS, 'sgconfig.yml'), '--filter', peers.regex, '--no-ignore', 'parent', '--no-ignore', 'vcs', '--no-ignore', 'hidden', '--json=stream', '.'], {
          cwd: corpus.dir,
        }),
      count: (r) => r.stdout.split('\n').filter(Boolean).length,
    });
  }
  tools.push({
    name: 'cat (I/O floor)',
    run: () => timed('sh', ['-c', 'find . -type f ! -name .manifest.json -exec cat {} + > /dev/null'], { cwd: corpus.dir }),
    count: () => undefined,
  });
  const out = [];
  for (const tool of tools) {
    log(`throughput: ${tool.name} (1 warm-up + ${RUNS} runs)`);
    const warm = await tool.run();
    if (warm.code !== 0 && warm.code !== 1) throw new Error(`${tool.name} exited ${warm.code}: ${warm.stderr.slice(0, 500)}`);
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await tool.run());
    const ms = median(runs.map((r) => r.ms));
    const peaks = runs.map((r) => r.peakKb).filter((k) => k !== undefined);
    out.push({ name: tool.name, ms, all: runs.map((r) => r.ms), findings: tool.count(warm), peakMb: peaks.length ? Math.max(...peaks) / 1024 : undefined, stdout: tool.name.startsWith('initaudit') ? warm.stdout : undefined });
  }
  return { tools: out, peers };
}

/** Findings of a JSON report, one line each, sorted: what two runs must agree on. */
const findingLines = (stdout) => JSON.parse(stdout).findings.map((f) => JSON.stringify(f)).sort();

/** `--shard i/2` for both shards, one run each: their union must be the unsharded report. */
async function shards(corpus, whole) {
  const runs = [];
  for (const i of [1, 2]) {
    log(`shard ${i}/2`);
    runs.push(await timed(process.execPath, [CLI, '--format', 'json', '--shard', `${i}/2`, '.'], { cwd: corpus.dir, rss: true, env: { INITAUDIT_PARSER: 'native' } }));
  }
  const union = runs.flatMap((r) => findingLines(r.stdout)).sort();
  const expected = findingLines(whole);
  return { ms: runs.map((r) => r.ms), counts: runs.map((r) => JSON.parse(r.stdout).findings.length), equal: JSON.stringify(union) === JSON.stringify(expected), peakMb: Math.max(...runs.map((r) => r.peakKb ?? 0)) / 1024 };
}

/** The CLI's start-up: process start to exit on an empty folder (median of 5), native binding loaded. */
async function cliStartup() {
  const empty = mkdtempSync(join(tmpdir(), 'initaudit-bench-cli-start-'));
  try {
    const samples = [];
    for (let i = 0; i < 5; i++) samples.push((await timed(process.execPath, [CLI, '--format', 'json', empty])).ms);
    return { median: median(samples), all: samples };
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}

async function editLatency() {
  const dir = mkdtempSync(join(tmpdir(), 'initaudit-bench-edit-'));
  const files = {
    Gemfile: 'source "https://rubygems.org"\ngem "rails"\ngem "chamber"\n',
    'config/application.rb': 'require_relative "boot"\nmodule Bench\n  class Application < Rails::Application\n  end\nend\n',
    'config/initializers/settings.rb': bigRubyInitializer(2000),
    'package.json': '{ "name": "bench", "private": true }\n',
    'src/jobs/nightly.ts': bigTsJob(2000),
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  const server = BenchServer.start(SERVER, dir);
  try {
    await server.initialize();
    // The server's trace: one line per analysis with its reparse's share, the grammar's floor.
    await server.trace();
    const results = {};
    for (const [rel, languageId] of [['config/initializers/settings.rb', 'ruby'], ['src/jobs/nightly.ts', 'typescript']]) {
      const text = files[rel];
      const lines = text.split('\n');
      const uri = server.open(join(dir, rel), languageId, text, 1);
      const first = await server.diagnosticsFor(uri, 1);
      const findings = first.params.diagnostics.length;
      // One-character edits on comment lines spread over the file: insert a letter, then remove it.
      const commentLines = lines.map((l, i) => (/^\s*(#|\/\/)/.test(l) ? i : -1)).filter((i) => i >= 0);
      const samples = [];
      const tracesFrom = server.traces.length;
      let version = 1;
      for (let e = 0; e < EDITS; e++) {
        const line = commentLines[Math.floor(e / 2) % commentLines.length];
        const col = lines[line].length;
        version++;
        const range = e % 2 === 0 ? { start: { line, character: col }, end: { line, character: col } } : { start: { line, character: col }, end: { line, character: col + 1 } };
        const waiting = server.diagnosticsFor(uri, version);
        const sent = performance.now();
        server.change(uri, version, range, e % 2 === 0 ? 'x' : '');
        const { at, params } = await waiting;
        if (params.diagnostics.length !== findings) throw new Error(`${rel}: ${params.diagnostics.length} diagnostics after edit ${e}, expected ${findings}`);
        samples.push(at - sent);
      }
      const parses = server.traces
        .slice(tracesFrom)
        .filter((t) => t.includes(`analysed ${join(dir, rel)} v`))
        .map((t) => /\(parse ([\d.]+) ms\)/.exec(t)?.[1])
        .filter((ms) => ms !== undefined)
        .map(Number);
      results[rel] = {
        lines: lines.length,
        findings,
        p50: percentile(samples, 50),
        p95: percentile(samples, 95),
        max: Math.max(...samples),
        parseP50: parses.length ? percentile(parses, 50) : undefined,
        parseP95: parses.length ? percentile(parses, 95) : undefined,
      };
    }
    return results;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The edit storm: 1,000 incremental edits sent without waiting on a 5,000-line file, with 420
 * hovers and code actions in flight among them. Measures how long after the last edit the
 * diagnostics of the final version arrive, and checks they equal a fresh open of the final text.
 * Also counts the analyses the server ran for the storm (its trace) and the requests answered
 * with ContentModified because their document changed before they could be answered.
 */
async function editStorm() {
  const dir = mkdtempSync(join(tmpdir(), 'initaudit-bench-storm-'));
  const files = {
    Gemfile: 'source "https://rubygems.org"\ngem "rails"\ngem "chamber"\n',
    'config/application.rb': 'require_relative "boot"\nmodule Bench\n  class Application < Rails::Application\n  end\nend\n',
    'config/initializers/storm.rb': bigRubyInitializer(5000),
    'package.json': '{ "name": "bench", "private": true }\n',
    'src/jobs/storm.ts': bigTsJob(5000),
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  const server = BenchServer.start(SERVER, dir);
  const shape = (params) => JSON.stringify(params.diagnostics.map((d) => [d.range, d.code, d.message]).sort());
  try {
    await server.initialize();
    await server.trace();
    const results = {};
    for (const [rel, languageId] of [['config/initializers/storm.rb', 'ruby'], ['src/jobs/storm.ts', 'typescript']]) {
      let text = files[rel];
      const before = server.memory();
      const uri = server.open(join(dir, rel), languageId, text, 1);
      const first = await server.diagnosticsFor(uri, 1, 120_000);
      const lines = text.split('\n');
      const commentLines = lines.map((l, i) => (/^\s*(#|\/\/)/.test(l) ? i : -1)).filter((i) => i >= 0);
      const findingLines = first.params.diagnostics.map((d) => d.range.start.line);
      let version = 1;
      const requests = [];
      const answered = (p) => p.then(() => 'answered', (e) => (e?.code === -32801 ? 'modified' : Promise.reject(e)));
      const tracesFrom = server.traces.length;
      // Registered first: the final diagnostics may arrive before the loop ends.
      const finalDiagnostics = server.diagnosticsFor(uri, 1001, 300_000);
      const started = performance.now();
      for (let e = 0; e < 1000; e++) {
        // Insert a letter at the end of a comment line, or remove the one inserted before: findings keep their lines.
        const line = commentLines[(e * 37) % commentLines.length];
        const current = lines[line];
        const insert = !current.endsWith('x');
        const range = insert ? { start: { line, character: current.length }, end: { line, character: current.length } } : { start: { line, character: current.length - 1 }, end: { line, character: current.length } };
        lines[line] = insert ? `${current}x` : current.slice(0, -1);
        server.change(uri, ++version, range, insert ? 'x' : '');
        if (e % 50 < 21) {
          const at = { line: findingLines[e % findingLines.length] ?? 0, character: 4 };
          const diagnostics = first.params.diagnostics.filter((d) => d.range.start.line === at.line);
          requests.push(
            answered(
              requests.length % 2 === 0
                ? server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: at })
                : server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics, only: ['quickfix'] } }),
            ),
          );
        }
      }
      const lastSent = performance.now();
      const final = await finalDiagnostics;
      const drainMs = final.at - lastSent;
      const outcomes = await Promise.all(requests);
      const requestsMs = performance.now() - started;
      const analyses = server.traces.slice(tracesFrom).filter((t) => t.includes(`analysed ${join(dir, rel)} v`)).length;
      text = lines.join('\n');
      const afterStorm = server.memory();
      // A fresh open of the final text, next to it, must publish the same diagnostics.
      const freshPath = join(dir, rel.replace(/(\.\w+)$/, '-fresh$1'));
      const freshUri = server.open(freshPath, languageId, text, 1);
      const fresh = await server.diagnosticsFor(freshUri, 1, 120_000);
      const equal = shape(final.params) === shape(fresh.params);
      await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: freshUri } });
      await new Promise((r) => setTimeout(r, 2000));
      const afterClose = server.memory();
      results[rel] = {
        lines: text.split('\n').length,
        findings: final.params.diagnostics.length,
        drainMs,
        requests: requests.length,
        modified: outcomes.filter((o) => o === 'modified').length,
        analyses,
        requestsMs,
        equal,
        rssMb: [before, afterStorm, afterClose].map((m) => (m ? m.rss / 1024 : undefined)),
      };
    }
    return results;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startup() {
  const dir = mkdtempSync(join(tmpdir(), 'initaudit-bench-start-'));
  const rel = 'config/initializers/lockbox.rb';
  mkdirSync(join(dir, 'config', 'initializers'), { recursive: true });
  writeFileSync(join(dir, 'Gemfile'), 'source "https://rubygems.org"\ngem "rails"\ngem "lockbox"\n');
  const text = 'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n';
  writeFileSync(join(dir, rel), text);
  const samples = [];
  // As in the editor, the code cache lives in a folder of its own (the extension's global storage):
  // empty before the first start, which compiles the bundle and writes the cache; the five measured
  // starts after it read it. The first start is reported on its own.
  const codeCache = mkdtempSync(join(tmpdir(), 'initaudit-bench-code-cache-'));
  let cold;
  try {
    for (let i = 0; i < 6; i++) {
      const server = BenchServer.start(SERVER, dir, { codeCache });
      try {
        await server.initialize();
        const uri = pathToFileURL(join(dir, rel)).href;
        const waiting = server.diagnosticsFor(uri, 1);
        server.open(join(dir, rel), 'ruby', text, 1);
        const { at, params } = await waiting;
        if (params.diagnostics.length === 0) throw new Error('start-up: no diagnostics for the lockbox initializer');
        if (i === 0) cold = at - server.startedAt;
        else samples.push(at - server.startedAt);
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(codeCache, { recursive: true, force: true });
  }
  return { median: median(samples), all: samples, cold };
}

/** The language server's memory after it audited the corpus through its workspace audit request. */
async function serverAfterAudit(corpus) {
  const server = BenchServer.start(SERVER, corpus.dir);
  try {
    await server.initialize();
    const started = performance.now();
    const summary = await server.connection.sendRequest('initaudit/auditWorkspace', {});
    const ms = performance.now() - started;
    return { ms, summary, memory: server.memory() };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  } finally {
    await server.stop();
  }
}

const fmt = (n, d = 0) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(d));
const verdict = (ok) => (ok ? 'met' : 'MISSED');

async function main() {
  if (!existsSync(CLI) || !existsSync(SERVER)) throw new Error('run `npm run build` first (npm run bench does)');
  if (args['latency-only']) {
    log(`load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    process.stdout.write(`${JSON.stringify(await editLatency(), null, 2)}\n`);
    return;
  }
  if (args['startup-only']) {
    log(`load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    process.stdout.write(`${JSON.stringify(await startup(), null, 2)}\n`);
    return;
  }
  if (args['storm-only']) {
    process.stdout.write(`${JSON.stringify(await editStorm(), null, 2)}\n`);
    return;
  }
  const m = machine();
  log(`machine: ${m.cores} cores, ${m.cpu}, ${m.memoryGb} GB, node ${m.node}, load ${m.load}`);
  const rules = await registeredRules();
  const corpus = ensureCorpus(FILES);
  const tp = await throughput(corpus, rules);
  const byName = Object.fromEntries(tp.tools.map((t) => [t.name, t]));
  const sameFindings = JSON.stringify(findingLines(byName[OURS].stdout)) === JSON.stringify(findingLines(byName['initaudit (wasm)'].stdout));
  const sharded = await shards(corpus, byName[OURS].stdout);
  log('CLI start-up');
  const cliStart = await cliStartup();
  log('edit latency');
  const edits = await editLatency();
  log('edit storm');
  // A backlog that does not drain is a result too, not a crash of the benchmark.
  const storm = await editStorm().catch((e) => {
    log(`edit storm failed: ${e instanceof Error ? e.message : String(e)}`);
    return { 'edit storm': { error: e instanceof Error ? e.message : String(e) } };
  });
  log('start-up');
  const start = await startup();
  log('language server workspace audit');
  const lsp = await serverAfterAudit(corpus);

  const mb = corpus.bytes / 1e6;
  const by = Object.fromEntries(tp.tools.map((t) => [t.name, t]));
  const ours = by[OURS];
  const sg = by['ast-grep'];
  const cat = by['cat (I/O floor)'];
  const loadAfter = loadavg().map((l) => l.toFixed(2)).join(' ');
  const rows = tp.tools.map(
    (t) =>
      `| ${t.name} | ${fmt(t.ms / 1000, 2)} | ${fmt(corpus.files / (t.ms / 1000))} | ${fmt(mb / (t.ms / 1000), 1)} | ${fmt(t.ms / ours.ms, 2)} | ${t.findings ?? ''} | ${t.peakMb !== undefined ? fmt(t.peakMb) : ''} |`,
  );
  const vsSg = sg ? ours.ms / sg.ms : undefined;
  const vsCat = ours.ms / cat.ms;
  const worstP95 = Math.max(...Object.values(edits).map((e) => e.p95));
  const peakMb = ours.peakMb;
  const lspRss = lsp.memory ? lsp.memory.rss / 1024 : undefined;
  const lspPeak = lsp.memory ? lsp.memory.peak / 1024 : undefined;

  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString()}.`,
    '',
    '## Machine',
    '',
    `- ${m.cores} cores (nproc), ${m.cpu}, ${m.memoryGb} GB memory, ${m.os}`,
    `- Node ${m.node}; ${m.astGrep}`,
    `- load average at start: ${m.load}, at the end: ${loadAfter} (the machine is shared: other processes make every wall-clock figure slower and noisier, CPU-bound tools more than \`cat\`)`,
    '',
    '## Summary',
    '',
    '| Figure | Result | Target | |',
    '|---|---|---|---|',
    `| CLI time vs ast-grep (${corpus.files} files) | ${sg ? `${fmt(vsSg, 2)}x ast-grep's time` : 'ast-grep not run'} | ≤ ${TARGETS.astGrepRatio}x | ${sg ? verdict(vsSg <= TARGETS.astGrepRatio) : 'n/a'} |`,
    `| Throughput vs I/O floor | ${fmt(vsCat, 2)}x cat's time | ≤ ${TARGETS.ioFloorRatio}x | ${verdict(vsCat <= TARGETS.ioFloorRatio)} |`,
    `| Edit latency p95 (worst file) | ${fmt(worstP95, 1)} ms | ≤ ${TARGETS.editP95Ms} ms | ${verdict(worstP95 <= TARGETS.editP95Ms)} |`,
    `| Peak RSS, CLI audit of the corpus | ${fmt(peakMb)} MB | ≤ ${TARGETS.rssMb} MB | ${verdict(peakMb <= TARGETS.rssMb)} |`,
    `| Language server RSS after auditing the corpus | ${lsp.memory ? `${fmt(lspRss)} MB (peak ${fmt(lspPeak)} MB)` : `not measured: ${lsp.error}`} | ≤ ${TARGETS.rssMb} MB | ${lsp.memory ? verdict(lspRss <= TARGETS.rssMb) : 'n/a'} |`,
    `| Start-up: language server process start → first diagnostics (median of 5, code cache written by an earlier start) | ${fmt(start.median)} ms | ≤ ${TARGETS.startupMs} ms | ${verdict(start.median <= TARGETS.startupMs)} |`,
    `| Start-up: CLI on an empty folder, process start → exit (median of 5) | ${fmt(cliStart.median)} ms | ≤ ${TARGETS.startupMs} ms | ${verdict(cliStart.median <= TARGETS.startupMs)} |`,
    `| Native and wasm findings on the corpus | ${sameFindings ? 'identical' : 'DIFFERENT'} (${byName[OURS].findings} and ${byName['initaudit (wasm)'].findings}) | identical | ${verdict(sameFindings)} |`,
    `| Union of \`--shard 1/2\` and \`2/2\` vs the unsharded run | ${sharded.equal ? 'equal' : 'DIFFERENT'} (${sharded.counts.join(' + ')} findings) | equal | ${verdict(sharded.equal)} |`,
    ...Object.entries(storm).map(([rel, s]) =>
      s.error
        ? `| Edit storm: last edit → final diagnostics | not measured: ${s.error} | ≤ ${TARGETS.stormMs} ms, equal | MISSED |`
        : `| Edit storm, ${rel}: last edit → final diagnostics (equal to a fresh open: ${s.equal ? 'yes' : 'NO'}) | ${fmt(s.drainMs)} ms | ≤ ${TARGETS.stormMs} ms, equal | ${verdict(s.drainMs <= TARGETS.stormMs && s.equal)} |`,
    ),
    '',
    `## Audit throughput: ${corpus.files} files, ${fmt(mb, 1)} MB (bench/generate.mjs, seed 1)`,
    '',
    `Median of ${RUNS} runs after one warm-up run (page cache warm), wall time of the whole process.`,
    '',
    '| Tool | Seconds | Files/s | MB/s | Time vs initaudit | Findings | Peak RSS (MB) |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Shards: \`--shard 1/2\` ${fmt(sharded.ms[0] / 1000, 2)} s and \`--shard 2/2\` ${fmt(sharded.ms[1] / 1000, 2)} s, one run each on this machine (each reads the whole workspace's cross-file facts and analyses its half; peak RSS ${fmt(sharded.peakMb)} MB); on two CI machines the audit takes the slower of the two.`,
    '',
    `Rules registered: ${rules.join(', ')}. ast-grep peer rules used: ${tp.peers.chosen.join(', ') || 'none'}${tp.peers.uncovered.length ? `; no peer rule for ${tp.peers.uncovered.join(', ')}` : ''} (see bench/peers/README.md for how they differ).`,
    '',
    '## Edit latency',
    '',
    `didChange → publishDiagnostics for ${EDITS} one-character edits per file, measured by a JSON-RPC client over stdio. Reparse: the server's own time for web-tree-sitter's incremental reparse of each edit (its trace), part of the latency and a floor no analysis can go under.`,
    '',
    '| File | Lines | Findings | p50 (ms) | p95 (ms) | max (ms) | Reparse p50 (ms) | Reparse p95 (ms) |',
    '|---|---|---|---|---|---|---|---|',
    ...Object.entries(edits).map(([rel, e]) => `| ${rel} | ${e.lines} | ${e.findings} | ${fmt(e.p50, 2)} | ${fmt(e.p95, 2)} | ${fmt(e.max, 2)} | ${fmt(e.parseP50, 2)} | ${fmt(e.parseP95, 2)} |`),
    '',
    '## Edit storm',
    '',
    '1,000 one-character edits sent without waiting to a 5,000-line file, with 420 hovers and code actions on its findings in flight among them; then the final text opened fresh beside it. Analyses: how many versions the server analysed for the storm (of 1,000). Stale: requests answered with ContentModified, their document having changed before they could be answered.',
    '',
    '| File | Lines | Findings | Last edit → final diagnostics (ms) | Analyses | Requests (stale) | All requests answered (ms from first edit) | Equal to fresh open | RSS before / after storm / 2 s after close (MB) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(storm).filter(([, s]) => !s.error).map(([rel, s]) => `| ${rel} | ${s.lines} | ${s.findings} | ${fmt(s.drainMs)} | ${s.analyses} | ${s.requests} (${s.modified}) | ${fmt(s.requestsMs)} | ${s.equal ? 'yes' : 'NO'} | ${s.rssMb.map((m) => fmt(m)).join(' / ')} |`),
    '',
    '## Start-up and memory',
    '',
    `- Language server start-up runs (ms): ${start.all.map((s) => fmt(s)).join(', ')}; the first start, before the code cache was written: ${fmt(start.cold)} ms`,
    `- CLI start-up runs (ms): ${cliStart.all.map((s) => fmt(s)).join(', ')}`,
    `- Language server workspace audit of the corpus: ${lsp.ms !== undefined ? `${fmt(lsp.ms / 1000, 2)} s` : `not run (${lsp.error})`}`,
    '',
  ];
  writeFileSync(args.out, `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.slice(lines.indexOf('## Summary')).join('\n')}\n`);
  log(`written to ${args.out}`);
}

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack : e}\n`);
  process.exitCode = 1;
});
