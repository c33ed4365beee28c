# Shows why the Lockbox key matters: `has_encrypted` needs Lockbox.master_key on every
# encrypt/decrypt of a non-nil value (stored in the email_ciphertext / phone_ciphertext columns).
class Customer < ApplicationRecord
  has_encrypted :email, :phone

  validates :stripe_customer_id, presence: true
end
