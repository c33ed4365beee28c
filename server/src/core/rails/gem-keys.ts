// Gems that read a key by convention when nothing assigns it: knowledge as data, one entry per gem.
// Every chain and effect rests on a claim in ../knowledge/claims.ts (named in `claims`; the hover
// cites their sources). Statements that hold only for some versions carry the requirement, judged
// against Gemfile.lock; an entry whose `when` cannot be judged (no lockfile) reports nothing.
// docs/rules/implicit-gem-key-lookup.md repeats them.

import { holdsKnown, meets, parseRequirements, type Versioned, type Versions } from '../knowledge/versions';

/** What a DSL signal's condition can see: resolved versions and declared gems. */
export interface GemFacts {
  versions: Versions;
  declared(gem: string): boolean;
}

/** A line in the app's code that uses the gem's key without naming it. */
export interface DslSignal {
  /** Matched against code lines (comments removed). */
  pattern: RegExp;
  /** Path relative to the app root. */
  where: RegExp;
  /**
   * A literal every match contains: a file without it is not scanned line by line (an audit reads
   * every model of every app). It must survive comment removal and line joining, so no spaces.
   */
  needle: string;
  /** Only when this holds (e.g. `encrypts` belongs to this gem at the locked versions). */
  when?: (facts: GemFacts) => boolean;
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
  /** The gem's name as a sentence names it: `Lockbox`. */
  gemName: string;
  /** What is looked up, for details and comments: `Lockbox.master_key`. */
  setting: string;
  /** How a message names it: `"Lockbox.master_key"`, `the Active Record encryption keys`. */
  subject: string;
  plural?: boolean;
  /** The entry applies only when this requirement is met (`mission_control-jobs >= 1.0.0`); unknown versions: not at all. */
  when?: string;
  /** Uses in app code; when empty, declaring the gem is the use. */
  dsl: DslSignal[];
  /** Assignments that make the key explicit, matched on code lines of config/**\/*.rb. */
  explicit: RegExp;
  /**
   * Where else explicit assignments count (attr_encrypted_options in a base model), with a literal
   * every such assignment contains (no `.`, so a config alias cannot assemble it), as for `DslSignal.needle`.
   */
  explicitAlsoIn?: { where: RegExp; needle: string };
  /** The implicit lookup chain, in Markdown, as a user reads it. */
  chain: Versioned;
  /** Whether the credentials file is one of the implicit sources (a requirement string when only some versions read it). */
  readsCredentials: boolean | string;
  /** Environment variables also in the chain: what is left when the credentials file is gone. */
  envVars: string[];
  /** Another entry whose explicit assignment also feeds this one, from some version on. */
  fedBy?: { entry: string; when: string };
  /** What happens when the key is empty (details), by version. */
  whenMissing: Versioned;
  /** The short consequence for the message when nothing can supply the key. */
  goneConsequence: string;
  /** The short consequence for the message when the key is read by convention but not gone. */
  implicitConsequence?: string;
  /** Claims (knowledge/claims.ts) behind the chain and the effect. */
  claims: string[];
  /** Keys the explicit initializer (`config/initializers/<initializer>`) sets; absent when no fix is certain. */
  fix?: { initializer: string; keys: ExplicitKey[]; when?: string; claims?: string[] };
  /** Credentials/ENV keys this gem reads by convention, for "who else reads this key". */
  reads: { credentials: string[][]; env: string[] };
  /**
   * The lookup is the library's documented default and what goes wrong is transient or loud (Devise:
   * reset and unlock links already sent stop working when the key changes; the AWS SDK raises at the
   * first signed request, and an instance or task role needs no key at all): info, a warning when
   * the change deletes the credentials file.
   */
  infoWhenImplicit?: boolean;
  /** Report only when the source is gone (for keys every app has, such as secret_key_base). */
  onlyWhenGone?: boolean;
  /** No source exists at all (attr_encrypted has no default key): always an error. */
  noSource?: boolean;
}

const MODELS = /^app\/models\//;
/** `ENV["X"] || lookup`, or the ENV read alone when the app has no secret store. */
const orElse = (env: string, lookup: string | undefined) => (lookup ? `${env} || ${lookup}` : env);
const CONFIG = /^config\//;

/**
 * Whose `encrypts` a model calls (claim lockbox.encrypts-owner): Lockbox's while Active Record is
 * older than 7.0 and Lockbox older than 2.0, Active Record's otherwise. Undefined when Lockbox is
 * declared but the versions that decide it are not locked.
 */
