// The two advisory-lock fixes, offered only for the certain shape: a lock statement, then (after
// optional guard statements) a `try { work } finally { unlock }` in the same block, on one handle.
//  - "Use a transaction-scoped lock": the lock becomes pg_(try_)advisory_xact_lock inside the
//    library's transaction callback, the work moves onto the transaction handle, the unlock goes.
//  - "Hold the lock on a dedicated connection": the same code on one connection the library lends
//    (pg `pool.connect()`, postgres.js `sql.reserve()`, drizzle over a pg Pool through `db.$client`,
//    TypeORM `createQueryRunner()`, released in `finally`; Kysely `db.connection()` and pg-promise
//    `db.task()` callbacks).

import type { ExecSite } from '../dbhandles/exec-sites';
import { findBinding, type ModuleInfo } from '../dbhandles/modules';
import { forEachDescendant, isFunction } from '../dbhandles/syntax';
import type { SyntaxNode } from '../parser';
import { xactVariant } from '../sql/advisory-locks';
import { field, namedChildren, same } from '../tree';
import { detectEol, indentOf, type LineIndex } from '../text';
import { compareVersions } from '../knowledge/versions';
import type { Fix, TextEdit } from '../types';

export interface LockShapeInput {
  lock: ExecSite;
  unlocks: readonly ExecSite[];
  text: string;
  lines: LineIndex;
  path: string;
  mod: ModuleInfo;
  /** The version of an npm package the file's package resolves (lockfile, else the lower bound in package.json). */
  version?: (pkg: string) => string | undefined;
}

interface LockShape {
  receiver: SyntaxNode;
  lockStmt: SyntaxNode;
  tryStmt: SyntaxNode;
  block: SyntaxNode;
  indent: string;
  unit: string;
  eol: string;
}

interface Opener {
  open: (r: string, p: string) => string;
  param: string;
}

const OPENERS: Partial<Record<string, Opener>> = {
  drizzle: { open: (r, p) => `${r}.transaction(async (${p}) => {`, param: 'tx' },
  postgres: { open: (r, p) => `${r}.begin(async (${p}) => {`, param: 'tx' },
  prisma: { open: (r, p) => `${r}.$transaction(async (${p}) => {`, param: 'tx' },
  knex: { open: (r, p) => `${r}.transaction(async (${p}) => {`, param: 'trx' },
  kysely: { open: (r, p) => `${r}.transaction().execute(async (${p}) => {`, param: 'trx' },
  'pg-promise': { open: (r, p) => `${r}.tx(async (${p}) => {`, param: 't' },
  lucid: { open: (r, p) => `${r}.transaction(async (${p}) => {`, param: 'trx' },
  typeorm: { open: (r, p) => `${r}.transaction(async (${p}) => {`, param: 'manager' },
};

/** Dedicated connections lent through a callback: the code moves inside it unchanged. */
const DEDICATED_CALLBACK: Partial<Record<string, Opener>> = {
  kysely: { open: (r, p) => `${r}.connection().execute(async (${p}) => {`, param: 'conn' },
  'pg-promise': { open: (r, p) => `${r}.task(async (${p}) => {`, param: 't' },
};

/** Dedicated connections acquired and released around the code: the receiver's uses become `name` (or `wrap`). */
interface Acquire {
  name: string;
  acquire: (r: string, n: string, indent: string) => string[];
  release: (n: string) => string;
  /** drizzle: a db over the dedicated client, declared first inside the try. */
  wrap?: { name: string; over: (n: string) => string; importFrom: string };
}

const DEDICATED: Partial<Record<string, Acquire>> = {
  pg: { name: 'client', acquire: (r, n) => [`const ${n} = await ${r}.connect();`], release: (n) => `${n}.release();` },
  postgres: { name: 'reserved', acquire: (r, n) => [`const ${n} = await ${r}.reserve();`], release: (n) => `${n}.release();` },
  typeorm: {
    name: 'runner',
    acquire: (r, n, indent) => [`const ${n} = ${r}.createQueryRunner();`, `${indent}await ${n}.connect();`],
    release: (n) => `await ${n}.release();`,
  },
};

/** drizzle's `db.$client` (the driver client underneath) exists from 0.34.0 on (claim drizzle.client). */
const DRIZZLE_CLIENT_SINCE = '0.34.0';

