// Types for the part of hoodiecrow-imap (an in-memory IMAP4rev1 server, plain CommonJS) that the tests use.
declare module 'hoodiecrow-imap' {
  import type { Server } from 'node:net';

  namespace hoodiecrow {
    interface StoredMessage {
      /** The message as a byte string (one character per byte), as the server keeps what clients APPEND. */
      raw: string;
      flags?: string[];
      internaldate?: string;
    }
    interface Options {
      plugins?: string[];
      users?: Record<string, { password: string }>;
      storage?: Record<string, { messages?: StoredMessage[]; separator?: string }>;
      debug?: boolean;
    }
    interface ImapServer {
      /** The listening net.Server. */
      server: Server;
      listen(port: number, host: string, callback: () => void): void;
      close(callback?: (err?: Error) => void): void;
    }
  }
  function hoodiecrow(options?: hoodiecrow.Options): hoodiecrow.ImapServer;
  export = hoodiecrow;
}
