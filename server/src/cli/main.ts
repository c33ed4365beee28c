// `initaudit` entry point (bundled to server/out/cli.js). Exit codes: 0 nothing at or above
// --fail-on, 1 findings at or above it, 2 bad usage or an internal error.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { FileAccess } from '../core/file-access';
import { escapeControls } from '../core/text';
import { baselineEntries, DEFAULT_BASELINE_FILE, serializeBaseline, type BaselineEntry } from '../core/baseline';
import { formatConfigError } from '../core/config/load';
import type { Finding } from '../core/types';
import { loadPolicy } from '../audit/policy';
import { HELP, parseCliArgs, UsageError, type CliOptions, type Format } from './args';
import { audit, type AuditResult } from '../audit/run';
import { toolError } from '../audit/errors';
import { resolveTargets } from './targets';
import { describeError } from '../audit/errors';
import { applyFixes } from './fix';
import { gitHistory } from './git-history';
import { formatJson } from '../report/json';
import { formatSarif } from '../report/sarif';
import { formatGithub } from '../report/github';
import { GitError } from './git';
import { newFindings, prepareSince, sincePolicy, type Since } from './since';
import { errorLines, formatText, textDiagnostics } from '../report/text';
import { packageInfo } from '../report/package-info';
import { exitCode } from './exit-code';
import { reported, type Report } from '../report/model';
import { SourceCache } from '../files/source-cache';
import { hasParserBackend } from '../core/parser';
import { requestedParser, useParserLazily } from '../parsers/select';

const FORMATTERS: Record<Format, (report: Report) => string> = { text: formatText, json: formatJson, sarif: formatSarif, github: formatGithub };

export async function main(argv: readonly string[], cwd = process.cwd()): Promise<number> {
  try {
    const parsed = parseCliArgs(argv);
    if (parsed.kind === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (parsed.kind === 'version') {
      process.stdout.write(`${packageInfo().version}\n`);
      return 0;
    }
    return await run(parsed.options, cwd);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`initaudit: ${escapeControls(e.message)}\nTry 'initaudit --help' for more information.\n`);
    } else {
      // Stacks (INITAUDIT_DEBUG=1) keep their lines; each line is escaped on its own.
      const lines = describeError(e).replace(/^initaudit: /, '').split(/\r?\n/).map(escapeControls);
      process.stderr.write(`initaudit: internal error: ${lines.join('\n')}\n`);
    }
    return 2;
  }
}

