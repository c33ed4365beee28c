// Existing test setup file (found through vitest.config.ts): pins the clock's time zone for date tests.
process.env.TZ = "UTC";
