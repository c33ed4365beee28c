# Shows a benign look-alike (no finding): an error reporter is a sink; outside production
# Sentry is simply not started and nothing else changes.
if Rails.env.production?
  Sentry.init do |config|
    config.dsn = ENV.fetch("SENTRY_DSN")
    config.breadcrumbs_logger = [:active_support_logger, :http_logger]
    config.traces_sample_rate = 0.1
  end
end
