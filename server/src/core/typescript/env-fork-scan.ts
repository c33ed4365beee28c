// Finds secret-bearing TypeScript/JavaScript settings whose value depends on NODE_ENV: value forks
// (`isTest ? undefined : secrets.get("stripe")`), `if (process.env.NODE_ENV === "production") {…}`
// guards, `switch (process.env.NODE_ENV)`, and `if (env !== "production") return` before the assignment.

import { and, not, type EnvCondition, type ForkedSetting } from '../envfork/model';
import { linkCandidate, resolveForks, type Candidate, type Guard } from '../envfork/resolve';
import type { SyntaxNode } from '../parser';
import type { UnitFacts } from '../rule';
import { withOutside } from '../ruby/env-fork-scan';
import { field, namedChildren, same } from '../tree';
import { stringValue, TsConditions, unwrapTs } from './env-conditions';
import { TsValues } from './values';

/** Test doubles: a nil side that sets one up routes around infrastructure. */
/** Enclosing nodes looked at for guards; real code nests a handful. */
const MAX_GUARD_DEPTH = 256;
const TEST_DOUBLE = /\b(Mock|Fake|InMemory|Stub)[A-Z]\w*|\b(jest|vi)\.fn\(|jsonTransport|streamTransport|createTestAccount|nock\(|msw\b|ioredis-mock|redis-mock/;

const FUNCTIONS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'function']);
const FORKABLE = new Set(['ternary_expression', 'binary_expression', 'parenthesized_expression']);

export class TsEnvForkScan {
  private readonly conditions = new TsConditions();
  private readonly values = new TsValues(this.conditions);
  private readonly candidates: Candidate[] = [];
  /** The group being judged, to which incremental analysis attributes the names and bindings read. */
  private current: readonly Candidate[] | undefined;

  constructor(private readonly units?: UnitFacts) {
    if (units) {
      this.conditions.onNote = (name) => this.current?.forEach((c) => units.global(c.assignment, `env:${name}`));
      this.conditions.onLookup = (name) => this.current?.forEach((c) => units.use(c.assignment, `const:${name}`));
    }
  }

  /** Feed `variable_declarator`, `assignment_expression`, `augmented_assignment_expression` and `pair` nodes. */
  add(node: SyntaxNode): void {
    if (node.type === 'variable_declarator') {
      const name = field(node, 'name');
      const value = field(node, 'value');
      if (name?.type === 'identifier' && value && node.parent?.text.startsWith('const')) {
        this.conditions.bindings.set(name.text, value);
        this.units?.provide(node, `const:${name.text}`);
      }
    }
    const c = candidateOf(node);
    if (c) {
      this.candidates.push(c);
      linkCandidate(this.units, c);
    }
  }

  finish(): ForkedSetting[] {
    return resolveForks(this.candidates, {
      guardsOf: (node) => this.guardsOf(node),
      evaluate: (node, env) => this.values.evaluate(node, env),
      customEnvs: () => withOutside(this.conditions.custom, this.units),
      assignedElsewhere: () => false,
      testDouble: TEST_DOUBLE,
      enterGroup: (group) => {
        this.current = group;
        for (const c of group ?? []) this.units?.link(c.assignment, `qualified:${c.qualified}`);
      },
    });
  }

  /** Undefined (not judged) when nested deeper than real code; see the Ruby scan's guardsOf. */
  private guardsOf(node: SyntaxNode): Guard[] | undefined {
    const guards: Guard[] = [];
    let child = node;
    let parent = node.parent;
    for (let depth = 0; parent; depth++) {
      if (depth > MAX_GUARD_DEPTH) return undefined;
      const g = this.branchGuard(parent, child);
      if (g) guards.push(g);
      if (parent.type === 'statement_block' || parent.type === 'program') guards.push(...this.earlyReturns(parent, child));
      if (FUNCTIONS.has(parent.type) || parent.type === 'program') break;
      child = parent;
      parent = parent.parent;
    }
    return guards;
  }

  private branchGuard(parent: SyntaxNode, child: SyntaxNode): Guard | undefined {
    const cond = field(parent, 'condition');
    if (parent.type === 'if_statement' || parent.type === 'ternary_expression') {
      if (!cond || same(cond, child)) return undefined;
      const c = this.conditions.condition(cond);
      const inConsequence = same(field(parent, 'consequence'), child);
      const other = field(parent, inConsequence ? 'alternative' : 'consequence');
      return { node: parent, condition: inConsequence ? c : not(c), kind: 'guard', ...(other ? { otherBranch: other } : {}) };
    }
    if (parent.type === 'switch_case' || parent.type === 'switch_default') {
      const sw = parent.parent?.parent;
      const subject = sw ? field(sw, 'value') : undefined;
      if (!sw || !subject || !this.conditions.isEnvName(subject)) return undefined;
      const cases = namedChildren(parent.parent!).filter((c) => c.type === 'switch_case');
      const names = cases.map((c) => stringValue(field(c, 'value')));
      if (names.some((n) => n === undefined)) return undefined;
      if (parent.type === 'switch_case') {
        // Fall-through: empty cases just above share this case's body.
        const idx = cases.findIndex((c) => same(c, parent));
        const mine = [names[idx] as string];
        for (let i = idx - 1; i >= 0 && isEmptyCase(cases[i]!); i--) mine.push(names[i] as string);
        return { node: sw, condition: (env) => mine.includes(env), kind: 'guard' };
      }
      return { node: sw, condition: (env) => !names.includes(env), kind: 'guard' };
    }
    return undefined;
  }

