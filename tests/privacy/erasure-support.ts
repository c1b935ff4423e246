// Shared by the erasure and export tests: admins signed in through the real sign-in route, the inbox and application
// searches an officer would run, and a zip read back with yauzl.
import yauzl from 'yauzl';
import type { TestGateway } from '../support/gateway.ts';
import { QUEUES } from '../../src/inbox/queues.ts';

export type Headers = Record<string, string>;

/** Every hit an officer's search finds: conversations in every inbox queue, and applications. */
export async function searchHits(gw: TestGateway, officer: Headers, query: string): Promise<number> {
  let hits = 0;
  for (const queue of QUEUES) {
    const res = await gw.app.inject({ method: 'GET', url: `/api/inbox/conversations?queue=${queue}&q=${encodeURIComponent(query)}`, headers: officer });
    if (res.statusCode !== 200) throw new Error(`inbox search → ${res.statusCode} ${res.body}`);
    hits += (res.json() as { items: unknown[] }).items.length;
  }
  const apps = await gw.app.inject({ method: 'GET', url: `/api/applications?q=${encodeURIComponent(query)}`, headers: officer });
  if (apps.statusCode !== 200) throw new Error(`application search → ${apps.statusCode} ${apps.body}`);
  return hits + (apps.json() as { items: unknown[] }).items.length;
}

/** The names and contents of a zip's entries. */
export function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
