# Shows a benign look-alike (no finding): test swaps SMTP for the :test delivery method;
# mails are still built and rendered, only the transport changes.
if Rails.env.test?
  ActionMailer::Base.delivery_method = :test
else
  ActionMailer::Base.delivery_method = :smtp
  ActionMailer::Base.smtp_settings = {
    address: "smtp.postmarkapp.com",
    port: 587,
    user_name: ENV.fetch("SMTP_USERNAME"),
    password: ENV.fetch("SMTP_PASSWORD"),
    authentication: :plain,
  }
end
