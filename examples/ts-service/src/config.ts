// Shows: a Stripe key forked to undefined in test (warning) next to benign forks: a log level by
// env and a session secret that is a non-nil fake in test.
import { secrets } from "./secrets.js";

const env = process.env.NODE_ENV ?? "development";

export const stripeKey = process.env.NODE_ENV === "test" ? undefined : secrets.get("stripe");

export const logLevel = env === "production" ? "info" : "debug";

export const sessionSecret = env === "test" ? "test-session-secret-not-real" : secrets.get("session-secret");
