// Shows: a JWT signing secret forked to null in test (error); tokens are never signed or verified
// with a real key in CI, and secrets.get("jwt-signing-secret") never runs there.
import { jwtVerify, SignJWT } from "jose";
import { secrets } from "../secrets.js";

const isTest = process.env.NODE_ENV === "test";

const jwtSigningSecret = isTest ? null : secrets.get("jwt-signing-secret");

function key(): Uint8Array {
  if (!jwtSigningSecret) throw new Error("JWT signing secret is not configured");
  return new TextEncoder().encode(jwtSigningSecret);
}

export async function issueToken(userId: string): Promise<string> {
  return new SignJWT({ sub: userId }).setProtectedHeader({ alg: "HS256" }).setExpirationTime("1h").sign(key());
}

export async function verifyToken(token: string): Promise<string | undefined> {
  const { payload } = await jwtVerify(token, key());
  return payload.sub;
}
