# Shows: credentials left unassigned in test by an `unless` block (warning); the
# production lookup is never exercised in CI.
unless Rails.env.test?
  Twilio.configure do |config|
    config.account_sid = Chamber.dig(:twilio, :account_sid)
    config.auth_token = Chamber.dig(:twilio, :auth_token)
  end
end
