// A small Rails 6.1 app written for the round-trip oracle: in-memory SQLite, Lockbox-encrypted
// attributes (on Rails 6.1 with Lockbox 0.6, `encrypts` is Lockbox's), and one model per way the fix
// builds a record: a FactoryBot factory (Visit), the attributes and association the model requires
// (User, with Account), and none it can tell (Patient has a custom validation, so its examples
// check the ciphertext before saving); Contract has Lockbox-encrypted Active Storage attachments,
// stored on disk under tmp/storage; Card uses attr_encrypted (Debian's ruby-attr-encrypted 3.1). It boots from Debian's gems without Bundler: the Gemfile and
// Gemfile.lock are there for initaudit to read, and nothing is installed or fetched.

export type Suite = 'rspec' | 'minitest';

/** Encrypted attributes per model, as the fix should cover them. */
export const ENCRYPTED: Record<string, string[]> = {
  User: ['email', 'phone'],
  Visit: ['user_ip'],
  Patient: ['diagnosis', 'birth_year'],
  Contract: ['scan', 'exhibits'],
  Card: ['number'],
};

const GEMFILE = `source "https://rubygems.org"

gem "rails", "~> 6.1.7"
gem "lockbox"
gem "attr_encrypted"
gem "sqlite3"

group :test do
  gem "factory_bot"
  gem "rspec-rails"
end
`;

const LOCK = `GEM
  remote: https://rubygems.org/
  specs:
    activerecord (6.1.7.10)
    attr_encrypted (3.1.0)
    factory_bot (6.2.1)
    lockbox (0.6.4)
    rails (6.1.7.10)
    rspec-rails (5.0.2)
    sqlite3 (1.4.2)

PLATFORMS
  ruby

DEPENDENCIES
  attr_encrypted
  factory_bot
  lockbox
  rails (~> 6.1.7)
  rspec-rails
  sqlite3
`;

const SCHEMA = `ActiveRecord::Schema.define(version: 2024_01_01_000000) do
  create_table "active_storage_blobs", force: :cascade do |t|
    t.string "key", null: false
    t.string "filename", null: false
    t.string "content_type"
    t.text "metadata"
    t.string "service_name", null: false
    t.bigint "byte_size", null: false
    t.string "checksum", null: false
    t.datetime "created_at", null: false
    t.index ["key"], unique: true
  end

  create_table "active_storage_attachments", force: :cascade do |t|
    t.string "name", null: false
    t.string "record_type", null: false
    t.bigint "record_id", null: false
    t.bigint "blob_id", null: false
    t.datetime "created_at", null: false
  end

  create_table "active_storage_variant_records", force: :cascade do |t|
    t.bigint "blob_id", null: false
    t.string "variation_digest", null: false
  end

  create_table "cards", force: :cascade do |t|
    t.string "holder", null: false
    t.text "encrypted_number"
    t.text "encrypted_number_iv"
  end

  create_table "contracts", force: :cascade do |t|
    t.string "title", null: false
  end

  create_table "accounts", force: :cascade do |t|
    t.string "title", null: false
  end

  create_table "users", force: :cascade do |t|
    t.string "name", null: false
    t.integer "account_id", null: false
    t.text "email_ciphertext"
    t.text "phone_ciphertext", null: false
    t.timestamps
  end

  create_table "visits", force: :cascade do |t|
    t.string "path", null: false
    t.text "user_ip_ciphertext"
  end

  create_table "patients", force: :cascade do |t|
    t.text "diagnosis_ciphertext"
    t.text "birth_year_ciphertext"
  end
end
`;

