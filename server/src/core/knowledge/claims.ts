// What initaudit states about libraries, as data: each statement with the versions it holds for and
// where it was read (repository, tag or commit, file:line). Messages, hovers and fixes pick their
// wording from here by the versions the lockfile resolved (versions.ts); every rule's docs page
// carries the same rows in its "Claims and sources" table (checked by test/docs/claims.test.ts).
// The evidence is in ../shared/knowledge/ (claims-checked.md, gem-key-lookups.md, advisory-locks.md).

export interface Source {
  /** owner/name on GitHub, or a documentation site. */
  repo: string;
  /** The tag or commit the file was read at. */
  ref: string;
  path: string;
  lines?: string;
}

export interface Claim {
  id: string;
  rules: readonly string[];
  /** One plain sentence, as the docs table shows it. */
  statement: string;
  /** `all`, or requirements such as `lockbox >= 1.0, < 2.0; activerecord < 7.0` (versions.ts). */
  holds: string;
  sources: readonly Source[];
}

const ENV_FORK = 'env-forked-nil-secret';
const IMPLICIT = 'implicit-gem-key-lookup';
const CREDS = 'credentials-file-missing';
const SESSION_POOL = 'session-lock-on-pool';
const XACT = 'xact-lock-outside-transaction';
const IN_TX = 'session-lock-in-transaction';
const POOLER = 'session-lock-behind-pooler';
const LOCK_RULES = [SESSION_POOL, XACT, IN_TX, POOLER];
const MIGRATIONS = 'migrations-through-transaction-pooler';
const CI_IPV6 = 'ci-database-unreachable-ipv6';
const SESSION_SETTING = 'session-setting-through-transaction-pooler';
const BUDGET = 'connection-budget';
const UNTESTED = 'encrypted-attribute-untested';
const DRIFT = 'lockfile-major-drift';

const rails = (ref: string, path: string, lines?: string): Source => ({ repo: 'rails/rails', ref, path, ...(lines ? { lines } : {}) });
const lockbox = (path: string, lines: string, ref = 'v2.1.0'): Source => ({ repo: 'ankane/lockbox', ref, path, lines });
const pgDocs = (path: string): Source => ({ repo: 'postgres/postgres', ref: '09769402', path });
const sidekiq = (ref: string, path: string, lines: string): Source => ({ repo: 'sidekiq/sidekiq', ref, path, lines });
const connectionPool = (ref: string, path: string, lines: string): Source => ({ repo: 'mperham/connection_pool', ref, path, lines });

