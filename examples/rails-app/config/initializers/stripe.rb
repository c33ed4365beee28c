# Shows: a fork nested after an ENV operand (warning). Without STRIPE_API_KEY the key is
# nil in test: Stripe raises AuthenticationError before any request, Chamber.dig never runs in CI.
Stripe.api_key = ENV['STRIPE_API_KEY'] || (Rails.env.test? ? nil : Chamber.dig(:stripe, :api_key))
Stripe.max_network_retries = 2
