// Which encrypted attributes the app's specs and tests check at the ciphertext level, read as text
// (never run): a spec covers an attribute when it reads what is stored, not the decrypted value.
// `<attr>_ciphertext` (or the declared `encrypted_attribute`) for Lockbox; `ciphertext_for(:attr)`,
// the raw value before type cast or a raw SQL select of the column for Active Record encryption;
// `encrypted_<attr>` (or the declared prefix, suffix, `attribute`) for attr_encrypted; the blob's
// stored bytes for an encrypted attachment. `expect(user.email).to be` covers nothing: it passes
// whether or not the value was encrypted.
//
// Coverage is by name across the whole suite, not per model: a read of `email_ciphertext` anywhere
// counts for every model's `email`, so the rule errs towards silence.

import { join } from 'node:path';
import type { Workspace } from '../types';
import { stripComment } from './app-model';
import type { EncryptedAttribute } from './encrypted-attributes';

/** Bounds a pathological suite; beyond it, the files listed first are read. */
const MAX_FILES = 5000;
const SUITE_DIRS = ['spec', 'test'];

interface Suite {
  /** Comment-free code of every spec and test file, joined. */
  code: string;
  hasSpecDir: boolean;
}

const suites = new WeakMap<Workspace, { version: number; byRoot: Map<string, Suite> }>();
const codeCache = new Map<string, { text: string; code: string }>();

/** The app's suite, rebuilt when the workspace changes (a fix that writes a spec). */
function suiteOf(ws: Workspace, root: string): Suite {
  const version = ws.version?.();
  if (version === undefined) return buildSuite(ws, root);
  let cached = suites.get(ws);
  if (!cached || cached.version !== version) suites.set(ws, (cached = { version, byRoot: new Map() }));
  let suite = cached.byRoot.get(root);
  if (!suite) cached.byRoot.set(root, (suite = buildSuite(ws, root)));
  return suite;
}

function buildSuite(ws: Workspace, root: string): Suite {
  const parts: string[] = [];
  for (const path of suiteFiles(ws, root)) {
    const text = ws.readFile(path);
    if (text === undefined) continue;
    let cached = codeCache.get(path);
    if (!cached || cached.text !== text) {
      cached = { text, code: text.split(/\r\n|\r|\n/).map(stripComment).join('\n') };
      if (codeCache.size > 2 * MAX_FILES) codeCache.clear();
      codeCache.set(path, cached);
    }
    parts.push(cached.code);
  }
  return { code: parts.join('\n'), hasSpecDir: ws.listDir?.(join(root, 'spec')) !== undefined };
}

/** Ruby files under spec/ and test/, absolute. */
export function suiteFiles(ws: Workspace, root: string): string[] {
  const out: string[] = [];
  const pending = SUITE_DIRS.map((d) => join(root, d));
  while (pending.length && out.length < MAX_FILES) {
    const dir = pending.pop()!;
    for (const name of ws.listDir?.(dir) ?? []) {
      if (name.endsWith('/')) pending.push(join(dir, name.slice(0, -1)));
      else if (name.endsWith('.rb')) out.push(join(dir, name));
    }
  }
  return out.sort();
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The reads that check this attribute's stored ciphertext. */
export function ciphertextReads(a: EncryptedAttribute): RegExp {
  const name = escape(a.name);
  if (a.attachment) return new RegExp(`\\b${name}\\b[^\\n]*\\.blob\\b[^\\n]*\\b(download|open)\\b`);
  if (a.library === 'active_record') {
    const sym = `\\(\\s*[:"']${name}\\b`;
    return new RegExp(
      [
        `\\bciphertext_for${sym}`,
        `\\bencrypted_attribute\\?${sym}`,
        `\\bread_attribute_before_type_cast${sym}`,
        `\\b${name}_before_type_cast\\b`,
        `\\b(select_value|select_values|select_one|select_rows|select_all|exec_query|execute)\\b[^\\n]*\\b${name}\\b`,
      ].join('|'),
    );
  }
  return new RegExp(`\\b${escape(a.ciphertext)}\\b`);
}

export interface CoverageView {
  covered(a: EncryptedAttribute): boolean;
  /** The app has a spec/ folder, so the fix writes RSpec; otherwise Minitest under test/. */
  rspec: boolean;
}

export function coverageOf(ws: Workspace, root: string): CoverageView {
  const suite = suiteOf(ws, root);
  return { covered: (a) => ciphertextReads(a).test(suite.code), rspec: suite.hasSpecDir };
}
