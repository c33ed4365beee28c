// What a nil key really does, per gem or library family: knowledge as data.
// Every effect string is checked against ../shared/knowledge/gem-key-lookups.md (section numbers
// in comments); keep them true when editing. Order matters: the first matching profile wins.

import type { Severity } from '../types';
import { words } from './vocabulary';

export interface SecretProfile {
  id: string;
  /** `none`: a fork of this setting is benign (error reporters are sinks; nil only drops events). */
  severity: Severity | 'none';
  /** Matches the qualified setting name (`Lockbox.master_key`, `Devise.pepper`, `stripeKey`). */
  setting?: RegExp;
  /** Matches the words of the setting name plus the lookup path, joined by `_`. */
  words?: RegExp;
  /** What nil does where the fork makes it nil (CI runs `test`). */
  nilEffect: string;
  /** What nil does if production is the environment that gets it. */
  productionEffect: string;
  /** Wording for JavaScript/TypeScript when the Ruby gem's behaviour does not carry over. */
  js?: { nilEffect: string; productionEffect: string };
  /** Env var read when the lookup path gives no name. */
  envVar?: string;
  /** Test dummy, valid for the library: a Ruby expression and a JS expression. */
  dummy: { ruby: string; js: string };
}

const FAKE = (name: string) => ({ ruby: `"dummy-${name}-for-tests"`, js: `"dummy-${name}-for-tests"` });

