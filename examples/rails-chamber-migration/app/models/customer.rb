# The column that broke: `has_encrypted` needs Lockbox.master_key on every encrypt or decrypt
# of a non-nil IBAN (stored in iban_ciphertext). No initializer assigns the key: Lockbox's
# Railtie copied it from credentials `lockbox.master_key`, and those credentials are gone.
class Customer < ApplicationRecord
  has_encrypted :iban

  validates :email, presence: true
end