export function transactionScopedLockFix(input: LockShapeInput): Fix | undefined {
  const opener = OPENERS[input.lock.handle.library];
  const shape = lockShape(input);
  if (!opener || !shape) return undefined;
  const edit = wrapInCallback(input, shape, opener, true);
  if (!edit) return undefined;
  return {
    title: 'Use a transaction-scoped lock',
    isPreferred: true,
    changes: [{ kind: 'edit', path: input.path, edits: [edit] }],
    note:
      input.lock.handle.library === 'prisma'
        ? 'Prisma interactive transactions time out after 5 s by default (timeout option); raise it if the job runs longer.'
        : undefined,
  };
}

/**
 * Moves the lock / guards / try-finally into `opener`'s callback, the receiver's uses becoming its
 * parameter. `transactional`: the lock becomes its _xact_ twin and the unlock goes (the commit releases it).
 */
function wrapInCallback(input: LockShapeInput, shape: LockShape, opener: Opener, transactional: boolean): TextEdit | undefined {
  const { lockStmt, tryStmt, block, indent, unit, eol, receiver } = shape;
  // The try must end the function body, so returning from the callback returns from the function.
  const stmts = namedChildren(block);
  if (!same(stmts[stmts.length - 1], tryStmt) || !block.parent || !isFunction(block.parent) || field(tryStmt, 'handler')) return undefined;
  const body = field(tryStmt, 'body');
  if (!body) return undefined;
  let returnsValue = false;
  let yields = false;
  forEachDescendant(
    block,
    (n) => {
      if (n.startIndex < lockStmt.startIndex) return;
      if (n.type === 'return_statement' && namedChildren(n).length > 0) returnsValue = true;
      if (n.type === 'yield_expression') yields = true;
    },
    (n) => isFunction(n),
  );
  if (yields) return undefined;
  const param = freshName(input.text.slice(lockStmt.startIndex, tryStmt.endIndex), opener.param);
  const reps = [...receiverReplacements(input.mod, receiver, lockStmt.startIndex, tryStmt.endIndex, param), ...(transactional ? lockRenames(input.lock) : [])];
  const r = receiver.text;
  const head = `${returnsValue ? 'return await' : 'await'} ${opener.open(r, param)}`;
  let newText: string;
  if (transactional) {
    const before = indent + splice(input.text, lockStmt.startIndex, tryStmt.startIndex, reps);
    const beforeLines = trimTrailingBlank(before.split(/\r?\n/)).map((l) => (l.trim() ? unit + l : l));
    const innerLines = trimTrailingBlank(splice(input.text, body.startIndex + 1, body.endIndex - 1, reps).split(/\r?\n/));
    if (innerLines.length && !innerLines[0]!.trim()) innerLines.shift();
    newText = [head, ...beforeLines, ...innerLines, `${indent}});`].join(eol);
  } else {
    const region = (indent + splice(input.text, lockStmt.startIndex, tryStmt.endIndex, reps)).split(/\r?\n/).map((l) => (l.trim() ? unit + l : l));
    newText = [head, ...region, `${indent}});`].join(eol);
  }
  return { range: { start: input.lines.positionAt(lockStmt.startIndex), end: input.lines.positionAt(tryStmt.endIndex) }, newText };
}

export function dedicatedConnectionFix(input: LockShapeInput, preferred: boolean): Fix | undefined {
  const shape = lockShape(input);
  const { library, kind } = input.lock.handle;
  if (!shape || kind !== 'pool') return undefined;
  const title = 'Hold the lock on a dedicated connection';
  const callback = DEDICATED_CALLBACK[library];
  if (callback) {
    const edit = wrapInCallback(input, shape, callback, false);
    return edit ? { title, isPreferred: preferred, changes: [{ kind: 'edit', path: input.path, edits: [edit] }] } : undefined;
  }
  const how = library === 'drizzle' ? drizzleDedicated(input) : DEDICATED[library];
  if (!how) return undefined;
  const { lockStmt, tryStmt, indent, unit, eol, receiver } = shape;
  const regionText = input.text.slice(lockStmt.startIndex, tryStmt.endIndex);
  const name = freshName(regionText, how.name);
  const wrapName = how.wrap ? freshName(regionText, how.wrap.name) : undefined;
  const reps = receiverReplacements(input.mod, receiver, lockStmt.startIndex, tryStmt.endIndex, wrapName ?? name);
  const region = (indent + splice(input.text, lockStmt.startIndex, tryStmt.endIndex, reps)).split(/\r?\n/).map((l) => (l.trim() ? unit + l : l));
  const acquireFrom = how.wrap ? `${receiver.text}.$client` : receiver.text;
  const newText = [
    ...how.acquire(acquireFrom, name, indent).map((l, i) => (i === 0 ? l : l)),
    `${indent}try {`,
    ...(how.wrap && wrapName ? [`${indent}${unit}const ${wrapName} = ${how.wrap.over(name)};`] : []),
    ...region,
    `${indent}} finally {`,
    `${indent}${unit}${how.release(name)}`,
    `${indent}}`,
  ].join(eol);
  const edits: TextEdit[] = [{ range: { start: input.lines.positionAt(lockStmt.startIndex), end: input.lines.positionAt(tryStmt.endIndex) }, newText }];
  if (how.wrap) {
    const imp = drizzleImport(input, how.wrap.importFrom, eol);
    if (imp === null) return undefined;
    if (imp) edits.unshift(imp);
  }
  return { title, isPreferred: preferred, changes: [{ kind: 'edit', path: input.path, edits }] };
}

