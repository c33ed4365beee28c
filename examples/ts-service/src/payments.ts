// Where stripeKey is used: the Stripe client is only built when a key is configured.
import Stripe from "stripe";
import { stripeKey } from "./config.js";

export function stripeClient(): Stripe {
  if (!stripeKey) throw new Error("Stripe is not configured");
  return new Stripe(stripeKey);
}