/** The models with encryption on; `bypassed` stores each value in plaintext in its ciphertext column instead. */
export function models(bypassed: boolean): Record<string, string> {
  const encrypts = (line: string, names: string[]) =>
    bypassed
      ? [
          '  # Encryption bypassed: the value goes into the ciphertext column as it is.',
          `  %w[${names.join(' ')}].each do |name|`,
          '    define_method(name) { self["#{name}_ciphertext"] }',
          '    define_method("#{name}=") { |v| self["#{name}_ciphertext"] = v.nil? ? nil : v.to_s }',
          '  end',
        ].join('\n')
      : line;
  return {
    'app/models/application_record.rb': 'class ApplicationRecord < ActiveRecord::Base\n  self.abstract_class = true\nend\n',
    'app/models/account.rb': 'class Account < ApplicationRecord\n  has_many :users\n\n  validates :title, presence: true\nend\n',
    'app/models/user.rb': `class User < ApplicationRecord\n  belongs_to :account\n\n${encrypts('  encrypts :email, :phone', ['email', 'phone'])}\n\n  validates :name, presence: true\nend\n`,
    'app/models/visit.rb': `class Visit < ApplicationRecord\n${encrypts('  encrypts :user_ip', ['user_ip'])}\nend\n`,
    'app/models/card.rb': bypassed
      ? 'class Card < ApplicationRecord\n  # Encryption bypassed: the number goes into encrypted_number as it is.\n  def number = encrypted_number\n\n  def number=(value)\n    self.encrypted_number = value\n  end\n\n  validates :holder, presence: true\nend\n'
      : 'class Card < ApplicationRecord\n  attr_encrypted :number, key: ENV.fetch("CARD_KEY")\n\n  validates :holder, presence: true\nend\n',
    // Bypassed: without encrypts_attached, Active Storage stores the file as it is.
    'app/models/contract.rb': `class Contract < ApplicationRecord\n  has_one_attached :scan\n  has_many_attached :exhibits\n${bypassed ? '' : '\n  encrypts_attached :scan, :exhibits\n'}end\n`,
    'app/models/patient.rb': `class Patient < ApplicationRecord\n${encrypts('  lockbox_encrypts :diagnosis\n  lockbox_encrypts :birth_year, type: :integer', ['diagnosis', 'birth_year'])}\n\n  validate :reviewed_by_hand\n\n  private\n\n  def reviewed_by_hand\n    errors.add(:base, "not reviewed") unless @reviewed\n  end\nend\n`,
  };
}

export function app(suite: Suite): Record<string, string> {
  const files: Record<string, string> = {
    Gemfile: GEMFILE,
    'Gemfile.lock': LOCK,
    'config/application.rb':
      'require "rails"\nrequire "active_record/railtie"\nrequire "active_storage/engine"\nrequire "lockbox"\nrequire "attr_encrypted"\n\nmodule RoundTrip\n  class Application < Rails::Application\n    config.load_defaults 6.1\n    config.eager_load = false\n    config.logger = Logger.new(nil)\n    # No background analysis of uploads: the tests share one in-memory database connection.\n    config.active_job.queue_adapter = :test\n  end\nend\n',
    'config/environments/test.rb': 'Rails.application.configure do\n  config.active_storage.service = :test\nend\n',
    'config/storage.yml': 'test:\n  service: Disk\n  root: <%= Rails.root.join("tmp", "storage") %>\n',
    'config/environment.rb': 'require_relative "application"\n\nRails.application.initialize!\n',
    'config/database.yml': 'test:\n  adapter: sqlite3\n  database: ":memory:"\n',
    // Present so initaudit's key rules see a production credentials file; never read by anyone.
    'config/credentials.yml.enc': 'opaque\n',
    'config/initializers/lockbox.rb': 'Lockbox.master_key = ENV.fetch("LOCKBOX_MASTER_KEY")\n',
    'db/schema.rb': SCHEMA,
    ...models(false),
  };
  const boot = [
    'ENV["RAILS_ENV"] ||= "test"',
    'require_relative "../config/environment"',
    'require "factory_bot"',
    '',
    '# In-memory SQLite: the schema is loaded into the one connection the tests use.',
    'ActiveRecord::Schema.verbose = false',
    'load Rails.root.join("db", "schema.rb").to_s',
    'FactoryBot.find_definitions',
  ];
  const factories = 'FactoryBot.define do\n  factory :visit do\n    path { "/pricing" }\n  end\n\n  factory :contract do\n    title { "Lease" }\n  end\nend\n';
  if (suite === 'rspec') {
    files['spec/rails_helper.rb'] = [...boot.slice(0, 3), 'require "rspec/rails"', ...boot.slice(3), '', 'RSpec.configure do |config|', '  config.use_transactional_fixtures = true', 'end', ''].join('\n');
    files['spec/factories/visits.rb'] = factories;
    // The incident's spec: persistence, not encryption. It passes with encryption bypassed too.
    files['spec/models/user_spec.rb'] =
      'require "rails_helper"\n\nRSpec.describe User, type: :model do\n  it "keeps the email" do\n    user = User.create!(name: "Ada", account: Account.new(title: "Acme"), email: "ada@example.org", phone: "555 0100")\n    expect(user.reload.email).to be\n  end\nend\n';
  } else {
    files['test/test_helper.rb'] = [...boot.slice(0, 3), 'require "rails/test_help"', ...boot.slice(3), ''].join('\n');
    files['test/factories/visits.rb'] = factories;
    files['test/models/user_test.rb'] =
      'require "test_helper"\n\nclass UserTest < ActiveSupport::TestCase\n  test "keeps the email" do\n    user = User.create!(name: "Ada", account: Account.new(title: "Acme"), email: "ada@example.org", phone: "555 0100")\n    assert user.reload.email\n  end\nend\n';
  }
  return files;
}
