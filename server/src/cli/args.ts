// Command-line parsing on node's util.parseArgs, with parseArgs' errors rewritten into
// one-line messages that name the flag and point to --help.

import { parseArgs } from 'node:util';

export const FORMATS = ['text', 'json', 'sarif'] as const;
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
}

export type ParsedArgs = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'version' };

/** Bad usage: the message is shown as `initaudit: <message>` with a hint to --help, exit code 2. */
export class UsageError extends Error {}

export const HELP = `Usage: initaudit [paths...] [options]

Audits Rails initializers and TypeScript/JavaScript config for secrets that are nil
in some environment. Paths may be files or directories (default: .). Directories are
walked recursively, honouring .gitignore and skipping node_modules, vendor and .git.

Options:
  -f, --format <text|json|sarif>   Report format (default: text)
  -o, --output <file>              Write the report to a file instead of stdout
      --fix                        Apply preferred fixes, then report what remains
      --fail-on <error|warning|never>
                                   Exit 1 when a finding is at or above this severity
                                   (default: error)
  -h, --help                       Show this help
      --version                    Show the version

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it,
2 bad usage or an internal error.
`;

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        fix: { type: 'boolean' },
        'fail-on': { type: 'string' },
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
  return {
    kind: 'run',
    options: {
      paths: positionals.length > 0 ? positionals : ['.'],
      format,
      output: values.output,
      fix: values.fix ?? false,
      failOn,
    },
  };
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