/** drizzle over a pg Pool: a dedicated client through `db.$client.connect()`, and a drizzle db over it. */
function drizzleDedicated(input: LockShapeInput): Acquire | undefined {
  const { client, driver } = input.lock.handle;
  const version = input.version?.('drizzle-orm');
  if (!version || compareVersions(version, DRIZZLE_CLIENT_SINCE) < 0) return undefined;
  if (client?.library === 'pg' && (driver === 'node-postgres' || driver === '')) {
    return { ...DEDICATED.pg!, wrap: { name: 'lockDb', over: (n) => `drizzle(${n})`, importFrom: 'drizzle-orm/node-postgres' } };
  }
  // Not over postgres.js: drizzle(reserved) throws (a reserved connection has no `options`), as the
  // Postgres integration test showed; the transaction-scoped fix covers that driver.
  return undefined;
}

/** The import of `drizzle` from the driver: none needed when already there, null when the name is taken otherwise. */
function drizzleImport(input: LockShapeInput, from: string, eol: string): TextEdit | null | undefined {
  const bound = input.mod.imports.get('drizzle');
  if (bound) return bound.source === from && bound.imported === 'drizzle' ? undefined : null;
  if (input.mod.root.descendantsOfType('identifier').some((id) => id?.text === 'drizzle')) return null;
  const imports = namedChildren(input.mod.root).filter((n) => n.type === 'import_statement');
  const last = imports[imports.length - 1];
  if (!last) return null;
  const quote = /^\s*import[^'"]*(['"])/.exec(last.text)?.[1] ?? "'";
  const semi = last.text.trimEnd().endsWith(';') ? ';' : '';
  const at = input.lines.positionAt(last.endIndex);
  return { range: { start: at, end: at }, newText: `${eol}import { drizzle } from ${quote}${from}${quote}${semi}` };
}

/** The lock / guards / try-finally-unlock shape on one plain identifier handle. */
function lockShape(input: LockShapeInput): LockShape | undefined {
  const { lock, unlocks, text, lines } = input;
  const receiver = lock.receiver;
  if (!receiver || !(receiver.type === 'identifier' || isThisMember(receiver))) return undefined;
  if (lock.calls.length !== 1 || lock.calls[0]!.action !== 'lock' || lock.calls[0]!.scope !== 'session') return undefined;
  const lockStmt = statementOf(lock.call);
  const block = lockStmt?.parent;
  if (!lockStmt || !block) return undefined;
  const later = namedChildren(block).filter((s) => s.startIndex > lockStmt.startIndex);
  const tryStmt = later.find((s) => s.type === 'try_statement');
  if (!tryStmt) return undefined;
  const finalBody = field(field(tryStmt, 'finalizer') ?? tryStmt, 'body');
  const finalStmts = finalBody && finalBody.type === 'statement_block' ? namedChildren(finalBody) : [];
  if (finalStmts.length !== 1) return undefined;
  const unlock = unlocks.find((u) => u.call.startIndex >= finalStmts[0]!.startIndex && u.call.endIndex <= finalStmts[0]!.endIndex);
  if (!unlock || unlock.receiver?.text !== receiver.text || unlock.calls.some((c) => c.action !== 'unlock' || c.scope !== 'session')) return undefined;
  // Another lock or unlock in between would change meaning.
  if (later.some((s) => s.startIndex < tryStmt.startIndex && /advisory_/i.test(s.text))) return undefined;
  const indent = indentOf(lines.lineText(lines.positionAt(lockStmt.startIndex).line));
  if (text.slice(text.lastIndexOf('\n', lockStmt.startIndex - 1) + 1, lockStmt.startIndex) !== indent) return undefined;
  const body = field(tryStmt, 'body');
  const first = body ? namedChildren(body)[0] : undefined;
  const inner = first ? indentOf(lines.lineText(lines.positionAt(first.startIndex).line)) : '';
  const unit = inner.startsWith(indent) && inner.length > indent.length ? inner.slice(indent.length) : indent.includes('\t') ? '\t' : '  ';
  return { receiver, lockStmt, tryStmt, block, indent, unit, eol: detectEol(text) };
}

function statementOf(node: SyntaxNode): SyntaxNode | undefined {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    if (n.parent?.type === 'statement_block') return n;
    if (n.parent && isFunction(n.parent)) return undefined;
  }
  return undefined;
}

