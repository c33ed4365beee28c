// Which encrypted attributes the app's specs and tests check at the ciphertext level, read as text
// (never run): a spec covers an attribute when it reads what is stored, not the decrypted value.
// `<attr>_ciphertext` (or the declared `encrypted_attribute`) for Lockbox; `ciphertext_for(:attr)`,
// the raw value before type cast or a raw SQL select of the column for Active Record encryption;
// `encrypted_<attr>` (or the declared prefix, suffix, `attribute`) for attr_encrypted; the blob's
// stored bytes for an encrypted attachment. `expect(user.email).to be` covers nothing: it passes
// whether or not the value was encrypted.
//
// Coverage is per file and by name: a file covers a model's attribute when it reads the attribute's
// ciphertext and names the model (its class, or its underscored name as a factory or variable), so
// `email_ciphertext` in a spec about users does not cover a patient's `email`. Ciphertext names
// listed in `.except(…)` are being left out, not read.

import { join } from 'node:path';
import type { Workspace } from '../types';
import { stripComment } from './app-model';
import { underscorePath, type EncryptedAttribute } from './encrypted-attributes';
import { escapeRegExp } from '../text';

/** Bounds a pathological suite; beyond it, the files listed first are read. */
const MAX_FILES = 5000;
const SUITE_DIRS = ['spec', 'test'];

interface Suite {
  /** Comment-free code of every spec and test file, `.except(…)` arguments removed; `bare` also without string contents. */
  files: { code: string; bare: string }[];
  hasSpecDir: boolean;
}

const suites = new WeakMap<Workspace, { version: number; byRoot: Map<string, Suite> }>();
const codeCache = new Map<string, { text: string; code: string; bare: string }>();

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
  const parts: Suite['files'] = [];
  for (const path of suiteFiles(ws, root)) {
    const text = ws.readFile(path);
    if (text === undefined) continue;
    let cached = codeCache.get(path);
    if (!cached || cached.text !== text) {
      const code = withoutExcepts(text.split(/\r\n|\r|\n/).map(stripComment).join('\n'));
      // A model named inside a string (a test's description, a value) does not make the file about it.
      cached = { text, code, bare: code.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""') };
      if (codeCache.size > 2 * MAX_FILES) codeCache.clear();
      codeCache.set(path, cached);
    }
    parts.push({ code: cached.code, bare: cached.bare });
  }
  return { files: parts, hasSpecDir: ws.listDir?.(join(root, 'spec')) !== undefined };
}

/** The code with the arguments of every `.except(…)` call removed (parentheses balanced, across lines). */
function withoutExcepts(code: string): string {
  let out = '';
  let from = 0;
  const re = /\.except\s*\(/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    let depth = 1;
    let i = m.index + m[0].length;
    for (; i < code.length && depth > 0; i++) {
      if (code[i] === '(') depth++;
      else if (code[i] === ')') depth--;
    }
    out += code.slice(from, m.index + m[0].length);
    from = i - 1;
    re.lastIndex = i;
  }
  return out + code.slice(from);
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

/** The reads that check this attribute's stored ciphertext. */
export function ciphertextReads(a: EncryptedAttribute): RegExp {
  const name = escapeRegExp(a.name);
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
  return new RegExp(`\\b${escapeRegExp(a.ciphertext)}\\b`);
}

/** Whether a file's code is about this model: its class name, or its underscored name as a word. */
function namesModel(code: string, model: string): boolean {
  const last = model.split('::').pop()!;
  const under = underscorePath(model).split('/').pop()!;
  return new RegExp(`\\b(${escapeRegExp(model)}|${escapeRegExp(last)})\\b|(^|[^\\w.])${escapeRegExp(under)}\\b`).test(code);
}

export interface CoverageView {
  covered(model: string, a: EncryptedAttribute): boolean;
  /** The app has a spec/ folder, so the fix writes RSpec; otherwise Minitest under test/. */
  rspec: boolean;
}

export function coverageOf(ws: Workspace, root: string): CoverageView {
  const suite = suiteOf(ws, root);
  return {
    covered: (model, a) => {
      const needle = a.library === 'active_record' || a.attachment ? a.name : a.ciphertext;
      const reads = ciphertextReads(a);
      // `includes` first: most files never name the attribute, and a plain search is cheaper than the regexes.
      return suite.files.some((f) => f.code.includes(needle) && reads.test(f.code) && namesModel(f.bare, model));
    },
    rspec: suite.hasSpecDir,
  };
}
