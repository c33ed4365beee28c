# Shows: the Chamber-migration hotfix (error). In test the key is nil, so the first
# encrypt/decrypt raises "Missing master key" and Chamber.dig never runs in CI.
Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)
