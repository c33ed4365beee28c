// Which configuring calls and constructors initaudit knows to carry secrets, for the calls and built
// values an env fork skips. A skipped call on an unknown library is info: whether its absence in test
// hides a gap or routes around infrastructure (a local default, an SDK credential chain) depends on the
// library, and an unknown handle produces no warning.

/**
 * Access control installed with secrets: Rack basic-auth middleware (`Sidekiq::Web.use(Rack::Auth::Basic)`)
 * and Action Controller's HTTP authentication. Skipped in test, the tests never exercise the check.
 */
const ACCESS_CONTROL = /(^|\.)(use|http_basic_authenticate_with|authenticate_or_request_with_http_(basic|token|digest))$/;

/**
 * Clients and configuring calls whose secret arguments are the credentials of an external API
 * (issue 11's real defects: RTurk, the AWS SDK's explicit credentials, Geocoder's API key).
 */
const KNOWN_CLIENTS = /^(::)?(RTurk\.setup|Geocoder\.configure|Aws\.config\.update|Aws::[\w:]+\.new|Twilio::[\w:]+\.new)$/;

/** The callee of a call or constructor, as written (`Aws::S3::Client.new`), from an expression's text. */
export function calleeOf(text: string): string | undefined {
  return /^\s*((?:::)?[A-Z][\w]*(?:::[A-Z][\w]*)*(?:\.\w+)+)/.exec(text)?.[1];
}

/** Whether a call that passes secrets (`name` is `Receiver.method`) is one initaudit knows. */
export function isKnownSecretCall(callee: string): boolean {
  return ACCESS_CONTROL.test(callee) || KNOWN_CLIENTS.test(callee);
}