export const CLAIMS: readonly Claim[] = [
  // Lockbox (gem-key-lookups.md §1.1)
  {
    id: 'lockbox.missing-key',
    rules: [ENV_FORK, IMPLICIT],
    statement: 'Without a master key, Lockbox raises ArgumentError "Missing master key" on the first encrypt or decrypt of a non-nil value, never at boot.',
    holds: 'lockbox >= 0.2.0',
    sources: [lockbox('lib/lockbox.rb', '65-67'), lockbox('lib/lockbox/utils.rb', '19-27')],
  },
  {
    id: 'lockbox.env-getter',
    rules: [ENV_FORK, IMPLICIT],
    statement: 'While no key is assigned, Lockbox.master_key re-reads ENV["LOCKBOX_MASTER_KEY"] on every call, so an assigned nil falls back to the variable.',
    holds: 'lockbox >= 0.2.0',
    sources: [lockbox('lib/lockbox.rb', '35-37')],
  },
  {
    id: 'lockbox.railtie-credentials',
    rules: [IMPLICIT],
    statement: "Lockbox's Railtie copies credentials lockbox.master_key into Lockbox.master_key when the variable is unset; an initializer's assignment runs later and wins.",
    holds: 'lockbox >= 0.6.1',
    sources: [lockbox('lib/lockbox/railtie.rb', '3-7'), { repo: 'ankane/lockbox', ref: '34bf2f3', path: 'lib/lockbox/railtie.rb' }],
  },
  {
    id: 'lockbox.encrypts-owner',
    rules: [IMPLICIT, UNTESTED],
    statement: 'encrypts in a model is Lockbox\'s own method while Active Record is older than 7.0, in every Lockbox release before 2.0; otherwise it is Active Record encryption.',
    holds: 'lockbox < 2.0; activerecord < 7.0',
    sources: [lockbox('lib/lockbox.rb', '110-112', 'v1.4.1'), lockbox('CHANGELOG.md', '14, 67', 'v2.1.0')],
  },
  {
    id: 'lockbox.dummy',
    rules: [ENV_FORK, IMPLICIT],
    statement: '"0" * 64 (64 hex digits) is a valid Lockbox master key for tests.',
    holds: 'all',
    sources: [lockbox('README.md', '35'), lockbox('lib/lockbox/utils.rb', '61-69')],
  },
  // Where each library keeps the ciphertext, for encrypted-attribute-untested (read in the gems' source)
  {
    id: 'lockbox.ciphertext-attribute',
    rules: [UNTESTED],
    statement: 'Lockbox stores an encrypted attribute in the column <attribute>_ciphertext, or in the one named by the encrypted_attribute option.',
    holds: 'lockbox >= 0.3.0',
    sources: [lockbox('lib/lockbox/model.rb', '43', 'v0.6.4'), lockbox('lib/lockbox/model.rb', '45'), lockbox('lib/lockbox/model.rb', '61', 'v0.3.0')],
  },
  {
    id: 'lockbox.encrypts-on-assignment',
    rules: [UNTESTED],
    statement: 'Assigning a Lockbox-encrypted attribute encrypts the value at once and writes the ciphertext attribute, before the record is saved.',
    holds: 'lockbox >= 0.3.0',
    sources: [lockbox('lib/lockbox/model.rb', '357-392', 'v0.6.4'), lockbox('lib/lockbox/model.rb', '496-531')],
  },
  {
    id: 'lockbox.attachment-download',
    rules: [UNTESTED],
    statement: "An encrypted attachment's download decrypts the stored file; the blob itself holds the ciphertext.",
    holds: 'lockbox >= 0.6.4',
    sources: [lockbox('lib/lockbox/active_storage_extensions.rb', '101-115', 'v0.6.4'), lockbox('lib/lockbox/active_storage_extensions.rb', '82-92')],
  },
  {
    id: 'ar.ciphertext-for',
    rules: [UNTESTED],
    statement: 'ciphertext_for(:attribute) returns the stored ciphertext of an encrypted attribute; since pull request 46284 (Rails 7.1) it also encrypts a value not yet saved, which it returned as cleartext before.',
    holds: 'activerecord >= 7.0',
    sources: [
      rails('fa8f0812', 'activerecord/lib/active_record/encryption/encryptable_record.rb', '157-163'),
      { repo: 'rails/rails', ref: 'pull 46284', path: 'github.com/rails/rails/pull/46284' },
    ],
  },
  {
    id: 'attr_encrypted.encrypted-attribute',
    rules: [UNTESTED],
    statement: 'attr_encrypted stores the ciphertext in prefix + attribute + suffix (encrypted_<attribute> by default), or in the attribute option, and encrypts on assignment.',
    holds: 'attr_encrypted >= 1.0',
    sources: [
      { repo: 'attr-encrypted/attr_encrypted', ref: 'v4.2.0', path: 'lib/attr_encrypted.rb', lines: '145, 166-169, 189-193' },
      { repo: 'attr-encrypted/attr_encrypted', ref: '0142a76', path: 'lib/attr_encrypted.rb' },
    ],
  },
  // blind_index (§1.2)
  {
    id: 'blind_index.missing-key',
    rules: [ENV_FORK, IMPLICIT],
    statement: 'Without a master key, BlindIndex raises "Missing master key" when a blind index is first computed (assigning the attribute, where, find_by).',
    holds: 'all',
    sources: [{ repo: 'ankane/blind_index', ref: 'v2.8.1', path: 'lib/blind_index.rb', lines: '113-115, 139-147' }],
  },
  {
    id: 'blind_index.lockbox-fallback',
    rules: [IMPLICIT],
    statement: 'BlindIndex.master_key reads ENV["BLIND_INDEX_MASTER_KEY"], then falls back to Lockbox.master_key when Lockbox is installed.',
    holds: 'blind_index >= 2.0.0',
    sources: [{ repo: 'ankane/blind_index', ref: 'v2.0.0', path: 'lib/blind_index.rb', lines: '23-25' }],
  },
  {
    id: 'blind_index.changed-key',
    rules: [IMPLICIT],
    statement: 'A changed blind index key raises nothing: lookups and uniqueness checks on blind-indexed columns silently stop matching.',
    holds: 'all',
    sources: [{ repo: 'ankane/blind_index', ref: 'v2.8.1', path: 'lib/blind_index.rb', lines: '113-131' }],
  },
  // Active Record encryption (§1.3)
  {
    id: 'ar.credentials-chain',
    rules: [IMPLICIT],
    statement: "Active Record's Railtie reads credentials active_record_encryption.primary_key, .deterministic_key and .key_derivation_salt, under config.active_record.encryption; there is no ENV fallback.",
    holds: 'activerecord >= 7.0, < 8.2',
    sources: [rails('v8.1.3', 'activerecord/lib/active_record/railtie.rb', '361-367'), rails('v7.0.8', 'activerecord/lib/active_record/railtie.rb', '332-334')],
  },
  {
    id: 'ar.missing-raises',
    rules: [ENV_FORK, IMPLICIT],
    statement: 'Without a primary key, Active Record raises ActiveRecord::Encryption::Errors::Configuration on the first encrypt or decrypt, not at boot.',
    holds: 'activerecord >= 7.0',
    sources: [rails('v8.1.3', 'activerecord/lib/active_record/encryption/config.rb', '35-46'), rails('v7.0.8', 'activerecord/lib/active_record/encryption/scheme.rb', '77-88')],
  },
  {
    id: 'ar.missing-text',
    rules: [ENV_FORK, IMPLICIT],
    statement: 'The error reads "Missing Active Record encryption credential: active_record_encryption.primary_key".',
    holds: 'activerecord >= 7.1, < 8.2',
    sources: [rails('v8.1.3', 'activerecord/lib/active_record/encryption/config.rb', '44'), rails('v8.1.3', 'activerecord/lib/active_record/encryption/scheme.rb', '96-99')],
  },
  {
    id: 'ar.deterministic',
    rules: [ENV_FORK, IMPLICIT],
    statement: 'deterministic_key is needed only by attributes declared with deterministic: true.',
    holds: 'activerecord >= 7.0',
    sources: [rails('v8.1.3', 'activerecord/lib/active_record/encryption/scheme.rb', '108-114')],
  },
  {
    id: 'ar.explicit-nil-overrides',
    rules: [ENV_FORK],
    statement: 'An explicit nil in config.active_record.encryption overrides the credentials value.',
    holds: 'activerecord >= 7.0, < 8.2',
    sources: [rails('v8.1.3', 'activerecord/lib/active_record/railtie.rb', '361-367'), rails('v8.1.3', 'activesupport/lib/active_support/ordered_options.rb', '33-38')],
  },
  {
    id: 'ar.configure-resets',
    rules: [IMPLICIT],
    statement: 'ActiveRecord::Encryption.configure resets the other encryption settings (serializer, encryptor, key provider), so the fix never calls it.',
    holds: 'activerecord >= 7.1',
    sources: [rails('v8.1.3', 'activerecord/lib/active_record/encryption/configurable.rb', '20-38')],
  },
  {
    id: 'ar.config-setter',
    rules: [IMPLICIT],
    statement: 'Assigning ActiveRecord::Encryption.config.primary_key in an initializer takes effect and keeps the other settings: the key provider is built on the first encrypt or decrypt.',
    holds: 'activerecord >= 7.0',
    sources: [rails('v8.1.3', 'activerecord/lib/active_record/encryption/context.rb', '24-26'), rails('0855de25', 'activerecord/lib/active_record/encryption/configurable.rb')],
  },
  // secret_key_base (§1.4)
  {
    id: 'skb.production-missing',
    rules: [ENV_FORK, IMPLICIT],
    statement: 'With neither SECRET_KEY_BASE nor credentials secret_key_base, production raises ArgumentError at boot or on the first request that signs or encrypts.',
    holds: 'rails >= 7.0',
    sources: [
      rails('v8.1.3', 'railties/lib/rails/application/configuration.rb', '535-545'),
      rails('v8.1.3', 'activestorage/lib/active_storage/engine.rb', '164-167'),
      rails('v7.0.8', 'railties/lib/rails/application.rb', '581-595'),
    ],
  },
  {
    id: 'skb.setter-raises',
    rules: [ENV_FORK],
    statement: 'Assigning nil to config.secret_key_base raises ArgumentError in production.',
    holds: 'rails >= 7.2',
    sources: [rails('v7.2.2', 'railties/lib/rails/application/configuration.rb', '511-521')],
  },
  {
    id: 'skb.nil-falls-back',
    rules: [ENV_FORK],
    statement: 'Before 7.2, a nil config.secret_key_base in production falls back to SECRET_KEY_BASE and credentials.',
    holds: 'rails >= 7.0, < 7.2',
    sources: [rails('v7.1.5', 'railties/lib/rails/application.rb', '479-484'), rails('v7.0.8', 'railties/lib/rails/application.rb', '419-421')],
  },
  {
    id: 'skb.local-secret',
    rules: [ENV_FORK],
    statement: 'In development and test Rails substitutes a generated secret for a missing secret_key_base.',
    holds: 'all',
    sources: [rails('v8.1.3', 'railties/lib/rails/application/configuration.rb', '653-662'), rails('v7.0.8', 'railties/lib/rails/application.rb', '415-417')],
  },
  {
    id: 'skb.config-read',
    rules: [IMPLICIT],
    statement: 'Production reads config.secret_key_base before SECRET_KEY_BASE and credentials, so the explicit initializer is offered from Rails 7.1.',
    holds: 'rails >= 7.1',
    sources: [rails('v7.1.5', 'railties/lib/rails/application.rb', '479')],
  },
  {
    id: 'skb.rotation',
    rules: [IMPLICIT],
    statement: 'A changed secret_key_base raises nothing: sessions, signed cookies, signed ids and Active Storage URLs silently stop validating.',
    holds: 'all',
    sources: [rails('v8.1.3', 'activesupport/lib/active_support/message_verifiers.rb', '185-187')],
  },
  // Devise (§1.5)
  {
    id: 'devise.secret-key-chain',
    rules: [ENV_FORK, IMPLICIT],
    statement: 'Devise.secret_key defaults to secret_key_base; Devise 4.4.3 to 4.9 reads credentials secret_key_base first.',
    holds: 'devise >= 4.4.3',
    sources: [
      { repo: 'heartcombo/devise', ref: 'v5.0.3', path: 'lib/devise/rails.rb', lines: '40-49' },
      { repo: 'heartcombo/devise', ref: 'v4.9.4', path: 'lib/devise/secret_key_finder.rb', lines: '9-19' },
    ],
  },
  {
    id: 'devise.tokens',
    rules: [ENV_FORK, IMPLICIT],
    statement: 'A change of the key Devise signs with invalidates reset-password and unlock tokens already sent; confirmation tokens are stored raw and survive it.',
    holds: 'devise >= 4.1',
    sources: [{ repo: 'heartcombo/devise', ref: 'd122faf4', path: 'lib/devise/models/confirmable.rb', lines: '248-255' }],
  },
  {
    id: 'devise.pepper',
    rules: [ENV_FORK],
    statement: 'Devise applies the pepper only when it is present, so a missing pepper changes every password digest and existing passwords fail to verify, without an error.',
    holds: 'all',
    sources: [{ repo: 'heartcombo/devise', ref: 'v5.0.3', path: 'lib/devise/encryptor.rb', lines: '7-21' }],
  },
  // attr_encrypted (§1.6)
  {
    id: 'attr_encrypted.no-default-key',
    rules: [ENV_FORK, IMPLICIT],
    statement: 'attr_encrypted has no default key (key: defaults to nil), and encryptor raises ArgumentError "must specify a key" on the first encrypt or decrypt.',
    holds: 'all',
    sources: [
      { repo: 'attr-encrypted/attr_encrypted', ref: 'v4.2.0', path: 'lib/attr_encrypted.rb', lines: '40-47' },
      { repo: 'attr-encrypted/encryptor', ref: 'v3.0.0', path: 'lib/encryptor.rb', lines: '56-62' },
    ],
  },
  {
    id: 'attr_encrypted.if-false',
    rules: [ENV_FORK, IMPLICIT],
    statement: 'With if: false (or unless: true) attr_encrypted stores the plaintext: encryption is switched off on purpose.',
    holds: 'all',
    sources: [{ repo: 'attr-encrypted/attr_encrypted', ref: 'v4.2.0', path: 'lib/attr_encrypted.rb', lines: '263-272' }],
  },
  // kms_encrypted (§1.7)
  {
    id: 'kms.env',
    rules: [IMPLICIT],
    statement: 'KmsEncrypted.key_id defaults to ENV["KMS_KEY_ID"], read when the model class is defined.',
    holds: 'all',
    sources: [
      { repo: 'ankane/kms_encrypted', ref: 'v1.8.1', path: 'lib/kms_encrypted.rb', lines: '69-71' },
      { repo: 'ankane/kms_encrypted', ref: 'v1.8.1', path: 'lib/kms_encrypted/model.rb', lines: '3-4' },
    ],
  },
  {
    id: 'kms.nil',
    rules: [ENV_FORK, IMPLICIT],
    statement: 'Without a key id, kms_encrypted fails with NoMethodError on the first encrypt or decrypt (read in the source, not run).',
    holds: 'all',
    sources: [{ repo: 'ankane/kms_encrypted', ref: 'v1.8.1', path: 'lib/kms_encrypted/client.rb', lines: '41' }],
  },
  // recaptcha
  {
    id: 'recaptcha.env-default',
    rules: [IMPLICIT],
    statement: 'Unless configured, recaptcha reads its secret key from ENV["RECAPTCHA_SECRET_KEY"], and verify_recaptcha returns true without checking anything in the test and cucumber environments.',
    holds: 'recaptcha >= 4.0, < 6.0',
    sources: [
      { repo: 'ambethia/recaptcha', ref: 'v4.0.0', path: 'lib/recaptcha/configuration.rb', lines: '34-38' },
      { repo: 'ambethia/recaptcha', ref: 'v4.8.0', path: 'lib/recaptcha/verify.rb', lines: '9, 57-60' },
      { repo: 'ambethia/recaptcha', ref: 'v5.21.1', path: 'lib/recaptcha/configuration.rb', lines: '48-52' },
      { repo: 'ambethia/recaptcha', ref: 'v5.21.1', path: 'lib/recaptcha/adapters/controller_methods.rb', lines: '12' },
    ],
  },
  {
    id: 'recaptcha.missing-secret',
    rules: [IMPLICIT],
    statement: 'With no secret key, verify_recaptcha raises Recaptcha::RecaptchaError ("No secret key specified.") for a submitted token outside the skipped environments.',
    holds: 'recaptcha >= 4.0, < 6.0',
    sources: [
      { repo: 'ambethia/recaptcha', ref: 'v4.8.0', path: 'lib/recaptcha/verify.rb', lines: '48-49, 65' },
      { repo: 'ambethia/recaptcha', ref: 'v5.21.1', path: 'lib/recaptcha/configuration.rb', lines: '65-67' },
      { repo: 'ambethia/recaptcha', ref: 'v5.21.1', path: 'lib/recaptcha.rb', lines: '87' },
      { repo: 'ambethia/recaptcha', ref: 'v5.21.1', path: 'lib/recaptcha/adapters/controller_methods.rb', lines: '73-74' },
    ],
  },
  {
    id: 'recaptcha.per-call-key',
    rules: [IMPLICIT],
    statement: 'A verify_recaptcha call that passes secret_key: uses that key and never reads the configured one.',
    holds: 'recaptcha >= 4.0, < 6.0',
    sources: [
      { repo: 'ambethia/recaptcha', ref: 'v4.8.0', path: 'lib/recaptcha/verify.rb', lines: '65' },
      { repo: 'ambethia/recaptcha', ref: 'v5.21.1', path: 'lib/recaptcha.rb', lines: '86-87' },
    ],
  },
  // aws-sdk-rails (§1.11)
  {
    id: 'aws.chain',
    rules: [IMPLICIT],
    statement: "aws-sdk-rails merges credentials aws.access_key_id and aws.secret_access_key into Aws.config, then the SDK's provider chain (ENV, ~/.aws, an instance or task role) applies.",
    holds: 'all',
    sources: [
      { repo: 'aws/aws-sdk-rails', ref: 'v5.1.0', path: 'lib/aws/rails/railtie.rb', lines: '15-20' },
      { repo: 'aws/aws-sdk-ruby', ref: 'indexed file', path: 'gems/aws-sdk-core/lib/aws-sdk-core/credential_provider_chain.rb' },
    ],
  },
  {
    id: 'aws.missing',
    rules: [IMPLICIT],
    statement: 'With no credentials anywhere in the chain, the SDK raises Aws::Errors::MissingCredentialsError at the first signed request.',
    holds: 'all',
    sources: [{ repo: 'aws/aws-sdk-ruby', ref: 'indexed file', path: 'gems/aws-sdk-core/lib/aws-sdk-core/plugins/sign.rb' }],
  },
  // Pay, Mission Control, Flipper, Action Mailbox (§1.9, §1.15)
  {
    id: 'pay.chain',
    rules: [IMPLICIT],
    statement: 'Pay reads ENV["STRIPE_PRIVATE_KEY"], then credentials <env>.stripe.private_key, then stripe.private_key, and sets Stripe.api_key from it in a to_prepare block, after every initializer.',
    holds: 'pay >= 3.0',
    sources: [
      { repo: 'pay-rails/pay', ref: 'v11.7.0', path: 'lib/pay/env.rb', lines: '21-33' },
      { repo: 'pay-rails/pay', ref: 'v11.7.0', path: 'lib/pay/engine.rb', lines: '34-35' },
      { repo: 'pay-rails/pay', ref: 'v11.7.0', path: 'lib/pay/stripe.rb', lines: '43-44' },
    ],
  },
  {
    id: 'mcj.basic-auth',
    rules: [IMPLICIT],
    statement: 'Mission Control Jobs reads credentials mission_control.http_basic_auth_user and _password, and without them answers every dashboard request with 401.',
    holds: 'mission_control-jobs >= 1.0.0',
    sources: [
      { repo: 'rails/mission_control-jobs', ref: 'v1.1.0', path: 'lib/mission_control/jobs/engine.rb', lines: '37-40' },
      { repo: 'rails/mission_control-jobs', ref: 'v1.1.0', path: 'app/controllers/concerns/mission_control/jobs/basic_authentication.rb', lines: '9-16' },
    ],
  },
  {
    id: 'mcj.base-controller',
    rules: [IMPLICIT],
    statement: "A custom base_controller_class does not switch basic auth off: the engine's ApplicationController includes BasicAuthentication whatever its base class, so only http_basic_auth_enabled = false does.",
    holds: 'mission_control-jobs >= 1.0.0',
    sources: [
      { repo: 'rails/mission_control-jobs', ref: 'v1.0.0', path: 'app/controllers/mission_control/jobs/application_controller.rb', lines: '1-12' },
      { repo: 'rails/mission_control-jobs', ref: 'v1.1.0', path: 'app/controllers/mission_control/jobs/application_controller.rb', lines: '1-12' },
      { repo: 'rails/mission_control-jobs', ref: 'v1.1.0', path: 'lib/mission_control/jobs.rb', lines: '33' },
    ],
  },
  {
    id: 'mcj.no-basic-auth',
    rules: [IMPLICIT],
    statement: 'Before 1.0 Mission Control Jobs has no basic auth and reads no key: the dashboard is open unless the app authenticates it, so nothing is reported.',
    holds: 'mission_control-jobs < 1.0.0',
    sources: [{ repo: 'rails/mission_control-jobs', ref: 'v0.6.0', path: 'lib/mission_control/jobs.rb', lines: '14-23' }],
  },
  {
    id: 'flipper.cloud',
    rules: [IMPLICIT],
    statement: "Flipper's engine copies credentials flipper.cloud_token into ENV[\"FLIPPER_CLOUD_TOKEN\"], and without a token silently uses the local adapter.",
    holds: 'flipper >= 1.1.0',
    sources: [{ repo: 'flippercloud/flipper', ref: 'v1.4.2', path: 'lib/flipper/engine.rb', lines: '40-57' }],
  },
  {
    id: 'mailbox.ingress',
    rules: [IMPLICIT],
    statement: 'The Action Mailbox ingress password comes from credentials action_mailbox.ingress_password, then ENV["RAILS_INBOUND_EMAIL_PASSWORD"]; without it every ingress request raises ArgumentError.',
    holds: 'all',
    sources: [rails('v8.1.3', 'actionmailbox/app/controllers/action_mailbox/base_controller.rb', '22-32')],
  },
  // Stripe, Twilio (§1.14, §1.15)
  {
    id: 'stripe.no-key',
    rules: [ENV_FORK],
    statement: 'stripe-ruby raises Stripe::AuthenticationError "No API key provided" before any HTTP call; it reads no environment variable for the key.',
    holds: 'all',
    sources: [
      { repo: 'stripe/stripe-ruby', ref: 'v19.5.0', path: 'lib/stripe/api_requestor.rb', lines: '477-479' },
      { repo: 'stripe/stripe-ruby', ref: 'v19.5.0', path: 'lib/stripe.rb', lines: '189' },
    ],
  },
  {
    id: 'twilio.no-local-check',
    rules: [ENV_FORK],
    statement: 'twilio-ruby does not check credentials locally: requests without them fail at the API (read in the source, not run).',
    holds: 'all',
    sources: [{ repo: 'twilio/twilio-ruby', ref: '7.11.1', path: 'lib/twilio-ruby/base/client_base.rb', lines: '12-24' }],
  },
  // Rails credentials and boot order
  {
    id: 'rails.missing-credentials',
    rules: [CREDS, IMPLICIT],
    statement: 'Rails rescues a missing credentials file: dig and single reads return nil, a chained read raises NoMethodError, and a ! read raises KeyError.',
    holds: 'rails >= 6.1',
    sources: [
      rails('v8.1.3', 'activesupport/lib/active_support/encrypted_configuration.rb', '62-67'),
      rails('v8.1.3', 'activesupport/lib/active_support/encrypted_file.rb', '70-76'),
    ],
  },
  {
    id: 'rails.credentials-per-env',
    rules: [ENV_FORK, IMPLICIT],
    statement: 'Rails reads config/credentials/<env>.yml.enc when that file exists, and config/credentials.yml.enc otherwise.',
    holds: 'rails >= 6.0',
    sources: [rails('v8.1.3', 'railties/lib/rails/application/configuration.rb', '643-650')],
  },
  {
    id: 'rails.require-master-key',
    rules: [CREDS],
    statement: 'With config.require_master_key on and no key found, Rails raises ActiveSupport::EncryptedFile::MissingKeyError at boot instead.',
    holds: 'rails >= 6.1',
    sources: [rails('v8.1.3', 'activesupport/lib/active_support/encrypted_file.rb', '52-53, 125-126')],
  },
  {
    id: 'rails.test-rb-first',
    rules: [ENV_FORK, IMPLICIT],
    statement: 'config/environments/test.rb runs before config/initializers, so an ENV default set there is seen by every initializer.',
    holds: 'all',
    sources: [rails('v8.1.3', 'railties/lib/rails/engine.rb')],
  },
  {
    id: 'chamber.env-filter',
    rules: [ENV_FORK, IMPLICIT],
    statement: "Chamber's EnvironmentFilter prefers ENV named after the setting's path (LOCKBOX_MASTER_KEY for lockbox.master_key) over the settings file.",
    holds: 'all',
    sources: [{ repo: 'thekompanee/chamber', ref: 'v3.1.0', path: 'lib/chamber/filters/environment_filter.rb', lines: '123-140' }],
  },
  // PostgreSQL advisory locks (advisory-locks.md §0, §2)
  {
    id: 'pg.session-lock',
    rules: LOCK_RULES,
    statement: 'A session-level advisory lock is held until it is unlocked on the same session or the session ends; it ignores commits and rollbacks.',
    holds: 'all',
    sources: [pgDocs('doc/src/sgml/mvcc.sgml'), pgDocs('doc/src/sgml/func/func-admin.sgml')],
  },
  {
    id: 'pg.unlock-elsewhere',
    rules: [SESSION_POOL],
    statement: 'pg_advisory_unlock on a session that does not hold the lock returns false and logs a WARNING; it does not raise.',
    holds: 'all',
    sources: [pgDocs('doc/src/sgml/func/func-admin.sgml')],
  },
  {
    id: 'pg.unlock-all',
    rules: [SESSION_POOL],
    statement: "pg_advisory_unlock_all releases only the current session's session-level locks.",
    holds: 'all',
    sources: [pgDocs('doc/src/sgml/func/func-admin.sgml')],
  },
  {
    id: 'pg.reentrant',
    rules: [SESSION_POOL],
    statement: 'A session that already holds an advisory lock gets it again on every further request, so callers that land on the holder connection are not excluded.',
    holds: 'all',
    sources: [pgDocs('doc/src/sgml/mvcc.sgml')],
  },
  {
    id: 'pg.xact-lock',
    rules: [XACT, IN_TX],
    statement: 'A transaction-level advisory lock is released at the end of its transaction; outside a transaction block that is the end of the statement.',
    holds: 'all',
    sources: [pgDocs('doc/src/sgml/mvcc.sgml')],
  },
  {
    id: 'pg-pool.per-statement',
    rules: [SESSION_POOL, XACT],
    statement: 'pg-pool runs each pool.query on whichever idle client it hands out and releases the client afterwards; pool.connect() pins one client until release().',
    holds: 'all',
    sources: [
      { repo: 'brianc/node-postgres', ref: '001771fe', path: 'packages/pg-pool/index.js' },
      { repo: 'brianc/node-postgres', ref: '408bebd9', path: 'docs/pages/apis/pool.mdx' },
    ],
  },
  {
    id: 'pg-pool.lifo',
    rules: [SESSION_POOL],
    statement: 'pg-pool reuses idle clients last-in-first-out and closes a client idle for idleTimeoutMillis (10 s by default), so a sequential unlock often lands on the holder, and an idle holder frees the lock when it closes.',
    holds: 'all',
    sources: [{ repo: 'brianc/node-postgres', ref: '001771fe', path: 'packages/pg-pool/index.js' }],
  },
  {
    id: 'postgres-js.per-statement',
    rules: [SESSION_POOL, XACT],
    statement: 'postgres.js sends each query on the next available connection when max > 1; sql.begin and sql.reserve pin one connection.',
    holds: 'all',
    sources: [
      { repo: 'porsager/postgres', ref: 'e7dfa145', path: 'README.md' },
      { repo: 'porsager/postgres', ref: 'e7dfa145', path: 'src/index.js' },
    ],
  },
  {
    id: 'drizzle.per-statement',
    rules: [SESSION_POOL, XACT],
    statement: "drizzle's db.execute on a pool runs each statement on some pooled connection; db.transaction pins one connection for its callback.",
    holds: 'all',
    sources: [{ repo: 'drizzle-team/drizzle-orm', ref: 'b7862528', path: 'drizzle-orm/src/node-postgres/session.ts' }],
  },
  {
    id: 'prisma.per-statement',
    rules: [SESSION_POOL, XACT],
    statement: "Prisma's $queryRaw and $executeRaw run each statement on some connection of the client's connection pool; an interactive $transaction pins one.",
    holds: 'all',
    sources: [
      { repo: 'prisma/docs', ref: 'fa59227d', path: 'content/200-orm/200-prisma-client/100-queries/058-transactions.mdx' },
      { repo: 'prisma/prisma', ref: 'issue 15630', path: 'github.com/prisma/prisma/issues/15630' },
    ],
  },
  {
    id: 'slonik.per-statement',
    rules: [SESSION_POOL, XACT],
    statement: "Slonik runs each pool query method on a random connection from the pool; pool.connect and pool.transaction hold one connection for their callback.",
    holds: 'all',
    sources: [{ repo: 'gajus/slonik', ref: '5bc9ddd7', path: 'README.md' }],
  },
  {
    id: 'pg-promise.per-statement',
    rules: [SESSION_POOL, XACT],
    statement: 'pg-promise runs each query method called on the database object (query, one, none, any and the rest) on a connection taken from the pool and released afterwards; db.task and db.tx run their callback on one connection.',
    holds: 'all',
    sources: [{ repo: 'vitaly-t/pg-promise', ref: 'v12.7.1', path: 'lib/database.js', lines: '290-292, 1198-1202, 1333-1335' }],
  },
  {
    id: 'lucid.per-statement',
    rules: [SESSION_POOL, XACT],
    statement: "Lucid's db.rawQuery runs through the connection's knex client, which takes a pooled connection per statement; a Lucid transaction holds a single connection for all its queries.",
    holds: 'all',
    sources: [{ repo: 'adonisjs/lucid', ref: '145ee860', path: 'src/query_client/index.ts' }],
  },
  {
    id: 'kysely.per-statement',
    rules: [SESSION_POOL, XACT],
    statement: 'Kysely acquires a connection for each query and releases it afterwards; db.connection() and db.transaction() bind one connection for their callback.',
    holds: 'all',
    sources: [
      { repo: 'kysely-org/kysely', ref: '24a70341', path: 'src/driver/default-connection-provider.ts' },
      { repo: 'kysely-org/kysely', ref: '478ec67b', path: 'src/kysely.ts' },
    ],
  },
  {
    id: 'typeorm.per-statement',
    rules: [SESSION_POOL, XACT],
    statement: "TypeORM's dataSource.query creates a query runner for the call and releases it afterwards; a query runner from createQueryRunner() stays on one connection until release().",
    holds: 'all',
    sources: [{ repo: 'typeorm/typeorm', ref: '017e06a4', path: 'src/data-source/DataSource.ts' }],
  },
  {
    id: 'sequelize.per-statement',
    rules: [SESSION_POOL, XACT],
    statement: "Sequelize's query without a transaction option gets a connection from the pool and releases it when the query completes.",
    holds: 'all',
    sources: [{ repo: 'sequelize/sequelize', ref: 'v6', path: 'src/sequelize.js' }],
  },
  {
    id: 'mikro-orm.per-statement',
    rules: [SESSION_POOL, XACT],
    statement: "MikroORM's em.execute uses the current transaction context if there is one, and a pooled connection otherwise.",
    holds: 'all',
    sources: [{ repo: 'mikro-orm/mikro-orm', ref: 'a6b97305', path: 'packages/sql/src/SqlEntityManager.ts' }],
  },
  {
    id: 'drizzle.client',
    rules: [SESSION_POOL],
    statement: "drizzle's db.$client, the driver client underneath a drizzle db, exists from drizzle-orm 0.34.0 on; the dedicated-connection fix uses it only then.",
    holds: 'drizzle-orm >= 0.34.0',
    sources: [{ repo: 'drizzle-team/drizzle-orm', ref: '0.34.0 (published package; 0.33.0 lacks it)', path: 'node-postgres/driver.d.ts' }],
  },
  {
    id: 'slonik.discard-all',
    rules: [SESSION_POOL],
    statement: 'Slonik resets every released connection with DISCARD ALL by default, which drops its session locks as soon as the statement ends.',
    holds: 'all',
    sources: [{ repo: 'gajus/slonik', ref: '5bc9ddd7', path: 'packages/slonik/src/factories/createClientConfiguration.ts' }],
  },
  {
    id: 'neon.http',
    rules: [XACT],
    statement: "The Neon HTTP driver sends every statement as its own HTTP request and transaction; sessions are not supported.",
    holds: 'all',
    sources: [{ repo: 'neondatabase/serverless', ref: 'ecce07e4', path: 'README.md' }],
  },
  {
    id: 'pooler.transaction-mode',
    rules: [POOLER, MIGRATIONS, SESSION_SETTING],
    statement: 'A transaction-mode pooler (PgBouncer pool_mode=transaction, Supavisor on port 6543, Neon -pooler hosts) may run the next statement on another server connection, so session locks are not supported.',
    holds: 'all',
    sources: [
      { repo: 'pgbouncer/pgbouncer.github.io', ref: 'f638e43d', path: 'features.md' },
      { repo: 'supabase/supabase', ref: '8e5d183b', path: 'apps/docs/content/guides/self-hosting/accessing-postgres.mdx' },
      { repo: 'neondatabase/website', ref: '168343cc', path: 'content/docs/connect/connection-pooling.md' },
    ],
  },
  {
    id: 'pooler.supabase-session',
    rules: [POOLER, MIGRATIONS, SESSION_SETTING],
    statement: 'Supabase pooler hosts on port 5432 are Supavisor session mode, where session locks, SET and prepared statements work; only port 6543 is transaction mode.',
    holds: 'all',
    sources: [{ repo: 'supabase/supabase', ref: '8e5d183b', path: 'apps/docs/content/guides/self-hosting/accessing-postgres.mdx' }],
  },
  // Connection poolers, migrations, CI networks and connection budgets (lockfiles-and-poolers.md §3)
  {
    id: 'pooler.session-features',
    rules: [MIGRATIONS, SESSION_SETTING],
    statement: 'In transaction mode PgBouncer never supports SET or RESET, session-level advisory locks, LISTEN, SQL PREPARE or session temporary tables: each transaction may run on another server connection.',
    holds: 'all',
    sources: [{ repo: 'pgbouncer/pgbouncer.github.io', ref: 'f638e43d', path: 'features.md' }],
  },
  {
    id: 'prisma.migrate-direct-url',
    rules: [MIGRATIONS],
    statement: 'Prisma Migrate needs a single direct connection and does not support PgBouncer pooling; the datasource directUrl is what migrate dev and db push connect with when url goes through the pooler.',
    holds: 'prisma < 7.0',
    sources: [{ repo: 'prisma/docs', ref: '0a500e83', path: 'content/200-orm/200-prisma-client/000-setup-and-configuration/050-databases-connections/200-pgbouncer.mdx' }],
  },
  {
    id: 'prisma.config-datasource',
    rules: [MIGRATIONS],
    statement: 'From Prisma 7 the schema datasource no longer takes url or directUrl; Prisma Migrate connects with datasource.url in prisma.config.ts.',
    holds: 'prisma >= 7.0',
    sources: [{ repo: 'prisma/docs', ref: 'pull 7226', path: 'content/200-orm/100-prisma-schema/10-overview/02-data-sources.mdx' }],
  },
  {
    id: 'rails.migration-advisory-lock',
    rules: [MIGRATIONS],
    statement: 'Rails migrations on PostgreSQL take a session advisory lock unless the database configuration sets advisory_locks: false (an option since Rails 6.0).',
    holds: 'activerecord >= 6.0',
    sources: [
      rails('pull 33691', 'activerecord/lib/active_record/connection_adapters/abstract_adapter.rb'),
      { repo: 'rails/rails', ref: 'issue 31190', path: 'github.com/rails/rails/issues/31190' },
    ],
  },
  {
    id: 'drizzle-kit.db-credentials',
    rules: [MIGRATIONS],
    statement: 'drizzle-kit migrate connects with the dbCredentials of drizzle.config (or the --url option).',
    holds: 'all',
    sources: [{ repo: 'drizzle-team/drizzle-orm-docs', ref: '0071c3bb', path: 'src/content/docs/drizzle-kit-migrate.mdx' }],
  },
  {
    id: 'knex.knexfile-migrations',
    rules: [MIGRATIONS],
    statement: "The knex migration CLI runs migrations over the connection of the knexfile's configuration for the current environment.",
    holds: 'all',
    sources: [{ repo: 'knex/documentation', ref: 'main', path: 'src/guide/migrations.md' }],
  },
  {
    id: 'typeorm.migration-datasource',
    rules: [MIGRATIONS],
    statement: 'typeorm migration:run executes pending migrations through the DataSource file passed with -d.',
    holds: 'all',
    sources: [{ repo: 'typeorm/typeorm', ref: '2b0ee62c', path: 'docs/docs/migrations/05-executing.md' }],
  },
  {
    id: 'supabase.direct-ipv6',
    rules: [CI_IPV6],
    statement: 'A Supabase direct connection (db.<ref>.supabase.co) uses IPv6 unless the paid IPv4 add-on is enabled; the Supavisor pooler connection strings, session mode on port 5432 and transaction mode on 6543, always use IPv4.',
    holds: 'all',
    sources: [
      { repo: 'supabase/supabase', ref: '018e58d0', path: 'apps/docs/content/guides/platform/ipv4-address.mdx' },
      { repo: 'supabase/setup-cli', ref: 'issue 354', path: 'github.com/supabase/setup-cli/issues/354' },
    ],
  },
  {
    id: 'github.hosted-ipv4-only',
    rules: [CI_IPV6],
    statement: 'GitHub-hosted runners have no IPv6 connectivity: connections to an IPv6-only host fail with "Network is unreachable"; self-hosted runners have whatever network their machine has.',
    holds: 'all',
    sources: [
      { repo: 'actions/runner-images', ref: 'issue 668', path: 'github.com/actions/runner-images/issues/668' },
      { repo: 'actions/runner-images', ref: 'issue 9401', path: 'github.com/actions/runner-images/issues/9401' },
    ],
  },
  {
    id: 'pg.set-session',
    rules: [SESSION_SETTING],
    statement: 'SET without LOCAL lasts for the rest of the session once its transaction commits; SET LOCAL lasts only to the end of the current transaction.',
    holds: 'all',
    sources: [{ repo: 'postgres/postgres', ref: '205813da', path: 'doc/src/sgml/ref/set.sgml' }],
  },
  {
    id: 'pg.max-connections',
    rules: [BUDGET],
    statement: 'PostgreSQL refuses ordinary connections once max_connections minus superuser_reserved_connections (3 by default) minus reserved_connections (0 by default) are in use.',
    holds: 'all',
    sources: [{ repo: 'postgres/postgres', ref: 'REL_17_STABLE', path: 'doc/src/sgml/config.sgml' }],
  },
  {
    id: 'rails.pool-per-process',
    rules: [BUDGET],
    statement: "Active Record's connection pool limits each process to the database.yml pool size, 5 by default; connections are opened on demand up to it.",
    holds: 'all',
    sources: [rails('v7.2.2', 'guides/source/configuring.md')],
  },
  {
    id: 'puma.workers-threads',
    rules: [BUDGET],
    statement: 'In cluster mode each Puma worker is a forked process with its own thread pool: -w 2 -t 16:16 runs 32 threads in all.',
    holds: 'all',
    sources: [{ repo: 'puma/puma', ref: '02ee3e30', path: 'README.md' }],
  },
  {
    id: 'sidekiq.concurrency',
    rules: [BUDGET],
    statement: "A Sidekiq process runs concurrency job threads: the config file's concurrency, else RAILS_MAX_THREADS, else 5.",
    holds: 'sidekiq >= 8.1',
    sources: [
      { repo: 'sidekiq/sidekiq', ref: 'v8.1.7', path: 'lib/sidekiq/config.rb', lines: '15' },
      { repo: 'sidekiq/sidekiq', ref: 'v8.1.7', path: 'lib/sidekiq/cli.rb', lines: '290-297' },
    ],
  },
  {
    id: 'pg-pool.max-default',
    rules: [BUDGET],
    statement: 'A pg Pool opens at most max connections, 10 when max is not given.',
    holds: 'all',
    sources: [{ repo: 'brianc/node-postgres', ref: '001771fe', path: 'packages/pg-pool/index.js' }],
  },
  {
    id: 'postgres-js.max-default',
    rules: [BUDGET],
    statement: 'A postgres.js client opens at most max connections, 10 when max is not given.',
    holds: 'all',
    sources: [{ repo: 'porsager/postgres', ref: 'e7dfa145', path: 'README.md' }],
  },
  {
    id: 'k8s.hpa-max-replicas',
    rules: [BUDGET],
    statement: 'A HorizontalPodAutoscaler scales its target between minReplicas and maxReplicas; without one, a Deployment runs replicas pods (1 by default).',
    holds: 'all',
    sources: [{ repo: 'kubernetes/website', ref: 'release-1.5', path: 'docs/user-guide/kubectl/1_5/documents/_generated_horizontalpodautoscalerspec_v1_definition.md' }],
  },
  {
    id: 'ecs.autoscaling-max-capacity',
    rules: [BUDGET],
    statement: 'An Application Auto Scaling target for an ECS service (ecs:service:DesiredCount) scales its task count up to max_capacity.',
    holds: 'all',
    sources: [{ repo: 'hashicorp/terraform-provider-aws', ref: 'main', path: 'website/docs/r/appautoscaling_target.html.markdown' }],
  },
  // Lockfiles (lockfiles-and-poolers.md §1–2; read in the libraries' source at the tags named)
  {
    id: 'connection_pool.pop-keyword-only',
    rules: [DRIFT],
    statement: 'connection_pool 3.0 made TimedStack#pop keyword-only (pop(timeout: 0.5, exception: ..., **)), so a positional timeout raises ArgumentError; 2.x also accepted a hash of options.',
    holds: 'connection_pool >= 3.0.0',
    sources: [
      connectionPool('v3.0.0', 'lib/connection_pool/timed_stack.rb', '62'),
      connectionPool('v3.0.2', 'Changes.md', '16-17'),
      connectionPool('v2.5.5', 'lib/connection_pool/timed_stack.rb', '63-65'),
    ],
  },
  {
    id: 'sidekiq.positional-pop',
    rules: [DRIFT],
    statement: "Sidekiq's scheduler (Scheduled::Poller) calls @sleeper.pop with a positional timeout in initial_wait and wait, from 6.0.0 through 8.0.9.",
    holds: 'sidekiq >= 6.0.0, < 8.0.10',
    sources: [sidekiq('v7.3.9', 'lib/sidekiq/scheduled.rb', '118, 226'), sidekiq('v8.0.9', 'lib/sidekiq/scheduled.rb', '118, 226'), sidekiq('v6.0.0', 'lib/sidekiq/scheduled.rb', '88, 167')],
  },
  {
    id: 'sidekiq.scheduler-dies',
    rules: [DRIFT],
    statement: "initial_wait rescues only Timeout::Error, and the scheduler thread's watchdog reports and re-raises anything else, so the ArgumentError ends the scheduler thread at start-up; scheduled jobs and retries are then never enqueued.",
    holds: 'sidekiq >= 7.0.0, < 8.0.10',
    sources: [sidekiq('v7.3.9', 'lib/sidekiq/scheduled.rb', '93-101, 218-233'), sidekiq('v7.3.9', 'lib/sidekiq/component.rb', '9-21')],
  },
  {
    id: 'sidekiq.keyword-pop',
    rules: [DRIFT],
    statement: 'Sidekiq 8.0.10 passes timeout: as a keyword ("Forward compatibility changes for connection_pool 3.0.0"), which connection_pool 2.x and 3.x both accept.',
    holds: 'sidekiq >= 8.0.10',
    sources: [sidekiq('v8.0.10', 'lib/sidekiq/scheduled.rb', '118, 226'), sidekiq('v8.0.10', 'Changes.md', '10')],
  },
  {
    id: 'sidekiq.connection_pool-requirement',
    rules: [DRIFT],
    statement: "Sidekiq's gemspec sets no ceiling on connection_pool in 6.0.0 through 6.5.7 and in 7.0.0 through 8.0.x except 7.3.10 (6.5.8 to 6.5.12 and 7.3.10 require < 3), so Bundler can resolve connection_pool 3 next to it.",
    holds: 'all',
    sources: [sidekiq('v7.3.9', 'sidekiq.gemspec', '27'), sidekiq('v8.0.9', 'sidekiq.gemspec', '27'), sidekiq('v7.3.10', 'sidekiq.gemspec', '27'), sidekiq('v6.5.12', 'sidekiq.gemspec', '26')],
  },
  {
    id: 'rubygems.bare-dependency',
    rules: [DRIFT],
    statement: 'A Gemfile.lock dependency written as a bare name has the default requirement >= 0: RubyGems leaves it out of the lockfile, and Bundler reads a name without parentheses back as any version.',
    holds: 'all',
    sources: [
      { repo: 'rubygems/rubygems', ref: '00a80278', path: 'lib/rubygems/requirement.rb', lines: 'DefaultRequirement, initialize, for_lockfile' },
      { repo: 'rubygems/rubygems', ref: '01d20e39', path: 'bundler/lib/bundler/lockfile_parser.rb', lines: 'parse_spec' },
    ],
  },
  {
    id: 'rubygems.pessimistic',
    rules: [DRIFT],
    statement: '~> 2.5 admits 2.5 up to, not including, 3.0 (v >= r and v.release < r.bump); >= and > set no ceiling, and <, <=, = and ~> do.',
    holds: 'all',
    sources: [{ repo: 'rubygems/rubygems', ref: '00a80278', path: 'lib/rubygems/requirement.rb', lines: '16-24' }],
  },
  {
    id: 'bundler.conflict-markers',
    rules: [DRIFT],
    statement: 'Bundler refuses a Gemfile.lock with merge conflict markers (<<<<<<<, =======, >>>>>>>, |||||||) and raises LockfileError "contains merge conflicts".',
    holds: 'all',
    sources: [{ repo: 'rubygems/rubygems', ref: '01d20e39', path: 'bundler/lib/bundler/lockfile_parser.rb', lines: '70-73' }],
  },
  {
    id: 'npm.semver-ranges',
    rules: [DRIFT],
    statement: 'In npm ranges ^1.2.3 means >= 1.2.3 < 2.0.0 and ~ and x-ranges below the major also cap it, while *, x, the empty range and >= admit every later major.',
    holds: 'all',
    sources: [{ repo: 'npm/node-semver', ref: '00463e3e', path: 'README.md', lines: 'Advanced Range Syntax, Caret Ranges, Range Grammar' }],
  },
  {
    id: 'npm.dev-flag',
    rules: [DRIFT],
    statement: 'package-lock.json marks a package "dev": true when it is strictly part of the devDependencies tree, so no production dependency reaches it.',
    holds: 'all',
    sources: [{ repo: 'npm/cli', ref: '0ed279fa', path: 'docs/lib/content/configuring-npm/package-lock-json.md', lines: 'packages: dev, optional, devOptional' }],
  },
];

