// Vitest runs test/setup.ts before every test file; the quick fix adds its test dummies there.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    setupFiles: ["./test/setup.ts"],
  },
});
