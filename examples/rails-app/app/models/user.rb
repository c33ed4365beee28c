# Devise model; its password hashing uses the stretches and pepper from config/initializers/devise.rb.
class User < ApplicationRecord
  devise :database_authenticatable, :registerable, :recoverable
end