interface Rep {
  start: number;
  end: number;
  text: string;
}

/** `this.db`: a receiver the fixes can rename by its text (no binding to follow). */
function isThisMember(n: SyntaxNode): boolean {
  return n.type === 'member_expression' && field(n, 'object')?.type === 'this' && field(n, 'property')?.type === 'property_identifier';
}

/** Every use of the receiver's binding in [start, end) becomes `name`. */
function receiverReplacements(mod: ModuleInfo, receiver: SyntaxNode, start: number, end: number, name: string): Rep[] {
  if (isThisMember(receiver)) {
    const reps: Rep[] = [];
    forEachDescendant(mod.root, (n) => {
      if (n.startIndex >= start && n.endIndex <= end && n.type === 'member_expression' && n.text === receiver.text && isThisMember(n)) reps.push({ start: n.startIndex, end: n.endIndex, text: name });
    }, (n) => n.endIndex <= start || n.startIndex >= end);
    return reps;
  }
  const target = findBinding(mod, receiver);
  const key = (b: ReturnType<typeof findBinding>): string =>
    !b ? '' : b.kind === 'import' ? `import:${b.binding.source}:${b.binding.imported}` : b.kind === 'param' ? `param:${b.fn.id}:${b.index}` : b.kind === 'variable' ? `var:${b.declarator.id}` : b.kind === 'function' ? `fn:${b.fn.id}` : `class:${b.cls.id}`;
  const want = key(target);
  const reps: Rep[] = [];
  const block = statementOf(receiver)?.parent;
  if (!block) return reps;
  for (const stmt of namedChildren(block)) {
    if (stmt.endIndex <= start || stmt.startIndex >= end) continue;
    for (const id of stmt.descendantsOfType('identifier')) {
      if (!id || id.text !== receiver.text || id.startIndex < start || id.endIndex > end) continue;
      if (key(findBinding(mod, id)) === want) reps.push({ start: id.startIndex, end: id.endIndex, text: name });
    }
  }
  return reps;
}

function lockRenames(site: ExecSite): Rep[] {
  const reps: Rep[] = [];
  const re = /\bpg_(try_)?advisory_lock(_shared)?(?=\s*\()/gi;
  for (const m of site.sqlNode.text.matchAll(re)) {
    const renamed = xactVariant(m[0]);
    if (renamed) reps.push({ start: site.sqlNode.startIndex + m.index, end: site.sqlNode.startIndex + m.index + m[0].length, text: renamed });
  }
  return reps;
}

function splice(text: string, start: number, end: number, reps: readonly Rep[]): string {
  let out = '';
  let at = start;
  for (const r of [...reps].filter((r) => r.start >= start && r.end <= end).sort((a, b) => a.start - b.start)) {
    out += text.slice(at, r.start) + r.text;
    at = r.end;
  }
  return out + text.slice(at, end);
}

function trimTrailingBlank(lines: string[]): string[] {
  const out = [...lines];
  while (out.length && !out[out.length - 1]!.trim()) out.pop();
  return out;
}

function freshName(region: string, base: string): string {
  for (let i = 0; ; i++) {
    const name = i ? `${base}${i + 1}` : base;
    if (!new RegExp(`\\b${name}\\b`).test(region)) return name;
  }
}
