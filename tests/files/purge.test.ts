// Files linked to nothing are purged after RETENTION_UNLINKED_FILES_DAYS, by a timer the gateway starts and stops;
// files a message or an application refers to stay. The gateway's clock is moved forward instead of waiting days.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, attachments } from '../../src/db/schema.ts';
import { eventually, officerHolds, startGateway, type TestGateway } from '../support/gateway.ts';
import { pdf, upload, visitor } from '../support/webchat.ts';

const DAY = 86_400_000;
let gw: TestGateway;
let offset = 0;

// The timer's first pass comes a minute after start, long after these tests: each pass here is asked for, except
// in the last test, which runs its own gateway with a short timer.
beforeAll(async () => {
  gw = await startGateway({ RETENTION_UNLINKED_FILES_DAYS: '3' }, { now: () => new Date(Date.now() + offset) });
  await gw.listen();
});
afterAll(() => gw.close());

/** A file the visitor uploaded into the conversation (linked to its message). */
async function linkedFile(): Promise<{ id: string; file: string }> {
  const { token, conversationId } = await visitor(gw);
  await officerHolds(gw, conversationId);
  const res = await upload(gw, token, pdf());
  expect(res.status).toBe(202);
  const { attachment } = (await res.json()) as { attachment: { id: string } };
  return { id: attachment.id, file: fileOf(attachment.id) };
}

function fileOf(id: string): string {
  const row = gw.db.$client.prepare('select storage_path from attachments where id = ?').get(id) as { storage_path: string };
  return path.join(gw.dir, 'uploads', row.storage_path);
}

/** What a crash between storing an upload and handing it to the conversation leaves: a row and a file, no message. */
function orphanRow(contactId: string, createdAt: Date): { id: string; file: string } {
  const id = randomUUID();
  const storagePath = `2026/01/${id}.pdf`;
  const file = path.join(gw.dir, 'uploads', storagePath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, pdf());
  gw.db.insert(attachments).values({ id, contactId, mime: 'application/pdf', size: 10, sha256: 'x', storagePath, createdAt: createdAt.toISOString() }).run();
  return { id, file };
}

/** A file on disk with no row at all (a crash before the row was written), last written `at`. */
function strayFile(at: Date): string {
  const file = path.join(gw.dir, 'uploads', '2026', '02', `${randomUUID()}.jpg`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
  fs.utimesSync(file, at, at);
  return file;
}

const rowExists = (id: string) => gw.db.$client.prepare('select 1 from attachments where id = ?').get(id) !== undefined;

describe('purge of files linked to nothing', () => {
  it('removes orphan rows with their files and stray files older than the retention; keeps the rest', async () => {
    const linked = await linkedFile();
    const contactId = contactOf(linked.id);
    const now = Date.now() + offset;
    const oldOrphan = orphanRow(contactId, new Date(now - 4 * DAY));
    const youngOrphan = orphanRow(contactId, new Date(now - 2 * DAY));
    const oldStray = strayFile(new Date(now - 4 * DAY));
    const youngStray = strayFile(new Date(now - DAY));
    const foreign = path.join(gw.dir, 'uploads', 'README.txt');
    fs.writeFileSync(foreign, 'kept by the operator');
    fs.utimesSync(foreign, new Date(now - 40 * DAY), new Date(now - 40 * DAY));

    expect(await gw.purge.runOnce()).toEqual({ rows: 1, files: 1 });
    expect(rowExists(oldOrphan.id) || fs.existsSync(oldOrphan.file)).toBe(false);
    expect(fs.existsSync(oldStray)).toBe(false);
    expect(rowExists(youngOrphan.id) && fs.existsSync(youngOrphan.file) && fs.existsSync(youngStray)).toBe(true);

    // Ten days on, the young ones are old too; the linked upload is as old, but age alone never removes a file
    // something refers to, and names we never write are not ours to delete.
    offset += 10 * DAY;
    expect(await gw.purge.runOnce()).toEqual({ rows: 1, files: 1 });
    expect(rowExists(youngOrphan.id) || fs.existsSync(youngOrphan.file) || fs.existsSync(youngStray)).toBe(false);
    expect(rowExists(linked.id) && fs.existsSync(linked.file)).toBe(true);
    expect(fs.existsSync(foreign)).toBe(true);
    expect(await gw.purge.runOnce()).toEqual({ rows: 0, files: 0 });
  });

  it('keeps a file only an application refers to', async () => {
    const { id } = await linkedFile();
    // A document kept for an application whose message is gone (a chat erased for privacy, say).
    gw.db.$client.prepare('update attachments set message_id = null, application_id = ? where id = ?').run(seedApplication(gw, contactOf(id)), id);
    offset += 30 * DAY;
    await gw.purge.runOnce();
    expect(rowExists(id) && fs.existsSync(fileOf(id))).toBe(true);
  });

  it('runs by itself on a timer the gateway starts, and stops it on close', async () => {
    const own = await startGateway({ RETENTION_UNLINKED_FILES_DAYS: '3' }, { purgeIntervalMs: 100 });
    const before = gw;
    gw = own;
    try {
      await own.listen();
      const { id } = await linkedFile();
      const orphan = orphanRow(contactOf(id), new Date(Date.now() - 5 * DAY));
      // Nobody calls runOnce: the gateway's own timer finds the orphan.
      // The row goes first, then the file: wait for both.
      await eventually(() => (!rowExists(orphan.id) && !fs.existsSync(orphan.file)) || undefined, 5000);
      expect(fs.existsSync(orphan.file)).toBe(false);
      expect(rowExists(id)).toBe(true);
      await own.close();
      // Closed: no pass runs any more (it would fail on the closed database and log it).
      const stray = strayFile(new Date(Date.now() - 5 * DAY));
      await new Promise((r) => setTimeout(r, 400));
      expect(fs.existsSync(stray)).toBe(true);
    } finally {
      gw = before;
      await own.close();
    }
  });
});

const contactOf = (attachmentId: string) => (gw.db.$client.prepare('select contact_id from attachments where id = ?').get(attachmentId) as { contact_id: string }).contact_id;

function seedApplication(g: TestGateway, contactId: string): string {
  const id = randomUUID();
  const now = new Date().toISOString();
  const base = { applicantName: 'نورة', nationalId: '1058529940', mobile: '+966551234567', answers: {}, declarationVersion: 'v1' };
  g.db.insert(applications).values({ id, reference: `TEST-${id}`, contactId, ...base, declarationAcceptedAt: now, committeeDueAt: now }).run();
  return id;
}
