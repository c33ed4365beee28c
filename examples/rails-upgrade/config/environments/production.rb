Rails.application.configure do
  config.eager_load = true
  config.secret_key_base = ENV.fetch("SECRET_KEY_BASE")
end