export const PROFILES: readonly SecretProfile[] = [
  {
    // §1.1: lib/lockbox.rb:65-67 raises lazily; the getter re-reads ENV["LOCKBOX_MASTER_KEY"].
    id: 'lockbox',
    severity: 'error',
    setting: /^Lockbox\.master_key$/,
    nilEffect:
      'Lockbox raises "Missing master key" (ArgumentError) on the first encrypt or decrypt unless LOCKBOX_MASTER_KEY happens to be set, so encrypted attributes are not really exercised',
    productionEffect: 'every encrypt or decrypt raises "Missing master key" (ArgumentError) in production',
    envVar: 'LOCKBOX_MASTER_KEY',
    dummy: { ruby: '"0" * 64', js: '"0".repeat(64)' },
  },
  {
    // §1.2: lib/blind_index.rb:113-115.
    id: 'blind_index',
    severity: 'error',
    setting: /^BlindIndex\.master_key$/,
    nilEffect:
      'BlindIndex raises "Missing master key" when a blind index is first computed (assigning the attribute, where/find_by) unless BLIND_INDEX_MASTER_KEY or the Lockbox key is set',
    productionEffect: 'computing any blind index raises "Missing master key" in production',
    envVar: 'BLIND_INDEX_MASTER_KEY',
    dummy: { ruby: '"0" * 64', js: '"0".repeat(64)' },
  },
  {
    // §1.3: config.rb:35-46; an explicit nil in config.active_record.encryption overrides credentials (§0.5 item 5).
    id: 'active_record_encryption',
    severity: 'error',
    setting: /(^|\.)(active_record\.encryption|ActiveRecord::Encryption\.config)\.(primary_key|deterministic_key|key_derivation_salt)$/,
    nilEffect:
      'the explicit nil overrides any credentials value and Active Record raises Errors::Configuration ("Missing Active Record encryption credential") on the first encrypt or decrypt',
    productionEffect: 'encrypted attributes raise Errors::Configuration ("Missing Active Record encryption credential") in production',
    dummy: { ruby: '"0" * 32', js: '"0".repeat(32)' },
  },
  {
    // §1.4: Rails uses tmp/local_secret.txt in development and test; production raises at boot.
    id: 'secret_key_base',
    severity: 'error',
    setting: /(^|\.)secret_key_base$/,
    nilEffect:
      'in development and test Rails falls back to SECRET_KEY_BASE, credentials or tmp/local_secret.txt (7.2 always uses the file), so signed cookies, sessions and verifiers in CI never use the configured secret',
    productionEffect: "Rails raises ArgumentError \"Missing `secret_key_base` for 'production' environment\" at boot or on the first request",
    envVar: 'SECRET_KEY_BASE',
    dummy: { ruby: '"0" * 128', js: '"0".repeat(128)' },
  },
  {
    // §1.5: the pepper is applied only when present (lib/devise/encryptor.rb:7-21).
    id: 'devise_pepper',
    severity: 'error',
    setting: /^Devise\.pepper$/,
    nilEffect: 'Devise hashes passwords without a pepper (it is applied only when present), so password hashing in test differs from production',
    productionEffect: 'Devise drops the pepper in production and every existing password silently fails to verify',
    envVar: 'DEVISE_PEPPER',
    dummy: FAKE('devise-pepper'),
  },
  {
    // §1.5: `Devise.secret_key ||= app.secret_key_base` in Devise 5.
    id: 'devise_secret_key',
    severity: 'warning',
    setting: /^Devise\.secret_key$/,
    nilEffect: 'Devise falls back to secret_key_base, so tests never use the configured key',
    productionEffect: 'Devise falls back to secret_key_base in production and tokens signed with the configured key stop validating',
    envVar: 'DEVISE_SECRET_KEY',
    dummy: { ruby: '"0" * 128', js: '"0".repeat(128)' },
  },
  {
    // §1.6: encryptor raises "must specify a key"; the default mode needs exactly 32 bytes.
    id: 'attr_encrypted',
    severity: 'error',
    setting: /^attr_encrypted\.key$/,
    nilEffect: 'attr_encrypted raises ArgumentError ("must specify a key") on the first encrypt or decrypt',
    productionEffect: 'attr_encrypted raises ArgumentError ("must specify a key") on every encrypt or decrypt in production',
    dummy: { ruby: '"0" * 32', js: '"0".repeat(32)' },
  },
  {
    // §1.7: client.rb:41 calls start_with? on the key id.
    id: 'kms_encrypted',
    severity: 'error',
    setting: /^KmsEncrypted\.key_id$/,
    nilEffect: 'kms_encrypted fails with NoMethodError on the first encrypt or decrypt unless KMS_KEY_ID is set',
    productionEffect: 'kms_encrypted fails with NoMethodError on every encrypt or decrypt in production',
    envVar: 'KMS_KEY_ID',
    dummy: { ruby: '"insecure-test-key"', js: '"insecure-test-key"' },
  },
  {
    // §1.12: reporters drop events silently without a DSN/key; a fork here routes around infrastructure.
    id: 'error_reporter',
    severity: 'none',
    setting: /^(Sentry|Honeybadger|Bugsnag|Rollbar|Raven|Airbrake|Appsignal)\.|(^|\.)dsn$|^sentryDsn$/i,
    words: /(^|_)(sentry|honeybadger|bugsnag|rollbar|airbrake|appsignal|datadog|newrelic)(_|$)/,
    nilEffect: '',
    productionEffect: '',
    dummy: FAKE('reporter'),
  },
  {
    // §1.14: stripe-ruby raises AuthenticationError before any HTTP call (api_requestor.rb:477-479).
    id: 'stripe',
    severity: 'warning',
    setting: /^Stripe\.api_key$/,
    words: /(^|_)stripe(_|$)/,
    nilEffect: 'the Stripe client has no API key in test (stripe-ruby raises Stripe::AuthenticationError "No API key provided" before any HTTP call), so Stripe calls must be mocked above the client',
    productionEffect: 'every Stripe call raises an authentication error in production',
    js: {
      nilEffect: 'the Stripe client gets no API key in test, so Stripe calls must be mocked above the client',
      productionEffect: 'every Stripe call fails authentication in production',
    },
    envVar: 'STRIPE_API_KEY',
    dummy: { ruby: '"sk_test_123"', js: '"sk_test_123"' },
  },
  {
    // §1.15: the gem's specs use 'AC' + 32 characters for account SIDs.
    id: 'twilio_sid',
    severity: 'warning',
    setting: /^Twilio\.account_sid$/,
    words: /(^|_)twilio_(account_)?sid(_|$)/,
    nilEffect: 'Twilio is configured without credentials in test and never checks them locally, so requests only fail at the API',
    productionEffect: 'Twilio requests are rejected by the API in production',
    js: { nilEffect: 'the Twilio client gets no credentials in test, so Twilio calls must be mocked above the client', productionEffect: 'Twilio calls fail in production' },
    dummy: { ruby: '"AC" + "0" * 32', js: '"AC" + "0".repeat(32)' },
  },
  {
    // §1.15: no local validation; requests carry empty basic auth.
    id: 'twilio',
    severity: 'warning',
    setting: /^Twilio\./,
    words: /(^|_)twilio(_|$)/,
    nilEffect: 'Twilio is configured without credentials in test and never checks them locally, so requests only fail at the API',
    productionEffect: 'Twilio requests are rejected by the API in production',
    js: { nilEffect: 'the Twilio client gets no credentials in test, so Twilio calls must be mocked above the client', productionEffect: 'Twilio calls fail in production' },
    dummy: { ruby: '"0" * 32', js: '"0".repeat(32)' },
  },
  {
    // Signing secrets: what nil does depends on the library, but the signature path never sees the real key.
    id: 'signing_secret',
    severity: 'error',
    words: /(^|_)(signing|signature|webhook|hmac|jwt|session|cookie|csrf)_(secret|key|salt)(_|$)|(^|_)(jwt|hmac)(_|$)/,
    nilEffect: 'signing and verification get nil instead of the secret in test, so whatever the library does then (raise, or skip verification) is what CI tests',
    productionEffect: 'signing and verification get nil instead of the secret in production',
    dummy: FAKE('signing-secret'),
  },
  {
    // Other encryption keys: nil changes what is stored or raises; either way CI does not encrypt as production does.
    id: 'encryption_key',
    severity: 'error',
    words: /(^|_)(encryption|encrypt|encrypted|cipher|crypt|master|private|aes)(_key|_secret|_salt)?(_|$)|(^|_)pepper(_|$)|(^|_)salt(_|$)/,
    nilEffect: 'code that encrypts with it gets nil in test, so encryption in CI does not run as it does in production',
    productionEffect: 'code that encrypts with it gets nil in production',
    dummy: FAKE('encryption-key'),
  },
  {
    // Connection credentials of infrastructure (databases, caches, mail relays): a test fork points at
    // a different backend (a local database, the :test mailer), which routes around infrastructure.
    id: 'infrastructure_credential',
    severity: 'none',
    words: /(^|_)(db|database|postgres|postgresql|pg|mysql|redis|smtp|amqp|rabbitmq|memcache|memcached|elasticsearch|opensearch|mongo|mongodb|sql|ldap|ftp|sftp)(_|$)/,
    nilEffect: '',
    productionEffect: '',
    dummy: FAKE('connection'),
  },
  {
    id: 'credential',
    severity: 'warning',
    nilEffect: 'code that uses it gets nil in test and the credential is never validated there',
    productionEffect: 'code that uses it gets nil in production',
    dummy: FAKE('credential'),
  },
];

export function profileFor(qualified: string, lookupPath: readonly string[]): SecretProfile {
  const joined = [...words(qualified), ...lookupPath.flatMap((p) => words(p))].join('_');
  for (const p of PROFILES) {
    if (p.setting?.test(qualified) || p.words?.test(joined)) return p;
    if (!p.setting && !p.words) return p;
  }
  // The last profile matches everything; this is unreachable but keeps the type total.
  return PROFILES[PROFILES.length - 1] as SecretProfile;
}