export function encryptsOwner(facts: GemFacts): 'lockbox' | 'active_record' | undefined {
  const lockbox = facts.declared('lockbox') || facts.versions.has('lockbox');
  if (!lockbox) return 'active_record';
  const lockboxOwns = meets(parseRequirements('lockbox < 2.0; activerecord < 7.0'), facts.versions);
  if (lockboxOwns === undefined) return undefined;
  return lockboxOwns ? 'lockbox' : 'active_record';
}

export const GEM_KEYS: readonly GemKeyEntry[] = [
  {
    id: 'lockbox',
    gems: ['lockbox'],
    gemName: 'Lockbox',
    setting: 'Lockbox.master_key',
    subject: '"Lockbox.master_key"',
    dsl: [
      // An attribute with its own key (`key:` or `:key =>`) does not use the master key.
      { pattern: /^\s*(has_encrypted|encrypts_attached|lockbox_encrypts)\b(?![^#\n]*(\bkey:|:key\s*=>))/, where: MODELS, needle: 'encrypt' },
      { pattern: /^\s*encrypt\b/, where: /^app\/uploaders\//, needle: 'encrypt' },
      { pattern: /^\s*encrypts\s+:(?![^#\n]*(\bkey:|:key\s*=>))/, where: MODELS, needle: 'encrypts', when: (f) => encryptsOwner(f) === 'lockbox' },
    ],
    explicit: /\bLockbox\.master_key\s*(\|\|)?=(?!=)/,
    chain: [
      { when: 'lockbox < 0.6.1', value: '`ENV["LOCKBOX_MASTER_KEY"]` (this Lockbox version reads no credentials)' },
      { value: '`ENV["LOCKBOX_MASTER_KEY"]`, then credentials `lockbox.master_key` (copied by Lockbox\'s Railtie from 0.6.1)' },
    ],
    readsCredentials: 'lockbox >= 0.6.1',
    envVars: ['LOCKBOX_MASTER_KEY'],
    whenMissing: 'Lockbox raises "Missing master key" (ArgumentError) on the first encrypt or decrypt, not at boot',
    goneConsequence: 'encrypting or decrypting raises',
    claims: ['lockbox.env-getter', 'lockbox.railtie-credentials', 'lockbox.missing-key'],
    fix: {
      initializer: 'lockbox.rb',
      keys: [{ envVar: 'LOCKBOX_MASTER_KEY', path: ['lockbox', 'master_key'], dummy: '"0" * 64', line: (env, lookup) => `Lockbox.master_key = ${orElse(env, lookup)}` }],
      claims: ['lockbox.dummy', 'rails.test-rb-first'],
    },
    reads: { credentials: [['lockbox', 'master_key']], env: ['LOCKBOX_MASTER_KEY'] },
  },
  {
    id: 'blind_index',
    gems: ['blind_index'],
    gemName: 'BlindIndex',
    setting: 'BlindIndex.master_key',
    subject: '"BlindIndex.master_key"',
    dsl: [{ pattern: /^\s*blind_index\s+:/, where: MODELS, needle: 'blind_index' }],
    explicit: /\bBlindIndex\.master_key\s*(\|\|)?=(?!=)/,
    chain: '`ENV["BLIND_INDEX_MASTER_KEY"]`, then `Lockbox.master_key` when Lockbox is installed (blind_index 2.0 and later), and through it Lockbox\'s credentials lookup',
    readsCredentials: 'blind_index >= 2.0.0',
    envVars: ['BLIND_INDEX_MASTER_KEY'],
    fedBy: { entry: 'lockbox', when: 'blind_index >= 2.0.0' },
    whenMissing:
      'BlindIndex raises "Missing master key" when an index is first computed; and if the Lockbox key it falls back to ever changes, lookups on blind-indexed columns silently stop matching',
    goneConsequence: 'computing a blind index raises',
    claims: ['blind_index.lockbox-fallback', 'blind_index.missing-key', 'blind_index.changed-key'],
    fix: {
      initializer: 'blind_index.rb',
      // Falls back to the Lockbox key as today: a new key would make existing indexes silently stop matching.
      keys: [{ envVar: 'BLIND_INDEX_MASTER_KEY', path: ['blind_index', 'master_key'], line: (env) => `BlindIndex.master_key = ${env} || Lockbox.master_key` }],
      when: 'blind_index >= 2.0.0',
    },
    reads: { credentials: [], env: ['BLIND_INDEX_MASTER_KEY'] },
  },
  {
    id: 'active_record_encryption',
    gems: ['rails', 'activerecord'],
    gemName: 'Active Record',
    setting: 'Active Record encryption keys',
    subject: 'the Active Record encryption keys',
    plural: true,
    dsl: [{ pattern: /^\s*encrypts\s+:(?![^#\n]*\bkey:)/, where: MODELS, needle: 'encrypts', when: (f) => encryptsOwner(f) === 'active_record' }],
    // Also the keys assigned in a loop through send (`config.active_record.encryption.send("#{k}=", …)`).
    explicit: /active_record\.encryption\.(primary_key\s*=(?!=)|(public_)?send\s*\(|merge!\s*\()|ActiveRecord::Encryption\.(configure\b|config\.(primary_key\s*=|(public_)?send\s*\())/,
    chain: 'credentials `active_record_encryption.primary_key`, `.deterministic_key` and `.key_derivation_salt`, read by Active Record\'s Railtie under `config.active_record.encryption` (no ENV fallback in released Rails)',
    readsCredentials: true,
    envVars: [],
    whenMissing: [
      { when: 'activerecord >= 7.1, < 8.2', value: 'Active Record raises Errors::Configuration ("Missing Active Record encryption credential") on the first encrypt or decrypt, not at boot' },
      { value: 'Active Record raises an encryption configuration error (Errors::Configuration) on the first encrypt or decrypt, not at boot' },
    ],
    goneConsequence: 'encrypting or decrypting raises',
    claims: ['lockbox.encrypts-owner', 'ar.credentials-chain', 'ar.missing-raises', 'ar.missing-text'],
    fix: {
      initializer: 'active_record_encryption.rb',
      // Setters on the config, not ActiveRecord::Encryption.configure, which resets the other settings
      // (claim ar.configure-resets); the key provider is built on first use (claim ar.config-setter).
      keys: [
        {
          envVar: 'ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY',
          path: ['active_record_encryption', 'primary_key'],
          dummy: '"0" * 32',
          line: (env, lookup) => `ActiveRecord::Encryption.config.primary_key = ${orElse(env, lookup)}`,
        },
        {
          envVar: 'ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY',
          path: ['active_record_encryption', 'deterministic_key'],
          dummy: '"1" * 32',
          line: (env, lookup) => `ActiveRecord::Encryption.config.deterministic_key = ${orElse(env, lookup)}`,
        },
        {
          envVar: 'ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT',
          path: ['active_record_encryption', 'key_derivation_salt'],
          dummy: '"2" * 32',
          line: (env, lookup) => `ActiveRecord::Encryption.config.key_derivation_salt = ${orElse(env, lookup)}`,
        },
      ],
      when: 'activerecord >= 7.0',
      claims: ['ar.config-setter', 'ar.configure-resets', 'rails.test-rb-first'],
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
    id: 'secret_key_base',
    gems: ['rails', 'railties'],
    gemName: 'Rails',
    setting: 'secret_key_base',
    subject: '"secret_key_base"',
    dsl: [],
    // Also ENV["SECRET_KEY_BASE"] set in config/environment.rb or a dotenv initializer, or generated at first boot.
    explicit: /secret_key_base\s*(\|\|)?=(?!=)|ENV\s*\[\s*["']SECRET_KEY_BASE["']\s*\]\s*(\|\|)?=(?!=)/,
    chain: '`ENV["SECRET_KEY_BASE"]`, then credentials `secret_key_base`',
    readsCredentials: true,
    envVars: ['SECRET_KEY_BASE'],
    onlyWhenGone: true,
    whenMissing: 'production raises ArgumentError ("Missing secret_key_base") at boot or on the first request that signs or encrypts, unless SECRET_KEY_BASE is set where it runs',
    goneConsequence: 'production raises ArgumentError',
    claims: ['skb.production-missing'],
    fix: {
      initializer: 'secret_key_base.rb',
      when: 'rails >= 7.1',
      keys: [{ envVar: 'SECRET_KEY_BASE', path: ['secret_key_base'], dummy: '"0" * 128', line: (env, lookup) => `Rails.application.config.secret_key_base = ${orElse(env, lookup)}` }],
      claims: ['skb.config-read'],
    },
    reads: { credentials: [['secret_key_base']], env: ['SECRET_KEY_BASE'] },
  },
  {
    id: 'devise',
    gems: ['devise'],
    gemName: 'Devise',
    setting: 'Devise.secret_key',
    subject: '"Devise.secret_key"',
    // Devise.secret_key exists from 3.1, and signs only the tokens of these modules (claim devise.tokens);
    // confirmable's tokens too before 4.1, when they were stored as digests. From 5.0 it is
    // app.secret_key_base itself, the key Rails needs anyway (claim devise.secret-key-chain): nothing
    // separate is read by convention, so nothing is reported.
    when: 'devise >= 3.1, < 5.0',
    dsl: [
      { pattern: /^\s*devise\s*\(?\s*[^#\n]*:(recoverable|lockable)\b/, where: MODELS, needle: 'devise' },
      { pattern: /^\s*devise\s*\(?\s*[^#\n]*:confirmable\b/, where: MODELS, needle: 'devise', when: (f) => holdsKnown('devise < 4.1', f.versions) },
    ],
    // `config.secret_key` counts only inside `Devise.setup` (app-model.ts reads the block's receiver).
    explicit: /\bDevise\.secret_key\s*(\|\|)?=(?!=)/,
    chain: '`secret_key_base` (Devise 4.4.3 to 4.9 read credentials `secret_key_base` first)',
    readsCredentials: false,
    envVars: [],
    whenMissing:
      'Devise signs with secret_key_base instead, so changing that value (rotating it, or on Devise 4 moving it out of credentials to a different value) silently invalidates reset-password and unlock tokens already sent',
    goneConsequence: 'Devise has no key to sign with',
    implicitConsequence: 'Devise signs with secret_key_base, and changing it invalidates reset-password and unlock tokens',
    claims: ['devise.secret-key-chain', 'devise.tokens'],
    infoWhenImplicit: true,
    reads: { credentials: [['secret_key_base']], env: ['SECRET_KEY_BASE'] },
  },
  {
    id: 'attr_encrypted',
    gems: ['attr_encrypted'],
    gemName: 'attr_encrypted',
    setting: 'the attr_encrypted key',
    subject: 'the attr_encrypted key',
    // No `key:`, and encryption not switched off with `if: false` / `unless: true` (claim attr_encrypted.if-false).
    dsl: [{ pattern: /^\s*attr_encrypted\s+:(?![^#\n]*(\bkey:|:key\s*=>))(?![^#\n]*(\bif:\s*false|:if\s*=>\s*false|\bunless:\s*true|:unless\s*=>\s*true)\b)/, where: MODELS, needle: 'attr_encrypted' }],
    explicit: /attr_encrypted_options\b[^\n]*\bkey\b/,
    explicitAlsoIn: { where: MODELS, needle: 'attr_encrypted_options' },
    chain: 'nothing: attr_encrypted has no default key (`key:` defaults to nil)',
    noSource: true,
    readsCredentials: false,
    envVars: [],
    whenMissing: 'encryptor raises ArgumentError ("must specify a key") on the first encrypt or decrypt',
    goneConsequence: 'its first encrypt or decrypt raises ArgumentError',
    claims: ['attr_encrypted.no-default-key', 'attr_encrypted.if-false'],
    reads: { credentials: [], env: [] },
  },
  {
    id: 'kms_encrypted',
    gems: ['kms_encrypted'],
    gemName: 'kms_encrypted',
    setting: 'KmsEncrypted.key_id',
    subject: '"KmsEncrypted.key_id"',
    dsl: [{ pattern: /^\s*has_kms_key\b(?![^#\n]*\bkey_id:)/, where: MODELS, needle: 'has_kms_key' }],
    explicit: /\bKmsEncrypted\.key_id\s*(\|\|)?=(?!=)/,
    chain: '`ENV["KMS_KEY_ID"]`, read when the model class is defined',
    readsCredentials: false,
    envVars: ['KMS_KEY_ID'],
    whenMissing: 'kms_encrypted fails with NoMethodError on the first encrypt or decrypt',
    goneConsequence: 'encrypting or decrypting fails',
    implicitConsequence: 'kms_encrypted reads KMS_KEY_ID by convention and nothing in the app says where production gets it',
    claims: ['kms.env', 'kms.nil'],
    fix: {
      initializer: 'kms_encrypted.rb',
      keys: [{ envVar: 'KMS_KEY_ID', path: ['kms', 'key_id'], dummy: '"insecure-test-key"', line: (env, lookup) => `KmsEncrypted.key_id = ${orElse(env, lookup)}` }],
    },
    reads: { credentials: [], env: ['KMS_KEY_ID'] },
  },
  {
    id: 'recaptcha',
    gems: ['recaptcha'],
    gemName: 'recaptcha',
    setting: 'Recaptcha.configuration.secret_key',
    subject: 'the reCAPTCHA secret key',
    // The ENV name and the skipped environments as verified from 4.0 to 5.21 (claim recaptcha.env-default).
    when: 'recaptcha >= 4.0, < 6.0',
    // A call that passes its own `secret_key:` never reads the configured key (claim recaptcha.per-call-key).
    dsl: [{ pattern: /\bverify_recaptcha\b(?![^\n]*\bsecret_key:)/, where: /^app\//, needle: 'verify_recaptcha' }],
    // `config.secret_key` counts only inside `Recaptcha.configure` (app-model.ts reads the block's receiver).
    // Also the variable itself, set from the app's own configuration before the gem reads it.
    explicit: /\bRecaptcha\.configuration\.(secret_key|enterprise_api_key)\s*=(?!=)|ENV\s*\[\s*["']RECAPTCHA_SECRET_KEY["']\s*\]\s*(\|\|)?=(?!=)/,
    chain: '`ENV["RECAPTCHA_SECRET_KEY"]`; verification is skipped in the `test` and `cucumber` environments by default',
    readsCredentials: false,
    envVars: ['RECAPTCHA_SECRET_KEY'],
    whenMissing: 'verify_recaptcha raises Recaptcha::RecaptchaError ("No secret key specified.") for every submitted token outside the skipped environments, and CI, running test, never reaches that lookup',
    goneConsequence: 'every verified form raises',
    implicitConsequence: 'recaptcha reads RECAPTCHA_SECRET_KEY by convention and by default skips verifying it in test',
    claims: ['recaptcha.env-default', 'recaptcha.missing-secret', 'recaptcha.per-call-key'],
    reads: { credentials: [], env: ['RECAPTCHA_SECRET_KEY'] },
  },
  {
    id: 'aws_sdk_rails',
    gems: ['aws-sdk-rails'],
    gemName: 'the AWS SDK',
    setting: 'Aws.config credentials',
    subject: 'the AWS credentials',
    plural: true,
    dsl: [],
    explicit: /Aws\.config(\.update\([^\n]*credentials|\[:credentials\]\s*=)|Aws::(Credentials|AssumeRoleCredentials|InstanceProfileCredentials|ECSCredentials)\.new/,
    chain:
      'credentials `aws.access_key_id`/`aws.secret_access_key` (aws-sdk-rails Railtie), then `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, `~/.aws` files, then an ECS or EC2 instance role',
    readsCredentials: false,
    envVars: ['AWS_ACCESS_KEY_ID'],
    whenMissing: 'the SDK raises Aws::Errors::MissingCredentialsError at the first signed request',
    goneConsequence: 'the first signed request raises',
    implicitConsequence: 'the SDK looks them up by convention and nothing in the app says where production gets them',
    claims: ['aws.chain', 'aws.missing'],
    infoWhenImplicit: true,
    reads: { credentials: [['aws', 'access_key_id'], ['aws', 'secret_access_key']], env: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] },
  },
  {
    id: 'pay',
    gems: ['pay'],
    gemName: 'Pay',
    setting: "Pay's Stripe private key",
    subject: "Pay's Stripe private key",
    when: 'pay >= 3.0',
    dsl: [{ pattern: /^\s*pay_(customer|merchant)\b/, where: MODELS, needle: 'pay_' }],
    explicit: /ENV\s*\[\s*["']STRIPE_PRIVATE_KEY["']\s*\]\s*(\|\|)?=(?!=)/,
    chain: '`ENV["STRIPE_PRIVATE_KEY"]`, then credentials `<env>.stripe.private_key`, then `stripe.private_key`',
    readsCredentials: true,
    envVars: ['STRIPE_PRIVATE_KEY'],
    whenMissing: 'Pay sets Stripe.api_key to nil in a to_prepare block (after initializers, overwriting any Stripe.api_key set there), so Stripe calls fail authentication',
    goneConsequence: 'Stripe calls fail authentication',
    claims: ['pay.chain'],
    fix: {
      initializer: 'pay.rb',
      keys: [{ envVar: 'STRIPE_PRIVATE_KEY', path: ['stripe', 'private_key'], dummy: '"sk_test_123"', line: (env, lookup) => (lookup ? `${env} ||= ${lookup}` : undefined) }],
    },
    reads: { credentials: [['stripe', 'private_key']], env: ['STRIPE_PRIVATE_KEY'] },
  },
  {
    id: 'mission_control_jobs',
    gems: ['mission_control-jobs'],
    gemName: 'Mission Control',
    setting: 'MissionControl::Jobs.http_basic_auth_user/password',
    subject: 'the Mission Control basic-auth credentials',
    plural: true,
    // 0.x has no basic auth and reads no key (claim mcj.no-basic-auth).
    when: 'mission_control-jobs >= 1.0.0',
    dsl: [{ pattern: /\bmount\s+MissionControl::Jobs::Engine\b/, where: /^config\/routes\.rb$/, needle: 'MissionControl::Jobs::Engine' }],
    // A custom `base_controller_class` keeps the engine's basic auth (claim mcj.base-controller): not explicit.
    explicit: /MissionControl::Jobs\.http_basic_auth_(user|password|enabled)\s*=(?!=)|mission_control\.jobs\.http_basic_auth_\w+\s*=(?!=)/,
    chain: 'credentials `mission_control.http_basic_auth_user` and `.http_basic_auth_password` (the engine\'s initializer)',
    readsCredentials: true,
    envVars: [],
    whenMissing: 'the jobs dashboard fails closed: every request gets 401 Unauthorized',
    goneConsequence: 'every dashboard request gets 401',
    claims: ['mcj.basic-auth', 'mcj.base-controller', 'mcj.no-basic-auth'],
    fix: {
      initializer: 'mission_control.rb',
      when: 'mission_control-jobs >= 1.0.0',
      keys: [
        { envVar: 'MISSION_CONTROL_HTTP_BASIC_AUTH_USER', path: ['mission_control', 'http_basic_auth_user'], dummy: '"test-user"', line: (env, lookup) => `MissionControl::Jobs.http_basic_auth_user = ${orElse(env, lookup)}` },
        { envVar: 'MISSION_CONTROL_HTTP_BASIC_AUTH_PASSWORD', path: ['mission_control', 'http_basic_auth_password'], dummy: '"test-password"', line: (env, lookup) => `MissionControl::Jobs.http_basic_auth_password = ${orElse(env, lookup)}` },
      ],
    },
    reads: { credentials: [['mission_control', 'http_basic_auth_user'], ['mission_control', 'http_basic_auth_password']], env: [] },
  },
  {
    id: 'flipper_cloud',
    gems: ['flipper-cloud'],
    gemName: 'Flipper',
    setting: 'the Flipper Cloud token',
    subject: 'the Flipper Cloud token',
    when: 'flipper >= 1.1.0',
    dsl: [],
    explicit: /FLIPPER_CLOUD_TOKEN["']\s*\]\s*(\|\|)?=(?!=)|Flipper::Cloud\.new\(|cloud_token\s*=(?!=)/,
    chain: '`ENV["FLIPPER_CLOUD_TOKEN"]`, else credentials `flipper.cloud_token` (copied into ENV by Flipper\'s engine)',
    readsCredentials: true,
    envVars: ['FLIPPER_CLOUD_TOKEN'],
    whenMissing: 'Flipper silently falls back to the local adapter, so flags changed in Flipper Cloud have no effect',
    goneConsequence: 'Flipper silently uses its local adapter',
    claims: ['flipper.cloud'],
    reads: { credentials: [['flipper', 'cloud_token']], env: ['FLIPPER_CLOUD_TOKEN'] },
  },
  {
    id: 'action_mailbox',
    gems: ['rails', 'actionmailbox'],
    gemName: 'Action Mailbox',
    setting: 'the Action Mailbox ingress password',
    subject: 'the Action Mailbox ingress password',
    dsl: [{ pattern: /\baction_mailbox\.ingress\s*=\s*:(relay|postmark|sendgrid)\b/, where: CONFIG, needle: 'action_mailbox.ingress' }],
    explicit: /RAILS_INBOUND_EMAIL_PASSWORD["']\s*\]\s*(\|\|)?=(?!=)/,
    chain: 'credentials `action_mailbox.ingress_password`, then `ENV["RAILS_INBOUND_EMAIL_PASSWORD"]`',
    readsCredentials: true,
    envVars: ['RAILS_INBOUND_EMAIL_PASSWORD'],
    whenMissing: 'every inbound email request fails with ArgumentError ("Missing required ingress credentials")',
    goneConsequence: 'every inbound email request raises',
    claims: ['mailbox.ingress'],
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
