# Shows: an Active Record encryption key forked to nil in test (error). A nil
# config.active_record.encryption.* value overrides credentials, and the first
# encrypt/decrypt raises "Missing Active Record encryption credential".
require_relative "boot"

require "rails/all"

Bundler.require(*Rails.groups)

module Shop
  class Application < Rails::Application
    config.load_defaults 7.2
    config.time_zone = "UTC"

    config.active_record.encryption.primary_key = Rails.env.test? ? nil : Chamber.dig(:active_record_encryption, :primary_key)
  end
end
