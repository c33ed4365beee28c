// Warming the engine before the first real file: in a fresh editor window most of the time to the
// first finding went to one-off work (the grammar's WebAssembly compiled on first use, the
// subscription query built, the rules' code run cold), not to the file itself. Analysing a small
// representative file per grammar, in memory, does that work while the editor is still starting.

import { join } from 'node:path';
import { analyzeFileSync } from './engine';
import { isLoaded, loadLanguage } from './parser';
import type { GrammarLanguage, Workspace } from './types';

/** A place no real file is: the warm-up workspace is in memory and reads nothing from disk. */
const ROOT = join('/', '__initaudit_warm_up__');

const TS_DB = 'import { Pool } from "pg";\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n';
const TS_JOB = [
  'import { pool } from "./db";',
  'export const stripeKey = process.env.NODE_ENV === "test" ? undefined : secrets.get("stripe");',
  'export async function run(): Promise<void> {',
  '  await pool.query("select pg_advisory_lock($1)", [1]);',
  '  try {',
  '    await pool.query("select 1");',
  '  } finally {',
  '    await pool.query("select pg_advisory_unlock($1)", [1]);',
  '  }',
  '}',
  '',
].join('\n');
const RUBY = 'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\nRails.application.credentials.dig(:aws, :key)\n';

const FILES: Record<GrammarLanguage, { path: string; text: string }> = {
  typescript: { path: join(ROOT, 'svc', 'src', 'job.ts'), text: TS_JOB },
  tsx: { path: join(ROOT, 'svc', 'src', 'job.js'), text: TS_JOB.replace(': Promise<void>', '') },
  ruby: { path: join(ROOT, 'app', 'config', 'initializers', 'lockbox.rb'), text: RUBY },
};

const OTHER_FILES = new Map<string, string>([
  [join(ROOT, 'svc', 'package.json'), '{ "name": "svc", "dependencies": { "pg": "8.0.0" } }\n'],
  [join(ROOT, 'svc', 'src', 'db.ts'), TS_DB],
  [join(ROOT, 'app', 'Gemfile'), 'source "https://rubygems.org"\ngem "rails"\ngem "lockbox"\ngem "chamber"\n'],
  [join(ROOT, 'app', 'config', 'application.rb'), 'module App\n  class Application < Rails::Application\n  end\nend\n'],
]);

const workspace: Workspace = {
  root: ROOT,
  readFile: (path) => OTHER_FILES.get(path),
  fileExists: (path) => OTHER_FILES.has(path),
  listDir: () => [],
};

/** Loads the grammar and analyses its warm-up file once; never throws (warming is an optimisation). */
export async function warmUp(lang: GrammarLanguage): Promise<void> {
  try {
    if (!isLoaded(lang)) await loadLanguage(lang);
    // A real document waiting on the same grammar is analysed first.
    await pause();
    analyzeFileSync(FILES[lang], workspace, { withoutFixes: true });
  } catch {
    // A grammar that cannot load is reported when a real file needs it.
  }
}

/**
 * Warms every grammar, one at a time: between two, pending work (the first document's
 * validation) goes first, so warming never delays it by more than one grammar's share.
 */
export async function warmUpAll(languages: readonly GrammarLanguage[] = ['typescript', 'ruby', 'tsx']): Promise<void> {
  for (const lang of languages) {
    await pause();
    await warmUp(lang);
  }
}

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}