  /** `if (cond) return;` / `if (cond) { return; }` / `if (cond) throw …` before `stmt` in the same block. */
  private earlyReturns(block: SyntaxNode, stmt: SyntaxNode): Guard[] {
    // Collected once per block: asking per declaration made a block of n settings cost n².
    let all = this.earlyReturnsByBlock.get(block.id);
    if (!all) this.earlyReturnsByBlock.set(block.id, (all = this.collectEarlyReturns(block)));
    // At program level an early return guards every later statement: no unit stands on its own.
    if (all.length && block.type === 'program') this.units?.wholeFile();
    const before = all.filter((g) => g.node.startIndex < stmt.startIndex);
    const first = before[0];
    return first ? [{ node: first.node, condition: before.map((g) => g.condition).reduce(and), kind: 'early-return' }] : [];
  }

  private readonly earlyReturnsByBlock = new Map<number, { node: SyntaxNode; condition: EnvCondition }[]>();

  private collectEarlyReturns(block: SyntaxNode): { node: SyntaxNode; condition: EnvCondition }[] {
    const out: { node: SyntaxNode; condition: EnvCondition }[] = [];
    for (const s of namedChildren(block)) {
      if (s.type !== 'if_statement' || field(s, 'alternative')) continue;
      const cons = field(s, 'consequence');
      const body = cons?.type === 'statement_block' ? namedChildren(cons) : cons ? [cons] : [];
      if (body.length !== 1 || (body[0]?.type !== 'return_statement' && body[0]?.type !== 'throw_statement')) continue;
      const cond = field(s, 'condition');
      if (!cond) continue;
      out.push({ node: s, condition: not(this.conditions.condition(cond)) });
    }
    return out;
  }
}

/** Program-level `if (…) return/throw`: it guards every later statement. */
export function tsBarrier(type: string, node: () => SyntaxNode): boolean {
  return type === 'if_statement' && /\b(return|throw)\b/.test(node().text);
}

function isEmptyCase(c: SyntaxNode): boolean {
  const value = field(c, 'value');
  return namedChildren(c).every((s) => same(s, value));
}

function candidateOf(node: SyntaxNode): Candidate | undefined {
  switch (node.type) {
    case 'variable_declarator': {
      const name = field(node, 'name');
      const value = field(node, 'value');
      if (name?.type !== 'identifier' || !value) return undefined;
      return { assignment: node, target: name, valueNode: value, name: name.text, qualified: name.text };
    }
    case 'assignment_expression':
    case 'augmented_assignment_expression': {
      if (node.type === 'augmented_assignment_expression' && !['??=', '||='].includes(field(node, 'operator')?.type ?? '')) return undefined;
      const left = field(node, 'left');
      const right = field(node, 'right');
      if (!left || !right || !['identifier', 'member_expression', 'subscript_expression'].includes(left.type)) return undefined;
      const name = left.text.replace(/\s+/g, '');
      return { assignment: node, target: left, valueNode: right, name, qualified: name };
    }
    case 'pair': {
      const key = field(node, 'key');
      const value = field(node, 'value');
      if (!key || !value || !FORKABLE.has(unwrapTs(value).type)) return undefined;
      const k = key.type === 'property_identifier' ? key.text : stringValue(key);
      if (k === undefined) return undefined;
      const owner = ownerName(node);
      const name = owner ? `${owner}.${k}` : k;
      return { assignment: node, target: key, valueNode: value, name, qualified: name };
    }
    default:
      return undefined;
  }
}

/** `stripe` in `const stripe = { apiKey: … }` or `new Stripe({ apiKey })` → owner for the pair's name. */
function ownerName(pair: SyntaxNode): string | undefined {
  const obj = pair.parent;
  const holder = obj?.parent;
  if (!holder) return undefined;
  if (holder.type === 'variable_declarator') return field(holder, 'name')?.text;
  if (holder.type === 'pair') {
    const k = field(holder, 'key');
    return k ? (ownerName(holder) ? `${ownerName(holder)}.${k.text}` : k.text) : undefined;
  }
  if (holder.type === 'arguments') {
    const call = holder.parent;
    const fn = call ? field(call, call.type === 'new_expression' ? 'constructor' : 'function') : undefined;
    return fn?.text.replace(/\s+/g, '');
  }
  return undefined;
}
