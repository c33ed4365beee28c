// The two advisory-lock fixes, offered only for the certain shape: a lock statement, then (after
// optional guard statements) a `try { work } finally { unlock }` in the same block, on one handle.
//  - "Use a transaction-scoped lock": the lock becomes pg_(try_)advisory_xact_lock inside the
//    library's transaction callback, the work moves onto the transaction handle, the unlock goes.
//  - "Hold the lock on a dedicated connection": pg `pool.connect()` / postgres.js `sql.reserve()`
//    around the same code, released in `finally`.

import type { ExecSite } from '../dbhandles/exec-sites';
import { findBinding, type ModuleInfo } from '../dbhandles/modules';
import { forEachDescendant, isFunction } from '../dbhandles/syntax';
import type { SyntaxNode } from '../parser';
import { xactVariant } from '../sql/advisory-locks';
import { field, namedChildren, same } from '../tree';
import { detectEol, indentOf, type LineIndex } from '../text';
import type { Fix } from '../types';

export interface LockShapeInput {
  lock: ExecSite;
  unlocks: readonly ExecSite[];
  text: string;
  lines: LineIndex;
  path: string;
  mod: ModuleInfo;
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

const OPENERS: Partial<Record<string, (r: string, p: string) => string>> = {
  drizzle: (r, p) => `${r}.transaction(async (${p}) => {`,
  postgres: (r, p) => `${r}.begin(async (${p}) => {`,
  prisma: (r, p) => `${r}.$transaction(async (${p}) => {`,
  knex: (r, p) => `${r}.transaction(async (${p}) => {`,
  kysely: (r, p) => `${r}.transaction().execute(async (${p}) => {`,
};

const DEDICATED: Partial<Record<string, { acquire: string; name: string }>> = {
  pg: { acquire: 'connect', name: 'client' },
  postgres: { acquire: 'reserve', name: 'reserved' },
};

export function transactionScopedLockFix(input: LockShapeInput): Fix | undefined {
  const opener = OPENERS[input.lock.handle.library];
  const shape = lockShape(input);
  if (!opener || !shape) return undefined;
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
  const param = freshName(input.text.slice(lockStmt.startIndex, tryStmt.endIndex), input.lock.handle.library === 'drizzle' || input.lock.handle.library === 'postgres' || input.lock.handle.library === 'prisma' ? 'tx' : 'trx');
  const reps = [...receiverReplacements(input.mod, receiver, lockStmt.startIndex, tryStmt.endIndex, param), ...lockRenames(input.lock)];
  const before = indent + splice(input.text, lockStmt.startIndex, tryStmt.startIndex, reps);
  const beforeLines = trimTrailingBlank(before.split(/\r?\n/)).map((l) => (l.trim() ? unit + l : l));
  const innerLines = trimTrailingBlank(splice(input.text, body.startIndex + 1, body.endIndex - 1, reps).split(/\r?\n/));
  if (innerLines.length && !innerLines[0]!.trim()) innerLines.shift();
  const r = receiver.text;
  const head = `${returnsValue ? 'return await' : 'await'} ${opener(r, param)}`;
  const newText = [head, ...beforeLines, ...innerLines, `${indent}});`].join(eol);
  return {
    title: 'Use a transaction-scoped lock',
    isPreferred: true,
    changes: [{ kind: 'edit', path: input.path, edits: [{ range: { start: input.lines.positionAt(lockStmt.startIndex), end: input.lines.positionAt(tryStmt.endIndex) }, newText }] }],
    note:
      input.lock.handle.library === 'prisma'
        ? 'Prisma interactive transactions time out after 5 s by default (timeout option); raise it if the job runs longer.'
        : undefined,
  };
}

export function dedicatedConnectionFix(input: LockShapeInput, preferred: boolean): Fix | undefined {
  const how = DEDICATED[input.lock.handle.library];
  const shape = lockShape(input);
  if (!how || !shape || input.lock.handle.kind !== 'pool') return undefined;
  const { lockStmt, tryStmt, indent, unit, eol, receiver } = shape;
  const name = freshName(input.text.slice(lockStmt.startIndex, tryStmt.endIndex), how.name);
  const reps = receiverReplacements(input.mod, receiver, lockStmt.startIndex, tryStmt.endIndex, name);
  const region = (indent + splice(input.text, lockStmt.startIndex, tryStmt.endIndex, reps)).split(/\r?\n/).map((l) => (l.trim() ? unit + l : l));
  const newText = [
    `const ${name} = await ${receiver.text}.${how.acquire}();`,
    `${indent}try {`,
    ...region,
    `${indent}} finally {`,
    `${indent}${unit}${name}.release();`,
    `${indent}}`,
  ].join(eol);
  return {
    title: 'Hold the lock on a dedicated connection',
    isPreferred: preferred,
    changes: [{ kind: 'edit', path: input.path, edits: [{ range: { start: input.lines.positionAt(lockStmt.startIndex), end: input.lines.positionAt(tryStmt.endIndex) }, newText }] }],
  };
}

/** The lock / guards / try-finally-unlock shape on one plain identifier handle. */
function lockShape(input: LockShapeInput): LockShape | undefined {
  const { lock, unlocks, text, lines } = input;
  const receiver = lock.receiver;
  if (!receiver || receiver.type !== 'identifier') return undefined;
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

/** Every use of the receiver's binding in [start, end) becomes `name`. */
function receiverReplacements(mod: ModuleInfo, receiver: SyntaxNode, start: number, end: number, name: string): Rep[] {
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
