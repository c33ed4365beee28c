# Moved off credentials in the migration: secret_key_base is explicit and fails fast at boot.
Rails.application.configure do
  config.secret_key_base = ENV.fetch("SECRET_KEY_BASE")

  config.enable_reloading = false
  config.eager_load = true
  config.force_ssl = true
  config.log_level = :info
  config.active_storage.service = :amazon
end
