# Production settings. secret_key_base is explicit (this app has no credentials file, so Rails
# would otherwise read it from ENV by convention); every other secret comes from the initializers.
Rails.application.configure do
  config.secret_key_base = ENV.fetch("SECRET_KEY_BASE")

  config.enable_reloading = false
  config.eager_load = true
  config.consider_all_requests_local = false
  config.force_ssl = true
  config.log_level = :info
  config.active_record.dump_schema_after_migration = false
end