const byId = new Map(CLAIMS.map((c) => [c.id, c]));

export function claim(id: string): Claim {
  const c = byId.get(id);
  if (!c) throw new Error(`unknown claim ${id}`);
  return c;
}

/** `ankane/lockbox v2.1.0 lib/lockbox.rb:65-67`: how docs and hovers cite a source. */
export function citeSource(s: Source): string {
  return `${s.repo} ${s.ref} ${s.path}${s.lines ? `:${s.lines}` : ''}`;
}

/** The hover's "Sources" line for some claims: each claim's first source, once. */
export function citeClaims(ids: readonly string[]): string {
  const cited = [...new Set(ids.flatMap((id) => claim(id).sources.slice(0, 1).map(citeSource)))];
  return cited.join('; ');
}

export function claimsFor(ruleId: string): Claim[] {
  return CLAIMS.filter((c) => c.rules.includes(ruleId));
}

/** The Markdown table of a rule's claims, as its docs page and SARIF's help.markdown carry it. */
export function claimsTable(ruleId: string): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  const rows = claimsFor(ruleId).map((c) => `| ${cell(c.statement)} | ${cell(c.holds)} | ${cell(c.sources.map(citeSource).join('; '))} |`);
  return ['| Claim | Holds for | Source |', '|---|---|---|', ...rows].join('\n');
}
