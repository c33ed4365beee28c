// The production secret lookup: files mounted by the platform under SECRETS_DIR.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.SECRETS_DIR ?? "/run/secrets";

export const secrets = {
  get(name: string): string | undefined {
    try {
      return readFileSync(join(dir, name), "utf8").trim();
    } catch {
      return undefined;
    }
  },
};
