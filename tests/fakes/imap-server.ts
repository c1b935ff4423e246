// A tiny IMAP4rev1 responder over node:net: exactly what imapflow sends to poll INBOX, and no more.
import { createServer, type Server, type Socket } from 'node:net';

export interface StoredMail {
  uid: number;
  source: Buffer;
  flags: Set<string>;
  /** What RFC822.SIZE says (a server may be wrong about it); the real size by default. */
  reportedSize?: number;
}

export interface ImapCommand {
  tag: string;
  /** Upper-cased command, with `UID ` kept (`UID FETCH`). */
  name: string;
  args: string;
}

const CAPS = 'IMAP4rev1 UIDPLUS';

/** Splits IMAP arguments into atoms, "quoted strings" and (parenthesised lists) at the top level. */
function tokens(args: string): string[] {
  return args.match(/"(?:[^"\\]|\\.)*"|\([^)]*\)|\S+/g)?.map((t) => (t.startsWith('"') ? t.slice(1, -1).replace(/\\(.)/g, '$1') : t)) ?? [];
}

function inSet(set: string, n: number, max: number): boolean {
  return set.split(',').some((part) => {
    const [a, b] = part.split(':').map((x) => (x === '*' ? max : Number(x)));
    if (a === undefined) return false;
    const lo = Math.min(a, b ?? a);
    const hi = Math.max(a, b ?? a);
    return n >= lo && n <= hi;
  });
}

/** The header lines (with their continuations) of the named fields, then the blank line, as IMAP returns them. */
function headerFields(source: Buffer, names: readonly string[]): Buffer {
  const text = source.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const out: string[] = [];
  let keep = false;
  for (const line of text.slice(0, end < 0 ? text.length : end).split('\r\n')) {
    if (!/^[ \t]/.test(line)) keep = wanted.has(line.slice(0, line.indexOf(':')).trim().toLowerCase());
    if (keep) out.push(line);
  }
  return Buffer.from(`${out.map((l) => `${l}\r\n`).join('')}\r\n`, 'latin1');
}

export class FakeImapServer {
  readonly mails: StoredMail[] = [];
  readonly commands: ImapCommand[] = [];
  /** The bytes of each BODY[] literal sent, by uid, in order. */
  readonly served: { uid: number; bytes: number }[] = [];
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  private nextUid = 1;
  private failures: { name: string; how: 'NO' | 'disconnect' }[] = [];

  constructor(private readonly auth: { user: string; pass: string }) {}

