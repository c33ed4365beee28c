// Finds secret-bearing Ruby settings whose value depends on the Rails environment: value forks
// (`Rails.env.test? ? nil : Chamber.dig(...)`), guards (`if Rails.env.production?` blocks and
// modifiers, `case Rails.env`), early `return if Rails.env...` at the top of a file, and the
// environment file itself (config/environments/production.rb runs in production only). Besides
// assignments, a configuring call whose arguments carry secrets (`Geocoder.configure(api_key: …)`)
// and a value built from secrets (`Twilio::REST::Client.new(sid, token)`) are settings too.

import { and, not, type EnvCondition, type ForkedSetting } from '../envfork/model';
import { linkCandidate, resolveForks, type Candidate, type Guard } from '../envfork/resolve';
import type { SyntaxNode } from '../parser';
import type { UnitFacts } from '../rule';
import { EnvNames, isEnvName } from './env-conditions';
import { callParts, field, literalString, namedChildren, same, unparen } from './syntax';
import { rubyLookup, RubyValues } from './values';
import { isSecretName } from '../secrets/vocabulary';
import type { Lookup } from '../envfork/model';

/** Test doubles and test backends: a fork whose nil side sets one up routes around infrastructure. */
export const TEST_DOUBLE =
  /Mock(?=[A-Z_]|\b)\w*|\bmock_\w+|Fake(?=[A-Z_])\w*|Sidekiq::Testing|Sidekiq\.testing!|delivery_method\s*=\s*:test|WebMock|stub_responses|adapter:\s*:?["']?test\b|:null_store|Flipper::Adapters::Memory|lookup:\s*:test\b|:lookup\s*=>\s*:test\b|Lookup::Test|\bstorage\s+:file\b|storage\s*=\s*:file\b|config\.enable_processing\s*=\s*false|Fog\.mock!/;

/** A configuring call that selects a remote storage backend (Paperclip, CarrierWave, Shrine, Dragonfly options). */
export const REMOTE_BACKEND = /\b(storage|service)\s*(:|=>|=)\s*:?["']?(s3|fog|aws|aws_s3|amazon|gcs|google|google_cloud|azure|azure_storage|cloudinary)\b/;

/** Where a call statement can sit: the parents of a statement, or the body of a modifier. */
const STATEMENT_PARENTS = new Set(['program', 'body_statement', 'then', 'else', 'begin', 'do_block', 'block', 'block_body', 'if_modifier', 'unless_modifier', 'parenthesized_statements']);
/** How deep to look into arguments for a secret (`Aws::Credentials.new(ENV[…])` inside a hash). */
const MAX_ARGUMENT_DEPTH = 6;

const DEFERRED = new Set(['method', 'singleton_method', 'lambda']);
/** Enclosing nodes looked at for guards; real initializers nest a handful. */
const MAX_GUARD_DEPTH = 256;
const CONFIG_BLOCK_METHODS = new Set(['configure', 'setup', 'init', 'config', 'configuration']);

export class RubyEnvForkScan {
  private readonly names = new EnvNames();
  private readonly values = new RubyValues(this.names);
  private readonly candidates: Candidate[] = [];

  /**
   * `fileEnv`: the environment a config/environments/<env>.rb file runs in. `calls`: whether configuring
   * calls and built values count (in config/, where a call at load time configures a library; in app
   * code the same shapes are ordinary calls).
   */
  /** The group being judged, to which incremental analysis attributes the environment names read. */
  private current: readonly Candidate[] | undefined;

  constructor(
    private readonly fileEnv?: string,
    private readonly calls = true,
    private readonly units?: UnitFacts,
  ) {
    if (fileEnv) this.names.note(fileEnv);
    // An environment file is one fork over the whole file (its nil branch is the configuration block).
    if (fileEnv) units?.wholeFile();
    if (units) this.names.onNote = (name) => this.current?.forEach((c) => units.global(c.assignment, `env:${name}`));
  }

  /** Feed `assignment`, `operator_assignment`, `pair` and `call` nodes. */
  add(node: SyntaxNode): void {
    if (node.type === 'call' && !this.calls) return;
    const c = node.type === 'pair' ? pairCandidate(node) : node.type === 'call' ? callCandidate(node) : assignmentCandidate(node, this.calls);
    // In app code a fork inside a method is runtime behaviour (a send guard that sets the key and calls
    // the API in one branch), not configuration: only what runs when the file loads is a setting.
    if (c && !this.calls && insideMethod(c.assignment)) return;
    if (c) {
      this.candidates.push(c);
      linkCandidate(this.units, c);
    }
  }

  /** Settings that are nil or unassigned in some environment and real in another. */
  finish(assignedElsewhere: (qualified: string, env: string) => boolean): ForkedSetting[] {
    return resolveForks(this.candidates, {
      guardsOf: (node) => this.guardsOf(node),
      evaluate: (node, env) => this.values.evaluate(node, env),
      customEnvs: () => withOutside(this.names.custom, this.units),
      assignedElsewhere,
      testDouble: TEST_DOUBLE,
      remoteBackend: REMOTE_BACKEND,
      enterGroup: (group) => {
        this.current = group;
        for (const c of group ?? []) this.units?.link(c.assignment, `qualified:${c.qualified}`);
      },
    });
  }

  /**
   * Settings read straight from credentials at load time under no fork
   * (`config.pepper = Rails.application.credentials.dig(:devise, :pepper)`): the same in every
   * environment, so what each one gets depends on its credentials file alone.
   */
  credentialReads(): CredentialRead[] {
    if (this.fileEnv) return [];
    const out: CredentialRead[] = [];
    for (const c of this.candidates) {
      if ((c.kind ?? 'setting') !== 'setting' || c.assignment.type !== 'assignment') continue;
      const lookup = rubyLookup(unparen(c.valueNode));
      if (lookup?.source !== 'credentials') continue;
      const last = c.name.split(/[.:]/).pop() ?? '';
      if (!isSecretName(last) && !isSecretName(lookup.path.join('_'))) continue;
      if (!runsAtLoad(c.assignment)) continue;
      const guards = this.guardsOf(c.assignment);
      if (!guards || guards.length > 0) continue;
      out.push({ name: c.name, qualified: c.qualify?.() ?? c.qualified, target: c.target, lookup });
    }
    return out;
  }

  /**
   * The env conditions under which a statement runs: enclosing branches and earlier early returns.
   * Undefined (the statement is not judged) when it is nested deeper than any real code: each
   * `parent` step costs tree-sitter a descent from the root, so a generated file with thousands of
   * nested blocks would otherwise take minutes.
   */
  private guardsOf(node: SyntaxNode): Guard[] | undefined {
    const guards: Guard[] = [];
    let child = node;
    let parent = node.parent;
    for (let depth = 0; parent; depth++) {
      if (depth > MAX_GUARD_DEPTH) return undefined;
      if (DEFERRED.has(parent.type)) break;
      const g = this.branchGuard(parent, child);
      if (g) guards.push(g);
      if (parent.type === 'program') {
        guards.push(...this.earlyReturns(parent, child));
        const env = this.fileEnv;
        if (env) guards.push({ node: parent, condition: (e) => e === env, kind: 'env-file' });
        break;
      }
      child = parent;
      parent = parent.parent;
    }
    return guards;
  }

  private branchGuard(parent: SyntaxNode, child: SyntaxNode): Guard | undefined {
    const cond = field(parent, 'condition');
    switch (parent.type) {
      case 'if':
      case 'elsif':
      case 'unless': {
        if (!cond || same(cond, child)) return undefined;
        const c = this.values.condition(cond);
        const inConsequence = same(field(parent, 'consequence'), child);
        const positive = parent.type === 'unless' ? !inConsequence : inConsequence;
        const other = inConsequence ? field(parent, 'alternative') : field(parent, 'consequence');
        return { node: parent, condition: positive ? c : not(c), kind: 'guard', ...(other ? { otherBranch: other } : {}) };
      }
      case 'if_modifier':
      case 'unless_modifier': {
        if (!cond || same(cond, child)) return undefined;
        const c = this.values.condition(cond);
        return { node: parent, condition: parent.type === 'if_modifier' ? c : not(c), kind: 'modifier' };
      }
      case 'conditional': {
        if (!cond || same(cond, child)) return undefined;
        const c = this.values.condition(cond);
        const inConsequence = same(field(parent, 'consequence'), child);
        const other = inConsequence ? field(parent, 'alternative') : field(parent, 'consequence');
        return { node: parent, condition: inConsequence ? c : not(c), kind: 'guard', ...(other ? { otherBranch: other } : {}) };
      }
      case 'when':
      case 'else': {
        const kase = parent.parent;
        if (kase?.type !== 'case') return undefined;
        const subject = field(kase, 'value');
        if (!subject || !isEnvName(subject)) return undefined;
        const condition = this.caseCondition(kase, parent);
        return condition ? { node: kase, condition, kind: 'guard' } : undefined;
      }
      default:
        return undefined;
    }
  }

  private caseCondition(kase: SyntaxNode, clause: SyntaxNode): EnvCondition | undefined {
    const whenNames: string[][] = [];
    for (const w of namedChildren(kase).filter((c) => c.type === 'when')) {
      const names = w.childrenForFieldName('pattern').map((p) => (p ? literalString(namedChildren(p)[0] ?? p) : undefined));
      if (names.some((s) => s === undefined)) return undefined;
      whenNames.push(names as string[]);
      names.forEach((s) => this.names.note(s as string));
    }
    if (clause.type === 'when') {
      const names = clause.childrenForFieldName('pattern').map((p) => (p ? literalString(namedChildren(p)[0] ?? p) : undefined)) as string[];
      return (env) => names.includes(env);
    }
    return (env) => !whenNames.some((names) => names.includes(env));
  }

  /** `return if Rails.env.test?` (or `unless`, or an `if … return end` block) before `stmt` at top level. */
  private earlyReturns(program: SyntaxNode, stmt: SyntaxNode): Guard[] {
    // Collected once per program: asking per assignment made a file of n settings cost n².
    let all = this.earlyReturnsByProgram.get(program.id);
    if (!all) this.earlyReturnsByProgram.set(program.id, (all = this.collectEarlyReturns(program)));
    // An early return guards every later statement: no unit stands on its own.
    if (all.length) this.units?.wholeFile();
    const out = all.filter((g) => g.node.startIndex < stmt.startIndex);
    return out.length > 1 ? [{ node: out[0]!.node, condition: out.map((g) => g.condition).reduce(and), kind: 'early-return' }] : out;
  }

  private readonly earlyReturnsByProgram = new Map<number, Guard[]>();

  private collectEarlyReturns(program: SyntaxNode): Guard[] {
    const out: Guard[] = [];
    for (const s of namedChildren(program)) {
      let cond: SyntaxNode | undefined;
      let negate = false;
      if ((s.type === 'if_modifier' || s.type === 'unless_modifier') && field(s, 'body')?.type === 'return') {
        cond = field(s, 'condition');
        negate = s.type === 'unless_modifier';
      } else if ((s.type === 'if' || s.type === 'unless') && !field(s, 'alternative')) {
        const body = field(s, 'consequence');
        const stmts = body ? namedChildren(body) : [];
        if (stmts.length === 1 && stmts[0]?.type === 'return') {
          cond = field(s, 'condition');
          negate = s.type === 'unless';
        }
      }
      if (!cond) continue;
      const c = this.values.condition(cond);
      // Runs only where the return does not fire.
      out.push({ node: s, condition: negate ? c : not(c), kind: 'early-return' });
    }
    return out;
  }
}

/** A setting read from credentials under no fork (RubyEnvForkScan.credentialReads). */
export interface CredentialRead {
  name: string;
  qualified: string;
  target: SyntaxNode;
  lookup: Lookup;
}

/** The custom environment names of the file: its own, and those of the units incremental analysis left alone. */
export function withOutside(own: ReadonlySet<string>, units: UnitFacts | undefined): Set<string> {
  const all = new Set(own);
  for (const g of units?.outside() ?? []) if (g.startsWith('env:')) all.add(g.slice(4));
  return all;
}

/** Program-level statements that may be early returns (`return if Rails.env.test?`): they guard all that follows. */
export function rubyBarrier(type: string, node: () => SyntaxNode): boolean {
  return (type === 'if' || type === 'unless' || type === 'if_modifier' || type === 'unless_modifier') && /\breturn\b/.test(node().text);
}

/** `RTurk.setup(key, secret)`, `Geocoder.configure(api_key: …)`: a statement-level call on a receiver with a secret argument. */
function callCandidate(node: SyntaxNode): Candidate | undefined {
  // Children first: `parent` costs a descent from the root, and most calls (`Rails.env.test?`) have no arguments.
  const receiver = field(node, 'receiver');
  const method = field(node, 'method');
  const args = field(node, 'arguments');
  const block = field(node, 'block');
  if (!receiver || !method || (!args && !block)) return undefined;
  // The secrets may be in the arguments or in the block the call installs (`Sidekiq::Web.use(Rack::Auth::Basic) do … ENV["…_PASSWORD"] … end`).
  // A configuration block (`Rails.application.configure do`, `X.setup do |config|`) holds assignments judged on their own.
  const blockSecret = block && args && !CONFIG_BLOCK_METHODS.has(method.text) ? secretArgument(block, 0, true) : undefined;
  const secret = (args ? secretArgument(args, 0) : undefined) ?? blockSecret;
  if (!secret) return undefined;
  const parent = node.parent;
  if (!parent || !STATEMENT_PARENTS.has(parent.type)) return undefined;
  if ((parent.type === 'if_modifier' || parent.type === 'unless_modifier') && !same(field(parent, 'body'), node)) return undefined;
  if (!runsAtLoad(node)) return undefined;
  const name = `${receiver.text.replace(/\s+/g, '')}.${method.text}`;
  return { assignment: node, target: method, valueNode: node, name, qualified: name, kind: 'call', secret };
}

/**
 * The first secret among arguments: a lookup with a secret key path (`ENV["RTURK_SECRET"]`), a pair
 * with a secret key (`api_key: …`), or a variable with a secret name (`token`), looked for a few
 * levels down (`credentials: Aws::Credentials.new(ENV[…], ENV[…])`). Names only, never values.
 */
function secretArgument(node: SyntaxNode, depth: number, lookupsOnly = false): Lookup | undefined {
  if (depth > MAX_ARGUMENT_DEPTH) return undefined;
  for (const child of namedChildren(node)) {
    const n = unparen(child);
    const lookup = rubyLookup(n);
    if (lookup) {
      if (isSecretName(lookup.path.join('_'))) return lookup;
      continue;
    }
    // Inside a block only reads of a secret store count: its locals are the block's own business.
    if (lookupsOnly) {
      const found = secretArgument(n, depth + 1, true);
      if (found) return found;
      continue;
    }
    if (n.type === 'pair') {
      const key = literalString(field(n, 'key'));
      const value = field(n, 'value');
      if (key !== undefined && value && isSecretName(key) && !LITERAL_VALUE.has(unparen(value).type)) return rubyLookup(unparen(value)) ?? { source: 'call', path: [key], display: key };
    } else if ((n.type === 'identifier' || n.type === 'constant') && !GENERIC_NAMES.has(n.text.toLowerCase()) && isSecretName(n.text)) {
      return { source: 'call', path: [n.text.toLowerCase()], display: n.text };
    }
    const found = secretArgument(n, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Blocks whose body runs while the app boots: configuration blocks and boot hooks. */
const LOAD_TIME_BLOCKS = new Set([
  ...CONFIG_BLOCK_METHODS,
  'after_initialize',
  'before_initialize',
  'to_prepare',
  'on_load',
  'class_eval',
  // The routing DSL runs while routes are drawn.
  'draw',
  'scope',
  'namespace',
  'constraints',
  'authenticate',
  'authenticated',
  'resources',
  'resource',
  'concern',
  'controller',
  'defaults',
]);

/**
 * Whether a call statement runs when its file is loaded: not inside a method, a lambda, or a block
 * handed to some other call (`mclb.cache = proc do |payload| … end` runs later, and maybe never).
 */
function runsAtLoad(node: SyntaxNode): boolean {
  for (let p = node.parent, depth = 0; p && depth <= MAX_GUARD_DEPTH; p = p.parent, depth++) {
    if (p.type === 'program') return true;
    if (DEFERRED.has(p.type)) return false;
    if (p.type === 'do_block' || p.type === 'block') {
      const call = p.parent;
      const method = call?.type === 'call' ? field(call, 'method')?.text : undefined;
      if (!method || !LOAD_TIME_BLOCKS.has(method)) return false;
    }
  }
  return false;
}

/** Whether a statement is in a method body (`def send_emails`), which runs when called, not when the file loads. */
function insideMethod(node: SyntaxNode): boolean {
  for (let p = node.parent, depth = 0; p && depth <= MAX_GUARD_DEPTH; p = p.parent, depth++) {
    if (p.type === 'method' || p.type === 'singleton_method') return true;
    if (p.type === 'program') return false;
  }
  return false;
}

const LOGICAL = new Set(['||', '&&', 'or', 'and']);

/** Names too generic to mean a secret on their own: a cache or hash `key`, a `value`. */
const GENERIC_NAMES = new Set(['key', 'keys', 'value', 'name']);

/** Literal values (a flag, a symbol) are configuration, not secrets. */
const LITERAL_VALUE = new Set(['true', 'false', 'nil', 'integer', 'float', 'simple_symbol', 'string', 'delimited_symbol']);

function assignmentCandidate(node: SyntaxNode, built: boolean): Candidate | undefined {
  if (node.type === 'operator_assignment' && field(node, 'operator')?.type !== '||=') return undefined;
  const left = field(node, 'left');
  const right = field(node, 'right');
  if (!left || !right) return undefined;
  let name: string;
  if (left.type === 'call') {
    // Two field reads, not callParts: this runs for every assignment of a large initializer.
    const receiver = field(left, 'receiver');
    const method = field(left, 'method')?.text;
    if (!receiver || !method) return undefined;
    // An attribute of a local object being built (`bank = X.new; bank.access_key = …`) is its data,
    // not a setting: whatever the other branch builds instead is what the app then uses.
    if (receiver.type === 'identifier' && !/^config$/.test(receiver.text)) return undefined;
    name = `${receiver.text.replace(/\s+/g, '')}.${method}`;
  } else if (left.type === 'element_reference') {
    const obj = field(left, 'object');
    // A key of a local hash (`s3_options[:access_key_id] = …`) is data being built, not a setting.
    if (obj?.type === 'identifier') return undefined;
    const key = namedChildren(left).find((c) => !same(c, obj));
    const s = literalString(key);
    if (!obj || s === undefined) return undefined;
    name = `${obj.text}[${JSON.stringify(s)}]`;
  } else if (['identifier', 'constant', 'instance_variable', 'class_variable', 'global_variable', 'scope_resolution'].includes(left.type)) {
    name = left.text;
  } else return undefined;
  if (right.type === 'right_assignment_list' || right.type === 'splat_argument') return undefined;
  // A client built from secrets (`CLIENT = Twilio::REST::Client.new(sid, token)`) carries them too.
  const fromSecrets = built && unparen(right).type === 'call' && !rubyLookup(unparen(right)) ? builtFromSecrets(unparen(right)) : undefined;
  return { assignment: node, target: left, valueNode: right, name, qualified: name, qualify: () => qualify(name, left, node), ...(fromSecrets ? { kind: 'built' as const, secret: fromSecrets } : {}) };
}

function pairCandidate(node: SyntaxNode): Candidate | undefined {
  const key = field(node, 'key');
  const value = field(node, 'value');
  const k = literalString(key);
  if (!key || !value || k === undefined) return undefined;
  // Only values that could be forked are worth carrying further.
  const v = unparen(value);
  if (!['conditional', 'if', 'unless', 'case', 'binary'].includes(v.type)) return undefined;
  // A binary forks only through a logical operator (`ENV["A"] || …`), not `"a" * 19 + id`.
  if (v.type === 'binary' && !LOGICAL.has(field(v, 'operator')?.type ?? '')) return undefined;
  // Rows built in a loop (`users.map do … { token: … } end`) are data, not configuration.
  if (!runsAtLoad(node)) return undefined;
  const container = node.parent;
  let owner = '';
  if (container?.type === 'argument_list') {
    const call = container.parent;
    if (call?.type === 'call') owner = callParts(call).method ?? '';
  } else if (container?.type === 'hash') {
    const holder = container.parent;
    if (holder?.type === 'assignment') owner = field(holder, 'left')?.text ?? '';
    else if (holder?.type === 'argument_list' && holder.parent?.type === 'call') owner = callParts(holder.parent).method ?? '';
  }
  const name = owner ? `${owner}.${k}` : k;
  return { assignment: node, target: key, valueNode: value, name, qualified: name };
}

/** `Twilio::REST::Client.new(sid, token)`: a constructor whose arguments carry a secret. */
function builtFromSecrets(call: SyntaxNode): Lookup | undefined {
  if (field(call, 'method')?.text !== 'new') return undefined;
  const args = field(call, 'arguments');
  return args ? secretArgument(args, 0) : undefined;
}

/** `config.pepper` inside `Devise.setup do |config|` → `Devise.pepper`. */
function qualify(name: string, left: SyntaxNode, node: SyntaxNode): string {
  let root = left;
  while (root.type === 'call') {
    const r = field(root, 'receiver');
    if (!r) break;
    root = r;
  }
  if (root.type !== 'identifier') return name;
  // Bounded like guardsOf: each `parent` step is a descent from the root.
  for (let p = node.parent, depth = 0; p && depth <= MAX_GUARD_DEPTH; p = p.parent, depth++) {
    if (p.type !== 'do_block' && p.type !== 'block') continue;
    const params = field(p, 'parameters');
    const first = params ? namedChildren(params)[0] : undefined;
    if (first?.text !== root.text) continue;
    const call = p.parent;
    if (call?.type !== 'call') return name;
    const { receiver, method } = callParts(call);
    if (!receiver || !method || !CONFIG_BLOCK_METHODS.has(method)) return name;
    return receiver.text.replace(/\s+/g, '') + name.slice(root.text.length);
  }
  return name;
}
