# Development settings; no secrets here. There is deliberately no test.rb: the quick fix creates it.
Rails.application.configure do
  config.enable_reloading = true
  config.eager_load = false
  config.consider_all_requests_local = true
  config.server_timing = true
  config.active_record.migration_error = :page_load
  config.action_mailer.raise_delivery_errors = false
end
