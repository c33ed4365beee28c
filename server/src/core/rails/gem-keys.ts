// Gems that read a key by convention when nothing assigns it: knowledge as data, one entry per gem.
// Every chain and effect is taken from ../shared/knowledge/gem-key-lookups.md (section numbers in
// comments). Keep them true when editing; docs/rules/implicit-gem-key-lookup.md repeats them.

import { compareVersions } from './gemfile';

/** A line in the app's code that uses the gem's key without naming it. */
export interface DslSignal {
  /** Matched against code lines (comments removed). */
  pattern: RegExp;
  /** Path relative to the app root. */
  where: RegExp;
  /** Only for some gem versions (Gemfile.lock). */
  when?: (versions: ReadonlyMap<string, string>) => boolean;
}

/** One key the explicit initializer sets. */
export interface ExplicitKey {
  envVar: string;
  /** Path in Chamber or credentials: ['lockbox', 'master_key']. */
  path: string[];
  /** A valid test dummy (Ruby expression); absent when test should keep the production derivation. */
  dummy?: string;
  /**
   * The explicit line, given the env read (`ENV["X"]`) and the backend lookup (`Chamber.dig(:a, :b)`),
   * which is undefined when the app keeps secrets in ENV only. Undefined: no line for that backend.
   */
  line: (env: string, lookup: string | undefined) => string | undefined;
}

export interface GemKeyEntry {
  id: string;
  /** Gemfile names that bring the lookup. */
  gems: string[];
  /** What is looked up, for messages: `Lockbox.master_key`. */
  setting: string;
  /** Uses in app code; when empty, declaring the gem is the use. */
  dsl: DslSignal[];
  /** Assignments that make the key explicit, matched on code lines of config/**\/*.rb. */
  explicit: RegExp;
  /** Where else explicit assignments count (attr_encrypted_options in a base model). */
  explicitAlsoIn?: RegExp;
  /** The implicit lookup chain, as a user reads it. */
  chain: string;
  /** Whether the credentials file is one of the implicit sources: with no file and no assignment, the source is gone. */
  readsCredentials: boolean;
  /** Whether an environment variable is also in the chain (what is left when the credentials file is gone). */
  envFallback: boolean;
  /** Another entry whose explicit assignment also feeds this one (blind_index falls back to the Lockbox key). */
  fedBy?: string;
  whenMissing: string;
  /** Keys the explicit initializer (`config/initializers/<initializer>`) sets, inside `wrap` if given; absent when no fix is certain. */
  fix?: { initializer: string; keys: ExplicitKey[]; wrap?: { open: string; close: string }; when?: (versions: ReadonlyMap<string, string>) => boolean };
  /** Credentials/ENV keys this gem reads by convention, for "who else reads this key". */
  reads: { credentials: string[][]; env: string[] };
  /** Report only when the source is gone (for keys every app has, such as secret_key_base). */
  onlyWhenGone?: boolean;
  /** No source exists at all (attr_encrypted has no default key): always an error. */
  noSource?: boolean;
}

const MODELS = /^app\/models\//;
/** `ENV["X"] || lookup`, or the ENV read alone when the app has no secret store. */
const orElse = (env: string, lookup: string | undefined) => (lookup ? `${env} || ${lookup}` : env);
const CONFIG = /^config\//;
const railsBefore = (v: ReadonlyMap<string, string>, version: string) => {
  const rails = v.get('rails') ?? v.get('railties') ?? v.get('activerecord');
  return rails !== undefined && compareVersions(rails, version) < 0;
};
const railsBefore7 = (v: ReadonlyMap<string, string>) => railsBefore(v, '7.0');
const lockboxBefore1 = (v: ReadonlyMap<string, string>) => {
  const lockbox = v.get('lockbox');
  return lockbox !== undefined && compareVersions(lockbox, '1.0') < 0;
};

