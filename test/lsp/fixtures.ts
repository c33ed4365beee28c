// Workspace contents shared by the LSP tests.

export const LOCKBOX_PATH = 'config/initializers/lockbox.rb';
export const LOCKBOX = 'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n';
export const LOCKBOX_FIXED = 'Lockbox.master_key = ENV["LOCKBOX_MASTER_KEY"] || Chamber.dig(:lockbox, :master_key)';

export const STRIPE_RB_PATH = 'config/initializers/stripe.rb';
export const STRIPE_RB = 'Stripe.api_key = Rails.env.test? ? nil : Chamber.dig(:stripe, :secret_key)\n';

export const TEST_RB_PATH = 'config/environments/test.rb';

export const CONFIG_TS_PATH = 'src/config.ts';
export const CONFIG_TS = 'export const stripeKey = process.env.NODE_ENV === "test" ? undefined : secrets.get("stripe");\n';

/** Enough of a Rails app for the rule to recognise config/initializers. */
export const RAILS_APP: Record<string, string> = {
  Gemfile: 'source "https://rubygems.org"\ngem "rails"\ngem "lockbox"\n',
  'config/application.rb': 'require_relative "boot"\nmodule App\n  class Application < Rails::Application\n  end\nend\n',
};

export const RULE_ID = 'env-forked-nil-secret';
