// Test helpers for the CLI: temp workspaces written from a file map, the bundled CLI run as a
// child process, and whole-tree snapshots for byte-for-byte comparisons.

import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The bundle users run; INITAUDIT_TEST_CLI points the suite at another build (e.g. a packaged one). */
export const CLI = process.env['INITAUDIT_TEST_CLI'] ?? resolve(__dirname, '../../../server/out/cli.js');

const created: string[] = [];

/**
 * Writes `files` (relative path → content) under a new temp folder and returns its real path
 * (macOS's /tmp is a symlink, and reports use real paths).
 */
export function workspace(files: Record<string, string | Buffer>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'initaudit-cli-')));
  created.push(root);
  writeFiles(root, files);
  return root;
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/** Removes every workspace made so far; call from suiteTeardown. */
export function removeWorkspaces(): void {
  for (const root of created.splice(0)) rmSync(root, { recursive: true, force: true });
}

export interface CliRun {
  stdout: string;
  stderr: string;
  code: number | null;
}

export function runCli(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['INITAUDIT_DEBUG'];
  Object.assign(env, options.env);
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd, env, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/** Runs the CLI with --format json and parses stdout. */
export function runJson(args: readonly string[], cwd: string): { report: JsonOutput; run: CliRun } {
  const run = runCli(['--format', 'json', ...args], { cwd });
  return { report: JSON.parse(run.stdout) as JsonOutput, run };
}

/** Every file and symlink under `root` with its exact bytes (or link target). */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) out.set(path, `-> ${readlinkSync(path)}`);
      else if (stat.isDirectory()) visit(path);
      else out.set(path, readFileSync(path).toString('base64'));
    }
  };
  visit(root);
  return out;
}

export function read(root: string, rel: string): string {
  return readFileSync(join(root, rel), 'utf8');
}

/** The text report's finding lines, parsed: `path:line:col severity rule-id message`. */
export function findingLines(stdout: string): { path: string; line: number; column: number; severity: string; ruleId: string; message: string }[] {
  const out = [];
  for (const text of stdout.split('\n')) {
    const m = /^(.+?):(\d+):(\d+) (error|warning|info|hint) (\S+) (.+)$/.exec(text);
    if (m) out.push({ path: m[1]!, line: Number(m[2]), column: Number(m[3]), severity: m[4]!, ruleId: m[5]!, message: m[6]! });
  }
  return out;
}

export const RULE = 'env-forked-nil-secret';

/** Inputs from the rule's specification. */
export const LOCKBOX = 'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n';
export const STRIPE = "Stripe.api_key = ENV['STRIPE_API_KEY'] || (Rails.env.test? ? nil : Chamber.dig(:stripe, :api_key))\n";
export const DEVISE = 'Devise.setup do |config|\n  config.stretches = Rails.env.test? ? 1 : 12\nend\n';
export const REDIS = 'REDIS = Rails.env.test? ? MockRedis.new : Redis.new(url: ENV["REDIS_URL"])\n';

/**
 * A minimal Rails app: rules recognise an app by config/application.rb or a Gemfile. It has a
 * credentials file (never read, only its presence counts), so the Gemfile's implicit secret_key_base
 * is not reported and these tests see only the env-fork findings they are about.
 */
export const RAILS_APP: Record<string, string> = {
  Gemfile: "source 'https://rubygems.org'\ngem 'rails'\ngem 'lockbox'\n",
  'config/credentials.yml.enc': 'opaque: never read by initaudit\n',
  'config/application.rb': "require_relative 'boot'\nrequire 'rails/all'\n\nmodule Demo\n  class Application < Rails::Application\n  end\nend\n",
};

/** The JSON report shape, as far as the tests read it. */
export interface JsonOutput {
  version: string;
  root: string;
  findings: {
    ruleId: string;
    severity: string;
    path: string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    line: number;
    column: number;
    message: string;
    details?: string;
    related: { path: string; line: number; column: number; message: string }[];
    fixes: { title: string; isPreferred: boolean; note?: string }[];
  }[];
  skipped: { path: string; reason: string; detail: string; size?: number }[];
  warnings: { path: string; detail: string }[];
  errors: { path: string; message: string }[];
  fixed?: { path: string; created: boolean }[];
  appliedFixes?: { ruleId: string; path: string; title: string; note?: string }[];
  since?: { revision: string; commit: string };
  summary: { files: number; problems: number; errors: number; warnings: number; fixable: number };
}
