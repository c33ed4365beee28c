// What a missing key really does, per gem or library family: knowledge as data.
// Every effect follows a claim in ../knowledge/claims.ts (named in `claims`, whose sources the hover
// cites); wordings that hold only for some versions are variants chosen by the versions the
// lockfile resolved, with a fallback that holds for all of them. Order matters: the first matching
// profile wins.

import type { Severity } from '../types';
import type { Versioned } from '../knowledge/versions';
import { words } from './vocabulary';

export interface SecretProfile {
  id: string;
  /** `none`: a fork of this setting is benign (error reporters are sinks; nil only drops events). */
  severity: Severity | 'none';
  /** Matches the qualified setting name (`Lockbox.master_key`, `Devise.pepper`, `stripeKey`). */
  setting?: RegExp;
  /** Matches the words of the setting name plus the lookup path, joined by `_`. */
  words?: RegExp;
  /** For the hover: what a missing key does where the fork leaves it missing (CI runs `test`). */
  nilEffect: Versioned;
  /** For the hover: what a missing key does in production. */
  productionEffect: Versioned;
  /** For the message: the consequence when production lacks the key, a clause after "so" (plain, no markdown). */
  productionConsequence: Versioned;
  /** Wording for JavaScript/TypeScript when the Ruby gem's behaviour does not carry over. */
  js?: { nilEffect: string; productionEffect: string; productionConsequence: string };
  /** Claims (knowledge/claims.ts) the effects rest on, cited in the hover. */
  claims: readonly string[];
  /** Env var read when the lookup path gives no name. */
  envVar?: string;
  /** Test dummy, valid for the library: a Ruby expression and a JS expression. */
  dummy: { ruby: string; js: string };
}

const FAKE = (name: string) => ({ ruby: `"dummy-${name}-for-tests"`, js: `"dummy-${name}-for-tests"` });