  async start(): Promise<{ port: number; url: string }> {
    this.server = createServer((socket) => this.session(socket));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    return { port, url: `imap://${encodeURIComponent(this.auth.user)}:${encodeURIComponent(this.auth.pass)}@127.0.0.1:${port}` };
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  deliver(source: string | Buffer, opts: { reportedSize?: number } = {}): number {
    const uid = this.nextUid++;
    this.mails.push({ uid, source: Buffer.isBuffer(source) ? source : Buffer.from(source.replace(/\r?\n/g, '\r\n')), flags: new Set(), ...opts });
    return uid;
  }

  seen(uid: number): boolean {
    return this.mails.find((m) => m.uid === uid)?.flags.has('\\Seen') ?? false;
  }

  /** The next command with this name answers NO, or the server drops the connection instead of answering. */
  failNext(name: string, how: 'NO' | 'disconnect' = 'NO'): void {
    this.failures.push({ name: name.toUpperCase(), how });
  }

  calls(name: string): ImapCommand[] {
    return this.commands.filter((c) => c.name === name.toUpperCase());
  }

  private session(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    let authed = false;
    const write = (s: string | Buffer) => void (socket.writable && socket.write(s));
    write(`* OK [CAPABILITY ${CAPS}] fake IMAP ready\r\n`);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n');
        if (end < 0) return;
        const line = buffer.subarray(0, end).toString('utf8');
        buffer = buffer.subarray(end + 2);
        if (line.trim() === '') continue;
        authed = this.handle(line, authed, write, socket);
      }
    });
  }

  private handle(line: string, authed: boolean, write: (s: string | Buffer) => void, socket: Socket): boolean {
    const m = /^(\S+)\s+(UID\s+)?(\S+)\s*(.*)$/i.exec(line);
    if (!m) return authed;
    const [, tag = '*', uid, verb = '', args = ''] = m;
    const name = `${uid ? 'UID ' : ''}${verb.toUpperCase()}`;
    this.commands.push({ tag, name, args: name === 'LOGIN' ? '[redacted]' : args });
    const failure = this.failures.findIndex((f) => f.name === name);
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      if (f?.how === 'disconnect') socket.destroy();
      else write(`${tag} NO [UNAVAILABLE] simulated failure\r\n`);
      return authed;
    }
    const ok = (text = 'done') => write(`${tag} OK ${text}\r\n`);
    const max = this.mails.length;
    switch (name) {
      case 'CAPABILITY':
        write(`* CAPABILITY ${CAPS}\r\n`);
        ok();
        return authed;
      case 'NOOP':
      case 'CHECK':
      case 'CLOSE':
      case 'UNSELECT':
        ok();
        return authed;
      case 'LOGOUT':
        write('* BYE logging out\r\n');
        ok();
        socket.end();
        return false;
      case 'LOGIN': {
        const [user, pass] = tokens(args);
        if (user === this.auth.user && pass === this.auth.pass) {
          ok(`[CAPABILITY ${CAPS}] logged in`);
          return true;
        }
        write(`${tag} NO [AUTHENTICATIONFAILED] invalid credentials\r\n`);
        return false;
      }
    }
    if (!authed) {
      write(`${tag} BAD log in first\r\n`);
      return authed;
    }
    switch (name) {
      case 'LIST':
      case 'LSUB': {
        const pattern = tokens(args)[1] ?? '';
        write(pattern === '' ? '* LIST (\\Noselect) "/" ""\r\n' : `* ${name} (\\HasNoChildren) "/" INBOX\r\n`);
        ok();
        return authed;
      }
      case 'SELECT':
      case 'EXAMINE':
        write('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n');
        write('* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] flags\r\n');
        write(`* ${max} EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1] uids\r\n* OK [UIDNEXT ${this.nextUid}] next\r\n`);
        ok(name === 'SELECT' ? '[READ-WRITE] selected' : '[READ-ONLY] examined');
        return authed;
      case 'SEARCH':
      case 'UID SEARCH': {
        const query = args.toUpperCase();
        const hits = this.mails
          .map((mail, i) => ({ mail, seq: i + 1 }))
          .filter(({ mail }) => (/\bUNSEEN\b/.test(query) ? !mail.flags.has('\\Seen') : true))
          .map(({ mail, seq }) => (uid ? mail.uid : seq));
        write(`* SEARCH${hits.map((h) => ` ${h}`).join('')}\r\n`);
        ok();
        return authed;
      }
      case 'FETCH':
      case 'UID FETCH': {
        const [set = '', ...rest] = args.split(' ');
        const items = rest.join(' ').toUpperCase();
        this.mails.forEach((mail, i) => {
          if (!inSet(set, uid ? mail.uid : i + 1, uid ? this.nextUid - 1 : max)) return;
          if (/\bBODY\[/.test(items)) mail.flags.add('\\Seen');
          const parts: Buffer[] = [Buffer.from(`UID ${mail.uid}`)];
          const literal = (name: string, bytes: Buffer) => parts.push(Buffer.concat([Buffer.from(`${name} {${bytes.length}}\r\n`), bytes]));
          if (/\bFLAGS\b/.test(items)) parts.push(Buffer.from(`FLAGS (${[...mail.flags].join(' ')})`));
          if (/RFC822\.SIZE/.test(items)) parts.push(Buffer.from(`RFC822.SIZE ${mail.reportedSize ?? mail.source.length}`));
          const fields = /BODY(?:\.PEEK)?\[HEADER\.FIELDS \(([^)]*)\)\]/.exec(items);
          if (fields) literal(`BODY[HEADER.FIELDS (${fields[1]})]`, headerFields(mail.source, (fields[1] ?? '').split(' ')));
          // A partial fetch (BODY.PEEK[]<0.n>) gets at most n bytes, as a server gives it.
          const body = /BODY(?:\.PEEK)?\[\](?:<(\d+)\.(\d+)>)?/.exec(items);
          if (body) {
            const start = Number(body[1] ?? 0);
            const bytes = body[2] === undefined ? mail.source : mail.source.subarray(start, start + Number(body[2]));
            literal(body[2] === undefined ? 'BODY[]' : `BODY[]<${start}>`, bytes);
            this.served.push({ uid: mail.uid, bytes: bytes.length });
          }
          write(Buffer.concat([Buffer.from(`* ${i + 1} FETCH (`), ...parts.flatMap((part, n) => (n ? [Buffer.from(' '), part] : [part])), Buffer.from(')\r\n')]));
        });
        ok();
        return authed;
      }
      case 'STORE':
      case 'UID STORE': {
        const sm = /^(\S+)\s+([+-]?)FLAGS(\.SILENT)?\s+\(?([^)]*)\)?$/i.exec(args);
        if (!sm) {
          write(`${tag} BAD bad STORE\r\n`);
          return authed;
        }
        const [, set = '', op, silent, list = ''] = sm;
        const flags = list.split(/\s+/).filter(Boolean);
        this.mails.forEach((mail, i) => {
          if (!inSet(set, uid ? mail.uid : i + 1, uid ? this.nextUid - 1 : max)) return;
          if (op === '') mail.flags.clear();
          for (const f of flags) op === '-' ? mail.flags.delete(f) : mail.flags.add(f);
          if (!silent) write(`* ${i + 1} FETCH (UID ${mail.uid} FLAGS (${[...mail.flags].join(' ')}))\r\n`);
        });
        ok();
        return authed;
      }
      default:
        write(`${tag} BAD unsupported command ${name}\r\n`);
        return authed;
    }
  }
}
