// The language-neutral model of an environment fork: which environments exist, how a condition
// evaluates in each (three-valued: a condition that also depends on non-env facts is unknown),
// and what value a setting ends up with in each environment.

import type { SyntaxNode } from '../parser';

/** `true`/`false` when the condition is decided by the environment alone, `undefined` otherwise. */
export type Tri = boolean | undefined;

export const OTHER_ENV = '(other)';

/** Rails and Node both know these three; custom names (staging) are added per file. */
export const BASE_ENVS = ['development', 'test', 'production'] as const;

export function envUniverse(custom: Iterable<string>): string[] {
  const envs: string[] = [...BASE_ENVS];
  for (const c of custom) if (!envs.includes(c)) envs.push(c);
  envs.push(OTHER_ENV);
  return envs;
}

/** A condition's value in each environment. */
export type EnvCondition = (env: string) => Tri;

export const unknownCondition: EnvCondition = () => undefined;

export function not(c: EnvCondition): EnvCondition {
  return (env) => {
    const v = c(env);
    return v === undefined ? undefined : !v;
  };
}

export function and(a: EnvCondition, b: EnvCondition): EnvCondition {
  return (env) => {
    const x = a(env);
    const y = b(env);
    if (x === false || y === false) return false;
    return x === true && y === true ? true : undefined;
  };
}

export function or(a: EnvCondition, b: EnvCondition): EnvCondition {
  return (env) => {
    const x = a(env);
    const y = b(env);
    if (x === true || y === true) return true;
    return x === false && y === false ? false : undefined;
  };
}

export function envIn(names: readonly string[]): EnvCondition {
  return (env) => names.includes(env);
}

/** Whether a condition mentions the environment at all (otherwise it is not a fork). */
export function dependsOnEnv(c: EnvCondition, envs: readonly string[]): boolean {
  const values = envs.map(c);
  return values.some((v) => v !== undefined) && new Set(values).size > 1;
}

/** Where a secret-looking value comes from, as far as the syntax shows. */
export interface Lookup {
  source: 'chamber' | 'credentials' | 'env' | 'call';
  /** Key path, e.g. ['lockbox', 'master_key'] for Chamber.dig(:lockbox, :master_key). */
  path: string[];
  /** Safe rendering for messages: built from key names only, never from string values. */
  display: string;
}

export type ValueKind = 'nil' | 'dummy' | 'lookup' | 'other' | 'unknown';

/** What a setting holds in one environment. */
export interface EnvValue {
  kind: ValueKind | 'unassigned';
  /** The expression that produces it (for lookups: the production expression the fix keeps). */
  node?: SyntaxNode;
  lookup?: Lookup;
}

/** A secret-bearing setting whose value differs across environments, one per assignment. */
export interface ForkedSetting {
  /** Display name of the setting, e.g. `Lockbox.master_key`; for a call, `RTurk.setup`. */
  name: string;
  /**
   * `setting`: an assignment or a hash pair; `call`: a configuring call whose arguments carry secrets
   * (`Geocoder.configure(api_key: …) unless Rails.env.test?`); `built`: a value built from secrets
   * (`CLIENT = Twilio::REST::Client.new(sid, token) if Rails.env.production?`).
   */
  kind: 'setting' | 'call' | 'built';
  /** For calls and built values: the secret argument that makes them secret-bearing. */
  secret?: Lookup;
  /** Name used to match gem profiles: block receivers resolved (`Devise.pepper`). */
  qualified: string;
  /** The assignment (or pair) node. */
  assignment: SyntaxNode;
  /** Where the squiggle goes: the setting's name on the left-hand side. */
  target: SyntaxNode;
  /** The assignment that holds the production value (the fix rewrites it). */
  realAssignment: SyntaxNode;
  /** Its right-hand side or pair value: the expression the fix replaces. */
  valueNode: SyntaxNode;
  /** The node that forks: a conditional inside the value, an enclosing if/unless/case, or an early return. */
  fork: SyntaxNode;
  /** `env-file`: the assignment is in config/environments/<env>.rb, which only that environment loads. */
  forkKind: 'value' | 'guard' | 'modifier' | 'early-return' | 'env-file';
  nilEnvs: string[];
  /** The literal that yields nil (`nil`, `null`, `undefined`), when a value does. */
  nilNode?: SyntaxNode;
  unassignedEnvs: string[];
  realEnvs: string[];
  /** The value in the first real environment (production when it is one). */
  real: EnvValue;
  /** An existing ENV read the value falls back from (`ENV['X'] || (...)`), kept by the fix. */
  envOperand?: SyntaxNode;
  /** True when the branch taken where the value is nil sets up a test double (MockRedis, delivery_method = :test). */
  doubledInNilBranch: boolean;
  /** A call that switches to a remote backend (`storage: :s3`): skipped, the library keeps its local default. */
  keepsLocalDefault?: boolean;
}

export function formatEnvList(envs: readonly string[]): string {
  const names = envs.map((e) => (e === OTHER_ENV ? 'any other environment' : e));
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
