// A real, independent IMAP server (hoodiecrow-imap, in memory) on 127.0.0.1, seen only through IMAP: delivery is an
// APPEND and flags are read by a separate imapflow client, as another mail program on the same mailbox would.
import type { Socket } from 'node:net';
import hoodiecrow from 'hoodiecrow-imap';
import { ImapFlow } from 'imapflow';

export interface ImapAuth {
  user: string;
  pass: string;
}

// IMAP stores messages with CRLF line ends; the .eml fixtures are kept with LF for editing.
export const crlf = (raw: string | Buffer) => Buffer.from(raw.toString('utf8').replace(/\r?\n/g, '\r\n'), 'utf8');

/** The hoodiecrow options for one user's INBOX (also used by the server that runs in a worker thread). */
export function hoodiecrowOptions(auth: ImapAuth, inbox: (string | Buffer)[]): hoodiecrow.Options {
  return {
    // What a mail provider commonly offers; imapflow uses ID, UNSELECT, ENABLE and CONDSTORE when they are there.
    plugins: ['ID', 'NAMESPACE', 'UNSELECT', 'ENABLE', 'CONDSTORE', 'IDLE'],
    users: { [auth.user]: { password: auth.pass } },
    // hoodiecrow keeps a message as a byte string (one character per byte); a UTF-8 JS string would be cut to bytes.
    storage: { INBOX: { messages: inbox.map((raw) => ({ raw: crlf(raw).toString('latin1') })) }, '': {} },
    debug: false,
  };
}

/** What another mail program on the same mailbox does, through IMAP: deliver, read flags, mark unread. */
export class MailboxClient {
  protected port = 0;

  constructor(protected readonly auth: ImapAuth) {}

  /** Delivers a mail into INBOX (an IMAP APPEND, unseen) and returns its uid. */
  async deliver(raw: string | Buffer): Promise<number> {
    return this.session(async (client) => {
      await client.append('INBOX', crlf(raw), []);
      // hoodiecrow has no UIDPLUS, so APPEND does not tell the uid: the newest message is this one.
      await client.mailboxOpen('INBOX');
      const newest = await client.fetchOne('*', { uid: true });
      if (!newest) throw new Error('the appended mail is not in INBOX');
      return newest.uid;
    });
  }

  /** Every message in INBOX by uid, with its flags, as a fresh client sees them now. */
  async flags(): Promise<Map<number, Set<string>>> {
    return this.session(async (client) => {
      await client.mailboxOpen('INBOX', { readOnly: true });
      const out = new Map<number, Set<string>>();
      for await (const msg of client.fetch('1:*', { uid: true, flags: true })) out.set(msg.uid, msg.flags ?? new Set());
      return out;
    });
  }

  async seen(uid: number): Promise<boolean> {
    return (await this.flags()).get(uid)?.has('\\Seen') ?? false;
  }

  /** What another mail program does when a person marks a mail unread. */
  async markUnseen(uid: number): Promise<void> {
    await this.session(async (client) => {
      await client.mailboxOpen('INBOX');
      await client.messageFlagsRemove(String(uid), ['\\Seen'], { uid: true });
    });
  }

  protected async session<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = new ImapFlow({ host: '127.0.0.1', port: this.port, secure: false, auth: this.auth, logger: false, disableAutoIdle: true });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }
}

/** How many of `lines` fetched this mail's whole source (`UID FETCH <uid> (… BODY.PEEK[])`). */
export function sourceFetchesIn(lines: readonly string[], uid: number): number {
  const fetch = new RegExp(`^\\S+ UID FETCH ${uid} \\(.*BODY(?:\\.PEEK)?\\[\\]`, 'i');
  return lines.filter((line) => fetch.test(line)).length;
}

export class HoodiecrowImap extends MailboxClient {
  private readonly server: hoodiecrow.ImapServer;
  private readonly sockets = new Set<Socket>();
  /** Every line clients sent, in order (commands, and the lines of APPENDed literals too). */
  readonly lines: string[] = [];

  /** `inbox`: mails already waiting in INBOX, unseen, when the server starts (uids 1, 2, …). */
  constructor(auth: ImapAuth, inbox: (string | Buffer)[] = []) {
    super(auth);
    this.server = hoodiecrow(hoodiecrowOptions(auth, inbox));
    this.server.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      let pending = '';
      socket.on('data', (chunk: Buffer) => {
        const parts = (pending + chunk.toString('latin1')).split('\r\n');
        pending = parts.pop() ?? '';
        this.lines.push(...parts);
      });
    });
  }

  async start(): Promise<{ port: number; url: string }> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as { port: number }).port;
    const url = `imap://${encodeURIComponent(this.auth.user)}:${encodeURIComponent(this.auth.pass)}@127.0.0.1:${this.port}`;
    return { port: this.port, url };
  }

  /** How many times a client fetched this mail's whole source (`UID FETCH <uid> (… BODY.PEEK[])`). */
  sourceFetches(uid: number): number {
    return sourceFetchesIn(this.lines, uid);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
