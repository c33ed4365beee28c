# Shows a benign look-alike (no finding): `key:` is the cookie name, and the fork only
# toggles the Secure flag.
Rails.application.config.session_store :cookie_store, key: "_shop_session", secure: Rails.env.production?
