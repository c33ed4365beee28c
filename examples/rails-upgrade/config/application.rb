require_relative "boot"
require "rails/all"

module Storefront
  class Application < Rails::Application
    config.load_defaults 8.0
    config.active_job.queue_adapter = :sidekiq
  end
end
