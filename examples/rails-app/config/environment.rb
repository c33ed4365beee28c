# Loads config/application.rb, then runs the initializers (environments/*.rb before initializers/*.rb).
require_relative "application"

Rails.application.initialize!