async function run(options: CliOptions, cwd: string): Promise<number> {
  // Native tree-sitter where it loads, else WebAssembly, said once, chosen at the first parse in this thread
  // (audit workers parse with wasm, WORKER_PARSER in audit/run.ts).
  if (!hasParserBackend()) useParserLazily(requestedParser(), (message) => process.stderr.write(`${escapeControls(message)}\n`));
  const targets = resolveTargets(options.paths, cwd);
  if (options.baseline !== undefined && options.writeBaseline !== undefined) throw new UsageError('--baseline and --write-baseline cannot be combined');
  if (options.since !== undefined && options.writeBaseline !== undefined) throw new UsageError('--since and --write-baseline cannot be combined');
  const loaded = loadPolicy(targets.root, {
    ...(options.config !== undefined ? { configPath: resolve(cwd, options.config) } : {}),
    ...(options.baseline !== undefined ? { baselinePath: resolve(cwd, options.baseline) } : {}),
    useBaseline: options.writeBaseline === undefined,
  });
  const problems = [...loaded.configErrors.map((e) => formatConfigError({ ...e, path: relativeForHumans(cwd, e.path) })), ...loaded.errors];
  if (problems.length > 0) {
    process.stderr.write(`${problems.map((p) => `initaudit: ${escapeControls(p)}`).join('\n')}\n`);
    return 2;
  }
  const { policy } = loaded;
  // The audit reads and writes inside the root (and the folders and files named on the command line) only.
  const named = targets.targets.filter((t) => t.kind === 'file').map((t) => t.path);
  // One run: folders' real paths are remembered for it (FileAccessOptions).
  const cache = new SourceCache(new FileAccess([targets.root, ...targets.targets.filter((t) => t.kind === 'dir').map((t) => t.path)], named, undefined, { rememberFolders: true }));
  let since: Since | undefined;
  if (options.since !== undefined) {
    try {
      since = await prepareSince(options.since, targets, policy, (commit) => gitHistory(targets.root, commit));
    } catch (e) {
      if (!(e instanceof GitError)) throw e;
      process.stderr.write(`initaudit: --since ${options.since}: ${e.message}\n`);
      return 2;
    }
  }
  // With --since, what the change deletes is measured against that revision.
  const history = gitHistory(targets.root, since?.commit);
  const shardOption = options.shard ? { shard: options.shard } : {};
  const auditOnce = async (): Promise<AuditResult> => {
    const r = reported(await audit(targets, cache, { policy, ...shardOption, ...(history ? { history } : {}), ...(since ? { base: since.base } : {}) }));
    if (!since) return r;
    const s = since;
    const errors = [...r.errors, ...s.errors.map((m) => toolError(targets.root, `auditing ${s.revision}: ${m}`))];
    return { ...r, findings: newFindings(s, targets.root, r.findings, (p) => cache.known(p).text ?? cache.lookup(p) ?? undefined), errors };
  };
  let result = await auditOnce();
  const fix = options.fix
    ? await applyFixes(result.findings, targets.root, cache, policy, history, since ? { base: since.base, filter: sincePolicy(since, targets.root, policy) } : {})
    : undefined;
  // Report and exit on what remains; the cache holds the fixed texts, so only new files are read.
  if (fix && fix.changed.length > 0) result = await auditOnce();
  if (options.writeBaseline !== undefined) {
    const file = options.writeBaseline === true ? (loaded.baselinePath ?? join(targets.root, DEFAULT_BASELINE_FILE)) : resolve(cwd, options.writeBaseline);
    // A path from the config stays inside the root; one typed after --write-baseline= is the user's to choose.
    const access = new FileAccess([targets.root], options.writeBaseline === true ? [] : [file]);
    const written = writeBaseline(file, targets.root, result.findings, cache, access);
    process.stderr.write(`initaudit: wrote ${written} finding${written === 1 ? '' : 's'} to the baseline ${escapeControls(relativeForHumans(cwd, file))}\n`);
    // What is recorded is accepted: the report shows what the baseline leaves, i.e. nothing new.
    const rebased = loadPolicy(targets.root, { ...(options.config !== undefined ? { configPath: resolve(cwd, options.config) } : {}), baselinePath: file }).policy;
    result = reported(await audit(targets, cache, { policy: rebased, ...shardOption, ...(history ? { history } : {}) }));
  }

  const report: Report = {
    tool: packageInfo(),
    root: targets.root,
    cwd,
    audit: result,
    ...(fix ? { fix } : {}),
    ...(since ? { since: { revision: since.revision, commit: since.commit } } : {}),
    ...shardOption,
  };
  const body = FORMATTERS[options.format](report);
  // Side information first, so in a terminal "fixed"/"skipped" lines precede what remains.
  const diagnostics = options.format === 'text' ? textDiagnostics(report) : errorLines(report);
  if (diagnostics.length > 0) process.stderr.write(`${diagnostics.join('\n')}\n`);
  if (options.output) {
    const out = resolve(cwd, options.output);
    try {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, body);
    } catch (e) {
      throw new Error(`cannot write the report to ${options.output}: ${describeError(e)}`);
    }
  } else {
    process.stdout.write(body);
  }
  return exitCode(report, options.failOn);
}

/** Writes the findings as a baseline; returns how many. */
function writeBaseline(file: string, root: string, findings: readonly Finding[], cache: SourceCache, access: FileAccess): number {
  const byPath = new Map<string, Finding[]>();
  for (const f of findings) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
  const entries: BaselineEntry[] = [];
  for (const [path, list] of byPath) entries.push(...baselineEntries(root, path, cache.known(path).text ?? '', list));
  const written = access.write(file, serializeBaseline(entries));
  if (!written.ok) throw new Error(`cannot write the baseline to ${file}: ${written.refusal.detail}`);
  return entries.length;
}

/** A path as the user would type it from the cwd. */
function relativeForHumans(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

if (require.main === module) {
  // A closed pipe (`initaudit | head`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
