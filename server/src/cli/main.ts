// `initaudit` entry point (bundled to server/out/cli.js). Exit codes: 0 nothing at or above
// --fail-on, 1 findings at or above it, 2 bad usage or an internal error.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HELP, parseCliArgs, UsageError, type CliOptions, type Format } from './args';
import { audit } from '../audit/run';
import { resolveTargets } from './targets';
import { describeError } from '../audit/errors';
import { applyFixes } from './fix';
import { formatJson } from './formatters/json';
import { formatSarif } from './formatters/sarif';
import { errorLines, formatText, textDiagnostics } from './formatters/text';
import { packageInfo } from './package-info';
import { exitCode, type Report } from './report';
import { SourceCache } from '../files/source-cache';

const FORMATTERS: Record<Format, (report: Report) => string> = { text: formatText, json: formatJson, sarif: formatSarif };

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
      process.stderr.write(`initaudit: ${e.message}\nTry 'initaudit --help' for more information.\n`);
    } else {
      process.stderr.write(`initaudit: internal error: ${describeError(e).replace(/^initaudit: /, '')}\n`);
    }
    return 2;
  }
}

async function run(options: CliOptions, cwd: string): Promise<number> {
  const targets = resolveTargets(options.paths, cwd);
  const cache = new SourceCache();
  let result = await audit(targets, cache);
  const fix = options.fix ? await applyFixes(result.findings, targets.root, cache) : undefined;
  // Report and exit on what remains; the cache holds the fixed texts, so only new files are read.
  if (fix && fix.changed.length > 0) result = await audit(targets, cache);

  const report: Report = { tool: packageInfo(), root: targets.root, cwd, audit: result, ...(fix ? { fix } : {}) };
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
