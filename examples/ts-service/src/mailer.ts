// Shows a benign look-alike (no finding): tests get an in-memory mailer, a real double, not a
// missing password; production gets SMTP.
import { secrets } from "./secrets.js";

export interface Mail {
  to: string;
  subject: string;
  body: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export class MemoryMailer implements Mailer {
  readonly sent: Mail[] = [];
  async send(mail: Mail): Promise<void> {
    this.sent.push(mail);
  }
}

export class SmtpMailer implements Mailer {
  constructor(private readonly options: { host: string; user: string; password: string | undefined }) {}
  async send(mail: Mail): Promise<void> {
    throw new Error(`SMTP delivery to ${mail.to} via ${this.options.host} is not part of this example`);
  }
}

export const mailer: Mailer =
  process.env.NODE_ENV === "test"
    ? new MemoryMailer()
    : new SmtpMailer({ host: "smtp.postmarkapp.com", user: "shop", password: secrets.get("smtp-password") });
