require "bundler/setup"
