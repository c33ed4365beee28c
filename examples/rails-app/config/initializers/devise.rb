# Shows two benign look-alikes (no finding): a cost knob forked by env, and a pepper
# that is never nil (a fake, non-secret value outside production).
Devise.setup do |config|
  require "devise/orm/active_record"

  config.mailer_sender = "no-reply@shop.example"

  # bcrypt still runs in test, only with a lower cost.
  config.stretches = Rails.env.test? ? 1 : 12

  config.pepper = Rails.env.production? ? ENV.fetch("DEVISE_PEPPER") : "not-a-secret-test-pepper"
end