export const PROFILES: readonly SecretProfile[] = [
  {
    id: 'lockbox',
    severity: 'error',
    setting: /^Lockbox\.master_key$/,
    nilEffect:
      'Lockbox raises "Missing master key" (ArgumentError) on the first encrypt or decrypt unless LOCKBOX_MASTER_KEY happens to be set, so encrypted attributes are not really exercised',
    productionEffect: 'every encrypt or decrypt raises "Missing master key" (ArgumentError) in production unless LOCKBOX_MASTER_KEY is set there',
    productionConsequence: 'encrypting or decrypting raises unless LOCKBOX_MASTER_KEY is set',
    claims: ['lockbox.missing-key', 'lockbox.env-getter'],
    envVar: 'LOCKBOX_MASTER_KEY',
    dummy: { ruby: '"0" * 64', js: '"0".repeat(64)' },
  },
  {
    id: 'blind_index',
    severity: 'error',
    setting: /^BlindIndex\.master_key$/,
    nilEffect:
      'BlindIndex raises "Missing master key" when a blind index is first computed (assigning the attribute, where, find_by) unless BLIND_INDEX_MASTER_KEY or the Lockbox key is set',
    productionEffect: 'computing any blind index raises "Missing master key" in production',
    productionConsequence: 'computing a blind index raises',
    claims: ['blind_index.missing-key'],
    envVar: 'BLIND_INDEX_MASTER_KEY',
    dummy: { ruby: '"0" * 64', js: '"0".repeat(64)' },
  },
  {
    id: 'active_record_encryption',
    severity: 'error',
    setting: /(^|\.)(active_record\.encryption|ActiveRecord::Encryption\.config)\.(primary_key|deterministic_key|key_derivation_salt)$/,
    nilEffect: [
      {
        when: 'activerecord >= 7.1, < 8.2',
        value:
          'the explicit nil overrides any credentials value, and Active Record raises Errors::Configuration ("Missing Active Record encryption credential") on the first encrypt or decrypt that needs the key (deterministic_key only for deterministic: true)',
      },
      {
        value:
          'the explicit nil overrides any credentials value, and Active Record raises an encryption configuration error on the first encrypt or decrypt that needs the key (deterministic_key only for deterministic: true)',
      },
    ],
    productionEffect: [
      { when: 'activerecord >= 7.1, < 8.2', value: 'encrypted attributes raise Errors::Configuration ("Missing Active Record encryption credential") in production' },
      { value: 'encrypted attributes raise an encryption configuration error in production' },
    ],
    productionConsequence: 'encrypted attributes raise a configuration error',
    claims: ['ar.explicit-nil-overrides', 'ar.missing-raises', 'ar.missing-text', 'ar.deterministic'],
    dummy: { ruby: '"0" * 32', js: '"0".repeat(32)' },
  },
  {
    id: 'secret_key_base',
    severity: 'error',
    setting: /(^|\.)secret_key_base$/,
    nilEffect: 'Rails substitutes a generated secret in development and test, so signed cookies, sessions and verifiers in CI never use the configured secret',
    productionEffect: [
      { when: 'rails >= 7.2', value: 'assigning nil to config.secret_key_base raises ArgumentError in production, at boot' },
      { when: 'rails >= 7.0, < 7.2', value: 'production falls back to SECRET_KEY_BASE and credentials, and raises ArgumentError at boot or on the first signing request when neither has it' },
      { value: 'production gets no configured secret and may raise ArgumentError (Rails 7.2 and later raise on the nil itself; earlier versions fall back to SECRET_KEY_BASE and credentials)' },
    ],
    productionConsequence: [
      { when: 'rails >= 7.2', value: 'Rails raises ArgumentError at boot' },
      { when: 'rails >= 7.0, < 7.2', value: 'Rails falls back to SECRET_KEY_BASE or credentials and raises if both are empty' },
      { value: 'Rails may raise ArgumentError at boot' },
    ],
    claims: ['skb.local-secret', 'skb.setter-raises', 'skb.nil-falls-back', 'skb.production-missing'],
    envVar: 'SECRET_KEY_BASE',
    dummy: { ruby: '"0" * 128', js: '"0".repeat(128)' },
  },
  {
    id: 'devise_pepper',
    severity: 'error',
    setting: /^Devise\.pepper$/,
    nilEffect: 'Devise hashes passwords without a pepper (it is applied only when present), so password hashing in test differs from production',
    productionEffect: 'Devise drops the pepper in production and every existing password silently fails to verify',
    productionConsequence: 'every existing password fails to verify',
    claims: ['devise.pepper'],
    envVar: 'DEVISE_PEPPER',
    dummy: FAKE('devise-pepper'),
  },
  {
    id: 'devise_secret_key',
    severity: 'warning',
    setting: /^Devise\.secret_key$/,
    nilEffect: 'Devise falls back to secret_key_base, so tests never use the configured key',
    productionEffect: 'Devise falls back to secret_key_base in production, so reset-password and unlock tokens signed with the configured key stop validating',
    productionConsequence: 'reset-password and unlock tokens stop validating',
    claims: ['devise.secret-key-chain', 'devise.tokens'],
    envVar: 'DEVISE_SECRET_KEY',
    dummy: { ruby: '"0" * 128', js: '"0".repeat(128)' },
  },
  {
    id: 'attr_encrypted',
    severity: 'error',
    setting: /^attr_encrypted\.key$/,
    nilEffect: 'attr_encrypted raises ArgumentError ("must specify a key") on the first encrypt or decrypt',
    productionEffect: 'attr_encrypted raises ArgumentError ("must specify a key") on every encrypt or decrypt in production',
    productionConsequence: 'every encrypt or decrypt raises',
    claims: ['attr_encrypted.no-default-key'],
    dummy: { ruby: '"0" * 32', js: '"0".repeat(32)' },
  },
  {
    id: 'kms_encrypted',
    severity: 'error',
    setting: /^KmsEncrypted\.key_id$/,
    nilEffect: 'kms_encrypted fails with NoMethodError on the first encrypt or decrypt unless KMS_KEY_ID is set',
    productionEffect: 'kms_encrypted fails with NoMethodError on every encrypt or decrypt in production',
    productionConsequence: 'every encrypt or decrypt fails',
    claims: ['kms.nil'],
    envVar: 'KMS_KEY_ID',
    dummy: { ruby: '"insecure-test-key"', js: '"insecure-test-key"' },
  },
  {
    // Reporters drop events silently without a DSN or key: a fork here routes around infrastructure.
    id: 'error_reporter',
    severity: 'none',
    setting: /^(Sentry|Honeybadger|Bugsnag|Rollbar|Raven|Airbrake|Appsignal)\.|(^|\.)dsn$|^sentryDsn$/i,
    // Log shippers are sinks too: without a key they log elsewhere (STDOUT) or drop lines.
    words: /(^|_)(sentry|honeybadger|bugsnag|rollbar|airbrake|appsignal|datadog|newrelic|logdna|log_dna|loggly|papertrail|logrocket|logtail|betterstack|scout|skylight|logger)(_|$)/,
    nilEffect: '',
    productionEffect: '',
    productionConsequence: '',
    claims: [],
    dummy: FAKE('reporter'),
  },
  {
    id: 'stripe',
    severity: 'warning',
    setting: /^Stripe\.api_key$/,
    words: /(^|_)stripe(_|$)/,
    nilEffect: 'the Stripe client has no API key in test (stripe-ruby raises Stripe::AuthenticationError "No API key provided" before any HTTP call), so Stripe calls must be mocked above the client',
    productionEffect: 'every Stripe call raises an authentication error in production',
    productionConsequence: 'every Stripe call fails authentication',
    js: {
      nilEffect: 'the Stripe client gets no API key in test, so Stripe calls must be mocked above the client',
      productionEffect: 'every Stripe call fails authentication in production',
      productionConsequence: 'every Stripe call fails authentication',
    },
    claims: ['stripe.no-key'],
    envVar: 'STRIPE_API_KEY',
    dummy: { ruby: '"sk_test_123"', js: '"sk_test_123"' },
  },
  {
    id: 'twilio_sid',
    severity: 'warning',
    setting: /^Twilio\.account_sid$/,
    words: /(^|_)twilio_(account_)?sid(_|$)/,
    nilEffect: 'Twilio is configured without credentials in test and never checks them locally, so requests only fail at the API',
    productionEffect: 'Twilio requests are rejected by the API in production',
    productionConsequence: 'Twilio requests are rejected',
    js: { nilEffect: 'the Twilio client gets no credentials in test, so Twilio calls must be mocked above the client', productionEffect: 'Twilio calls fail in production', productionConsequence: 'Twilio calls fail' },
    claims: ['twilio.no-local-check'],
    dummy: { ruby: '"AC" + "0" * 32', js: '"AC" + "0".repeat(32)' },
  },
  {
    id: 'twilio',
    severity: 'warning',
    setting: /^Twilio\./,
    words: /(^|_)twilio(_|$)/,
    nilEffect: 'Twilio is configured without credentials in test and never checks them locally, so requests only fail at the API',
    productionEffect: 'Twilio requests are rejected by the API in production',
    productionConsequence: 'Twilio requests are rejected',
    js: { nilEffect: 'the Twilio client gets no credentials in test, so Twilio calls must be mocked above the client', productionEffect: 'Twilio calls fail in production', productionConsequence: 'Twilio calls fail' },
    claims: ['twilio.no-local-check'],
    dummy: { ruby: '"0" * 32', js: '"0".repeat(32)' },
  },
  {
    // What nil does depends on the library, but the signature path never sees the real key.
    id: 'signing_secret',
    severity: 'error',
    words: /(^|_)(signing|signature|webhook|hmac|jwt|session|cookie|csrf)_(secret|key|salt)(_|$)|(^|_)(jwt|hmac)(_|$)/,
    nilEffect: 'signing and verification get nil instead of the secret in test, so whatever the library does then (raise, or skip verification) is what CI tests',
    productionEffect: 'signing and verification get nil instead of the secret in production',
    productionConsequence: 'signing and verification get no secret',
    claims: [],
    dummy: FAKE('signing-secret'),
  },
  {
    // Nil changes what is stored or raises; either way CI does not encrypt as production does.
    id: 'encryption_key',
    severity: 'error',
    // `master` and `private` alone name many things (`Client.master`, `config.private`): only with a key word.
    words: /(^|_)(encryption|encrypt|encrypted|cipher|crypt|aes)(_key|_secret|_salt)?(_|$)|(^|_)(master|private)_(key|secret)(_|$)|(^|_)pepper(_|$)|(^|_)salt(_|$)/,
    nilEffect: 'code that encrypts with it gets nil in test, so encryption in CI does not run as it does in production',
    productionEffect: 'code that encrypts with it gets nil in production',
    productionConsequence: 'code that encrypts with it gets no key',
    claims: [],
    dummy: FAKE('encryption-key'),
  },
  {
    // Connection credentials of infrastructure (databases, caches, mail relays): a test fork points at
    // a different backend (a local database, the :test mailer), which routes around infrastructure.
    id: 'infrastructure_credential',
    severity: 'none',
    // Active Record's own connection setup: test connects through its database.yml entry.
    setting: /(^|\.)(establish_connection|connects_to)$/,
    words: /(^|_)(db|database|postgres|postgresql|pg|mysql|redis|smtp|amqp|rabbitmq|memcache|memcached|elasticsearch|opensearch|mongo|mongodb|sql|ldap|ftp|sftp)(_|$)/,
    nilEffect: '',
    productionEffect: '',
    productionConsequence: '',
    claims: [],
    dummy: FAKE('connection'),
  },
  {
    id: 'credential',
    severity: 'warning',
    nilEffect: 'code that uses it gets nil in test and the credential is never validated there',
    productionEffect: 'code that uses it gets nil in production',
    productionConsequence: 'code that uses it gets no credential',
    claims: [],
    dummy: FAKE('credential'),
  },
];

/** A setting a profile names outright (`config.active_record.encryption.primary_key`), as opposed to one matched by its words. */
export function isKnownSecretSetting(qualified: string): boolean {
  return PROFILES.some((p) => p.severity !== 'none' && p.setting?.test(qualified));
}

export function profileFor(qualified: string, lookupPath: readonly string[]): SecretProfile {
  const joined = [...words(qualified), ...lookupPath.flatMap((p) => words(p))].join('_');
  for (const p of PROFILES) {
    if (p.setting?.test(qualified) || p.words?.test(joined)) return p;
    if (!p.setting && !p.words) return p;
  }
  // The last profile matches everything; this is unreachable but keeps the type total.
  return PROFILES[PROFILES.length - 1] as SecretProfile;
}
