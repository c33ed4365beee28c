// Command-line parsing on node's util.parseArgs, with parseArgs' errors rewritten into
// one-line messages that name the flag and point to --help.

import { parseArgs } from 'node:util';
import { parseShard, type Shard } from '../audit/shard';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export const FAIL_ON = ['error', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface CliOptions {
  paths: string[];
  format: Format;
  /** Where the report goes; undefined means stdout. */
  output: string | undefined;
  fix: boolean;
  failOn: FailOn;
  /** --config: the config file; undefined means `.initaudit.yml` at the audited root, if present. */
  config: string | undefined;
  /** --baseline: report only findings not in this file (overrides the config's `baseline`). */
  baseline: string | undefined;
  /** --write-baseline[=FILE]: record the current findings; true means the default file. */
  writeBaseline: string | true | undefined;
  /** --since <rev>: report only findings the change since this git revision introduced. */
  since: string | undefined;
  /** --shard i/n: report only the i-th of n partitions of the files (by path). */
  shard: Shard | undefined;
}

export type ParsedArgs = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'version' };

/** Bad usage: the message is shown as `initaudit: <message>` with a hint to --help, exit code 2. */
export class UsageError extends Error {}

export const HELP = `Usage: initaudit [paths...] [options]

Audits Rails initializers and TypeScript/JavaScript config for secrets that are nil
in some environment. Paths may be files or directories (default: .). Directories are
walked recursively, honouring .gitignore and skipping node_modules, vendor, .git
and a Rails app's static public/ folder.

Options:
  -f, --format <text|json|sarif|github>
                                   Report format (default: text); github prints
                                   GitHub Actions annotations
  -o, --output <file>              Write the report to a file instead of stdout
      --fix                        Apply preferred fixes, then report what remains
      --fail-on <error|warning|never>
                                   Exit 1 when a finding is at or above this severity
                                   (default: error)
  -c, --config <file>              Config file (default: .initaudit.yml in the audited
                                   folder, if there is one)
      --baseline <file>            Report only findings not recorded in this baseline
                                   (default: the config's 'baseline' key)
      --write-baseline[=<file>]    Record every current finding in a baseline file
                                   (default: the config's 'baseline', else
                                   .initaudit-baseline.json in the audited folder)
      --since <rev>                Report only findings new since this git revision
                                   (a branch, tag or commit; needs a git checkout)
      --shard <i/n>                Report only the i-th of n partitions of the files, by
                                   path, for parallel CI jobs; cross-file facts still come
                                   from the whole workspace
  -h, --help                       Show this help
      --version                    Show the version

Suppress one finding with a comment on the line above it, naming the rule:
  # initaudit:disable-next-line <rule-id> -- reason     (Ruby, YAML)
  // initaudit-disable-next-line <rule-id> -- reason    (TypeScript, JavaScript)
or every finding of a rule in a file with initaudit:disable-file <rule-id>.

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it,
2 bad usage, an invalid config file (printed as file:line:col message), --since
outside a git checkout or with an unknown revision, or an internal error.
`;

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  // parseArgs has no optional values: `--write-baseline=FILE` carries its file, a bare flag does not.
  let writeBaseline: string | true | undefined;
  const args = argv.filter((a) => {
    if (a === '--write-baseline') writeBaseline = true;
    else if (a.startsWith('--write-baseline=')) writeBaseline = a.slice('--write-baseline='.length);
    else return true;
    return false;
  });
  if (writeBaseline === '') throw new UsageError('option --write-baseline= needs a file name');
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        fix: { type: 'boolean' },
        'fail-on': { type: 'string' },
        config: { type: 'string', short: 'c' },
        baseline: { type: 'string' },
        since: { type: 'string' },
        shard: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UsageError(describeParseError(e));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const format = oneOf('--format', values.format ?? 'text', FORMATS);
  const failOn = oneOf('--fail-on', values['fail-on'] ?? 'error', FAIL_ON);
  if (values.output === '') throw new UsageError('option --output needs a file name');
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (values.shard !== undefined && !shard) throw new UsageError(`option --shard takes i/n with 1 <= i <= n (e.g. 2/4), not '${values.shard}'`);
  if (shard && (values.fix || writeBaseline !== undefined)) throw new UsageError('--shard cannot be combined with --fix or --write-baseline, which need the whole audit');
  return {
    kind: 'run',
    options: {
      paths: positionals.length > 0 ? positionals : ['.'],
      format,
      output: values.output,
      fix: values.fix ?? false,
      failOn,
      config: nonEmpty('--config', values.config),
      baseline: nonEmpty('--baseline', values.baseline),
      writeBaseline,
      since: nonEmpty('--since', values.since, 'a revision'),
      shard,
    },
  };
}

function nonEmpty(flag: string, value: string | undefined, what = 'a file name'): string | undefined {
  if (value === '') throw new UsageError(`option ${flag} needs ${what}`);
  return value;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`invalid value '${value}' for ${flag} (expected ${allowed.join(', ')})`);
}

/** parseArgs errors carry a code and a long multi-sentence message; keep the first sentence's facts. */
function describeParseError(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  const option = /'(-[^']*)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${option ?? message}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      // "Option '-f, --format <value>' argument missing" or "Option '--fix' does not take an argument".
      const long = /--[\w-]+/.exec(message)?.[0] ?? option ?? '';
      return message.includes('does not take an argument') ? `option ${long} does not take a value` : `option ${long} needs a value`;
    }
    default:
      return message.split('\n')[0] ?? message;
  }
}
