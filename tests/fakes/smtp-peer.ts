// A real SMTP peer (smtp-server) on 127.0.0.1 that keeps every message it accepts, parsed with mailparser.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export class SmtpPeer {
  readonly received: ReceivedMail[] = [];
  private server: SMTPServer;
  private rejections: { code: number; message: string }[] = [];

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      secure: false,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const rejection = this.rejections.shift();
          if (rejection) {
            const err = Object.assign(new Error(rejection.message), { responseCode: rejection.code });
            callback(err);
            return;
          }
          const raw = Buffer.concat(chunks);
          simpleParser(raw)
            .then((parsed) => {
              const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined;
              this.received.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
              callback();
            })
            .catch((err: Error) => callback(err));
        });
      },
    });
  }

  /** The next message is refused with this SMTP reply after DATA (e.g. 451 greylisting, 550 no such user). */
  rejectNext(code: number, message: string): void {
    this.rejections.push({ code, message });
  }

  async start(): Promise<{ port: number; url: string }> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.server.address() as { port: number };
    return { port, url: `smtp://127.0.0.1:${port}` };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
