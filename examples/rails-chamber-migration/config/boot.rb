# Standard boot file: Bundler sets up the load path before config/application.rb runs.
ENV["BUNDLE_GEMFILE"] ||= File.expand_path("../Gemfile", __dir__)

require "bundler/setup"