export const GEM_KEYS: readonly GemKeyEntry[] = [
  {
    // §1.1: getter re-reads ENV; the Railtie copies credentials.lockbox.master_key; raises lazily.
    id: 'lockbox',
    gems: ['lockbox'],
    setting: 'Lockbox.master_key',
    dsl: [
      // An attribute with its own `key:` does not use the master key.
      { pattern: /^\s*(has_encrypted|encrypts_attached|lockbox_encrypts)\b(?![^#\n]*\bkey:)/, where: MODELS },
      { pattern: /^\s*encrypt\b/, where: /^app\/uploaders\// },
      // Before Lockbox 1.0 on Rails 6, `encrypts` was Lockbox's own method (CHANGELOG.md:14, 67).
      { pattern: /^\s*encrypts\s+:/, where: MODELS, when: (v) => railsBefore7(v) && lockboxBefore1(v) },
    ],
    explicit: /\bLockbox\.master_key\s*(\|\|)?=(?!=)/,
    chain: 'ENV["LOCKBOX_MASTER_KEY"], then credentials `lockbox.master_key` (copied by Lockbox\'s Railtie)',
    readsCredentials: true,
    envFallback: true,
    whenMissing: 'Lockbox raises "Missing master key" (ArgumentError) on the first encrypt or decrypt',
    fix: {
      initializer: 'lockbox.rb',
      keys: [{ envVar: 'LOCKBOX_MASTER_KEY', path: ['lockbox', 'master_key'], dummy: '"0" * 64', line: (env, lookup) => `Lockbox.master_key = ${orElse(env, lookup)}` }],
    },
    reads: { credentials: [['lockbox', 'master_key']], env: ['LOCKBOX_MASTER_KEY'] },
  },
  {
    // §1.2: ENV, then Lockbox.master_key; nil raises at first index computation.
    id: 'blind_index',
    gems: ['blind_index'],
    setting: 'BlindIndex.master_key',
    dsl: [{ pattern: /^\s*blind_index\s+:/, where: MODELS }],
    explicit: /\bBlindIndex\.master_key\s*(\|\|)?=(?!=)/,
    chain: 'ENV["BLIND_INDEX_MASTER_KEY"], then `Lockbox.master_key` (and through it Lockbox\'s credentials lookup)',
    readsCredentials: true,
    envFallback: true,
    fedBy: 'lockbox',
    whenMissing:
      'BlindIndex raises "Missing master key" when an index is first computed, and if the Lockbox key ever changes, lookups on blind-indexed columns silently stop matching',
    fix: {
      initializer: 'blind_index.rb',
      // Falls back to the Lockbox key as today: a new key would make existing indexes silently stop matching (§1.2).
      keys: [{ envVar: 'BLIND_INDEX_MASTER_KEY', path: ['blind_index', 'master_key'], line: (env) => `BlindIndex.master_key = ${env} || Lockbox.master_key` }],
    },
    reads: { credentials: [], env: ['BLIND_INDEX_MASTER_KEY'] },
  },
  {
    // §1.3: the Railtie passes credentials.active_record_encryption.* to Encryption.configure; no ENV before 8.2.
    id: 'active_record_encryption',
    gems: ['rails', 'activerecord'],
    setting: 'Active Record encryption keys',
    dsl: [{ pattern: /^\s*encrypts\s+:/, where: MODELS, when: (v) => !(railsBefore7(v) && lockboxBefore1(v)) }],
    explicit: /active_record\.encryption\.primary_key\s*=(?!=)|ActiveRecord::Encryption\.(configure\b|config\.primary_key\s*=)/,
    chain: 'credentials `active_record_encryption.primary_key`, `.deterministic_key` and `.key_derivation_salt` (Active Record\'s Railtie; no ENV fallback before Rails 8.2)',
    readsCredentials: true,
    envFallback: false,
    whenMissing: 'Active Record raises Errors::Configuration ("Missing Active Record encryption credential") on the first encrypt or decrypt',
    fix: {
      initializer: 'active_record_encryption.rb',
      // Encryption.configure in an initializer runs after the Railtie's credentials-based call, so it wins.
      wrap: { open: 'ActiveRecord::Encryption.configure(', close: ')' },
      keys: [
        { envVar: 'ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY', path: ['active_record_encryption', 'primary_key'], dummy: '"0" * 32', line: (env, lookup) => `  primary_key: ${orElse(env, lookup)},` },
        { envVar: 'ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY', path: ['active_record_encryption', 'deterministic_key'], dummy: '"1" * 32', line: (env, lookup) => `  deterministic_key: ${orElse(env, lookup)},` },
        { envVar: 'ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT', path: ['active_record_encryption', 'key_derivation_salt'], dummy: '"2" * 32', line: (env, lookup) => `  key_derivation_salt: ${orElse(env, lookup)},` },
      ],
    },
    reads: {
      credentials: [
        ['active_record_encryption', 'primary_key'],
        ['active_record_encryption', 'deterministic_key'],
        ['active_record_encryption', 'key_derivation_salt'],
      ],
      env: [],
    },
  },
  {
    // §1.4: ENV, then credentials; production raises at boot when both are missing.
    id: 'secret_key_base',
    gems: ['rails', 'railties'],
    setting: 'secret_key_base',
    dsl: [],
    explicit: /secret_key_base\s*=(?!=)/,
    chain: 'ENV["SECRET_KEY_BASE"], then credentials `secret_key_base`',
    readsCredentials: true,
    envFallback: true,
    onlyWhenGone: true,
    // Production reads config.secret_key_base from Rails 7.2 (configuration.rb:501-521); 7.1 and earlier ignore it.
    fix: {
      initializer: 'secret_key_base.rb',
      when: (v) => !railsBefore(v, '7.2'),
      keys: [{ envVar: 'SECRET_KEY_BASE', path: ['secret_key_base'], dummy: '"0" * 128', line: (env, lookup) => `Rails.application.config.secret_key_base = ${orElse(env, lookup)}` }],
    },
    whenMissing: "production raises ArgumentError \"Missing `secret_key_base` for 'production' environment\" at boot unless SECRET_KEY_BASE is set where it runs",
    reads: { credentials: [['secret_key_base']], env: ['SECRET_KEY_BASE'] },
  },
  {
    // §1.5: Devise.secret_key ||= secret_key_base (Devise 5); Devise 4 prefers credentials.secret_key_base.
    id: 'devise',
    gems: ['devise'],
    setting: 'Devise.secret_key',
    dsl: [{ pattern: /^\s*devise\s+:/, where: MODELS }],
    explicit: /(^\s*config\.secret_key\s*=(?!=))|\bDevise\.secret_key\s*(\|\|)?=(?!=)/,
    chain: 'secret_key_base (Devise 4 reads credentials `secret_key_base` first)',
    readsCredentials: false,
    envFallback: false,
    whenMissing:
      'Devise signs with secret_key_base instead, so changing that value (rotating it, or on Devise 4 moving it out of credentials to a different value) silently invalidates reset-password, confirmation and unlock tokens already sent',
    reads: { credentials: [['secret_key_base']], env: ['SECRET_KEY_BASE'] },
  },
  {
    // §1.6: key: defaults to nil; encryptor raises "must specify a key".
    id: 'attr_encrypted',
    gems: ['attr_encrypted'],
    setting: 'the attr_encrypted key',
    dsl: [{ pattern: /^\s*attr_encrypted\s+:(?![^#\n]*\bkey:)/, where: MODELS }],
    explicit: /attr_encrypted_options\b[^\n]*\bkey\b/,
    explicitAlsoIn: MODELS,
    chain: 'nothing: attr_encrypted has no default key (`key:` defaults to nil)',
    noSource: true,
    readsCredentials: false,
    envFallback: false,
    whenMissing: 'encryptor raises ArgumentError ("must specify a key") on the first encrypt or decrypt',
    reads: { credentials: [], env: [] },
  },
  {
    // §1.7: KmsEncrypted.key_id ||= ENV["KMS_KEY_ID"], captured when the model class is defined.
    id: 'kms_encrypted',
    gems: ['kms_encrypted'],
    setting: 'KmsEncrypted.key_id',
    dsl: [{ pattern: /^\s*has_kms_key\b(?![^#\n]*\bkey_id:)/, where: MODELS }],
    explicit: /\bKmsEncrypted\.key_id\s*(\|\|)?=(?!=)/,
    chain: 'ENV["KMS_KEY_ID"], read when the model class is defined',
    readsCredentials: false,
    envFallback: true,
    whenMissing: 'kms_encrypted fails with NoMethodError on the first encrypt or decrypt',
    fix: {
      initializer: 'kms_encrypted.rb',
      keys: [{ envVar: 'KMS_KEY_ID', path: ['kms', 'key_id'], dummy: '"insecure-test-key"', line: (env, lookup) => `KmsEncrypted.key_id = ${orElse(env, lookup)}` }],
    },
    reads: { credentials: [], env: ['KMS_KEY_ID'] },
  },
  {
    // §1.11: the Railtie merges credentials[:aws] into Aws.config; then the SDK's provider chain.
    id: 'aws_sdk_rails',
    gems: ['aws-sdk-rails'],
    setting: 'Aws.config credentials',
    dsl: [],
    explicit: /Aws\.config(\.update\([^\n]*credentials|\[:credentials\]\s*=)|Aws::(Credentials|AssumeRoleCredentials|InstanceProfileCredentials|ECSCredentials)\.new/,
    chain:
      'credentials `aws.access_key_id`/`aws.secret_access_key` (aws-sdk-rails Railtie), then ENV AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws files, then an ECS or EC2 instance role',
    readsCredentials: false,
    envFallback: true,
    whenMissing: 'the SDK raises Aws::Errors::MissingCredentialsError at the first signed request',
    reads: { credentials: [['aws', 'access_key_id'], ['aws', 'secret_access_key']], env: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] },
  },
  {
    // §1.15: Pay::Env reads ENV, then credentials; to_prepare then overwrites Stripe.api_key.
    id: 'pay',
    gems: ['pay'],
    setting: 'Pay\'s Stripe private key',
    dsl: [{ pattern: /^\s*pay_(customer|merchant)\b/, where: MODELS }],
    explicit: /ENV\s*\[\s*["']STRIPE_PRIVATE_KEY["']\s*\]\s*(\|\|)?=(?!=)/,
    chain: 'ENV["STRIPE_PRIVATE_KEY"], then credentials `<env>.stripe.private_key`, then `stripe.private_key`',
    readsCredentials: true,
    envFallback: true,
    whenMissing: 'Pay sets Stripe.api_key to nil in a to_prepare block (after initializers, overwriting any Stripe.api_key set there), so Stripe calls fail authentication',
    fix: {
      initializer: 'pay.rb',
      keys: [{ envVar: 'STRIPE_PRIVATE_KEY', path: ['stripe', 'private_key'], dummy: '"sk_test_123"', line: (env, lookup) => (lookup ? `${env} ||= ${lookup}` : undefined) }],
    },
    reads: { credentials: [['stripe', 'private_key']], env: ['STRIPE_PRIVATE_KEY'] },
  },
  {
    // §1.15: http_basic_auth_user ||= credentials.dig(:mission_control, ...); fails closed.
    id: 'mission_control_jobs',
    gems: ['mission_control-jobs'],
    setting: 'MissionControl::Jobs.http_basic_auth_user/password',
    dsl: [{ pattern: /\bmount\s+MissionControl::Jobs::Engine\b/, where: /^config\/routes\.rb$/ }],
    explicit: /MissionControl::Jobs\.(http_basic_auth_(user|password|enabled)\s*=(?!=)|base_controller_class\s*=)|mission_control\.jobs\.(http_basic_auth_\w+|base_controller_class)\s*=/,
    chain: 'credentials `mission_control.http_basic_auth_user` and `.http_basic_auth_password` (the engine\'s initializer)',
    readsCredentials: true,
    envFallback: false,
    whenMissing: 'the jobs dashboard fails closed: every request gets 401 Unauthorized',
    fix: {
      initializer: 'mission_control.rb',
      keys: [
        { envVar: 'MISSION_CONTROL_HTTP_BASIC_AUTH_USER', path: ['mission_control', 'http_basic_auth_user'], dummy: '"test-user"', line: (env, lookup) => `MissionControl::Jobs.http_basic_auth_user = ${orElse(env, lookup)}` },
        { envVar: 'MISSION_CONTROL_HTTP_BASIC_AUTH_PASSWORD', path: ['mission_control', 'http_basic_auth_password'], dummy: '"test-password"', line: (env, lookup) => `MissionControl::Jobs.http_basic_auth_password = ${orElse(env, lookup)}` },
      ],
    },
    reads: { credentials: [['mission_control', 'http_basic_auth_user'], ['mission_control', 'http_basic_auth_password']], env: [] },
  },
  {
    // §1.15: ENV["FLIPPER_CLOUD_TOKEN"] ||= credentials.dig(:flipper, :cloud_token) in the engine; silent local fallback.
    id: 'flipper_cloud',
    gems: ['flipper-cloud'],
    setting: 'the Flipper Cloud token',
    dsl: [],
    explicit: /FLIPPER_CLOUD_TOKEN["']\s*\]\s*(\|\|)?=(?!=)|Flipper::Cloud\.new\(|cloud_token\s*=(?!=)/,
    chain: 'ENV["FLIPPER_CLOUD_TOKEN"], else credentials `flipper.cloud_token` (copied into ENV by Flipper\'s engine)',
    readsCredentials: true,
    envFallback: true,
    whenMissing: 'Flipper silently falls back to the local adapter, so flags changed in Flipper Cloud have no effect',
    reads: { credentials: [['flipper', 'cloud_token']], env: ['FLIPPER_CLOUD_TOKEN'] },
  },
  {
    // §1.9: credentials.dig(:action_mailbox, :ingress_password) || ENV["RAILS_INBOUND_EMAIL_PASSWORD"]; fails closed per request.
    id: 'action_mailbox',
    gems: ['rails', 'actionmailbox'],
    setting: 'the Action Mailbox ingress password',
    dsl: [{ pattern: /\baction_mailbox\.ingress\s*=\s*:(relay|postmark|sendgrid)\b/, where: CONFIG }],
    explicit: /RAILS_INBOUND_EMAIL_PASSWORD["']\s*\]\s*(\|\|)?=(?!=)/,
    chain: 'credentials `action_mailbox.ingress_password`, then ENV["RAILS_INBOUND_EMAIL_PASSWORD"]',
    readsCredentials: true,
    envFallback: true,
    whenMissing: 'every inbound email request fails with ArgumentError ("Missing required ingress credentials")',
    fix: {
      initializer: 'action_mailbox.rb',
      keys: [
        {
          envVar: 'RAILS_INBOUND_EMAIL_PASSWORD',
          path: ['action_mailbox', 'ingress_password'],
          dummy: '"test-ingress-password"',
          line: (env, lookup) => (lookup ? `${env} ||= ${lookup}` : undefined),
        },
      ],
    },
    reads: { credentials: [['action_mailbox', 'ingress_password']], env: ['RAILS_INBOUND_EMAIL_PASSWORD'] },
  },
];

export function gemKeyById(id: string): GemKeyEntry | undefined {
  return GEM_KEYS.find((g) => g.id === id);
}
