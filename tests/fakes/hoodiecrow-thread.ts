// The same real IMAP server (hoodiecrow-imap) as hoodiecrow-imap.ts, run in a worker thread: what it does to serve
// a large mail does not show on the event loop of the gateway under test, as a separate mail server's would not.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { hoodiecrowOptions, MailboxClient, sourceFetchesIn, type ImapAuth } from './hoodiecrow-imap.ts';

type Reply = { type: 'port'; port: number } | { type: 'lines'; id: number; lines: string[] } | { type: 'stopped' };

export class HoodiecrowThread extends MailboxClient {
  private worker: Worker | undefined;
  private asked = 0;

  /** `inbox`: mails already waiting in INBOX, unseen, when the server starts (uids 1, 2, …). */
  constructor(
    auth: ImapAuth,
    private readonly inbox: (string | Buffer)[] = [],
  ) {
    super(auth);
  }

  async start(): Promise<{ port: number; url: string }> {
    const worker = new Worker(new URL('./hoodiecrow-worker.mjs', import.meta.url), { workerData: { options: hoodiecrowOptions(this.auth, this.inbox) } });
    this.worker = worker;
    this.port = (await this.next((r) => (r.type === 'port' ? r.port : undefined))) ?? 0;
    return { port: this.port, url: `imap://${encodeURIComponent(this.auth.user)}:${encodeURIComponent(this.auth.pass)}@127.0.0.1:${this.port}` };
  }

  /** The command lines clients sent so far, in order. */
  async lines(): Promise<string[]> {
    const id = ++this.asked;
    this.worker?.postMessage({ type: 'lines', id });
    return (await this.next((r) => (r.type === 'lines' && r.id === id ? r.lines : undefined))) ?? [];
  }

  /** How many times a client fetched this mail's whole source. */
  async sourceFetches(uid: number): Promise<number> {
    return sourceFetchesIn(await this.lines(), uid);
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    worker.postMessage({ type: 'stop' });
    await this.next((r) => (r.type === 'stopped' ? true : undefined));
    await worker.terminate();
  }

  private async next<T>(pick: (r: Reply) => T | undefined): Promise<T | undefined> {
    const worker = this.worker;
    if (!worker) return undefined;
    for (;;) {
      const [reply] = (await once(worker, 'message')) as [Reply];
      const value = pick(reply);
      if (value !== undefined) return value;
    }
  }
}
