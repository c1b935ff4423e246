// Backup while the gateway runs, restore into a fresh DATA_DIR, and find every conversation and file through the inbox.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupStore, RestoreRefused, restoreStore } from '../../src/ops/backup.ts';
import { officerHolds, startGateway, type TestGateway } from '../support/gateway.ts';
import { createOfficerWithTotp, factorOf, rememberFactor, signInOfficer } from '../support/officers.ts';
import { tempDir } from '../support/temp-db.ts';
import { pdf, say, upload, visitor } from '../support/webchat.ts';

const EMAIL = 'backup-officer@example.org';
const PASSWORD = 'officer password for backups 2026';
const store = (dir: string) => ({ dataDir: dir, dbFile: path.join(dir, 'tawasul.sqlite') });

let gw: TestGateway;
let officerId = '';
const conversations: { id: string; text: string }[] = [];
let file: { conversationId: string; attachmentId: string; bytes: Buffer } = { conversationId: '', attachmentId: '', bytes: Buffer.alloc(0) };
const archive = path.join(tempDir('tawasul-backups-'), 'nightly.tar.gz');

beforeAll(async () => {
  gw = await startGateway();
  await gw.listen();
  officerId = (await createOfficerWithTotp(gw, { email: EMAIL, displayName: 'موظفة النسخ', role: 'officer', password: PASSWORD })).id;
  for (const text of ['السلام عليكم', 'أبغى أقدم على مساعدة', 'متى الدوام؟']) {
    const v = await visitor(gw);
    await say(gw, v.token, { text });
    conversations.push({ id: v.conversationId, text });
  }
  const v = await visitor(gw);
  await officerHolds(gw, v.conversationId);
  const bytes = pdf(4096);
  const res = await upload(gw, v.token, bytes, { 'content-type': 'application/pdf' });
  expect(res.status).toBe(202);
  file = { conversationId: v.conversationId, attachmentId: ((await res.json()) as { attachment: { id: string } }).attachment.id, bytes };
  conversations.push({ id: v.conversationId, text: '' });
}, 60_000);
afterAll(async () => {
  await gw.close();
});

describe('backup and restore', () => {
  it('backs up while the gateway serves, restores into a fresh DATA_DIR, and the inbox finds everything', async () => {
    // Online: a visitor keeps writing while the copy is made.
    const busy = await visitor(gw);
    const [manifest] = await Promise.all([backupStore(store(gw.dir), archive), say(gw, busy.token, { text: 'رسالة أثناء النسخ' })]);
    // The key that decrypts the TOTP secrets stays out of the archive unless asked for.
    expect(manifest).toMatchObject({ format: 'tawasul-backup', files: 1, secretKey: false });
    expect(fs.statSync(archive).size).toBeGreaterThan(0);
    // The gateway on the original DATA_DIR is still up and stops a restore over itself.
    await expect(restoreStore(store(gw.dir), archive, { force: true })).rejects.toThrow(RestoreRefused);
    expect((await fetch(`${gw.url()}/ready`)).status).toBe(200);

    const fresh = tempDir();
    // The operator keeps server.key apart from the backups and puts it back beside them.
    fs.copyFileSync(path.join(gw.dir, 'server.key'), path.join(fresh, 'server.key'));
    expect((await restoreStore(store(fresh), archive)).secretKeyPresent).toBe(true);
    const restored = await startGateway({}, { dir: fresh });
    await restored.listen();
    try {
      // The officer's authenticator app still works: server.key came back with the database it decrypts.
      const factor = factorOf(gw, officerId);
      if (!factor) throw new Error('no factor');
      rememberFactor(restored, officerId, factor);
      const headers = await signInOfficer(restored, EMAIL, PASSWORD);
      for (const { id, text } of conversations) {
        const res = await fetch(`${restored.url()}/api/inbox/conversations/${id}`, { headers });
        expect(res.status, id).toBe(200);
        const detail = (await res.json()) as { conversation: { id: string }; history: { direction: string; text: string }[] };
        expect(detail.conversation.id).toBe(id);
        if (text) expect(detail.history.filter((m) => m.direction === 'in').map((m) => m.text)).toContain(text);
      }
      const got = await fetch(`${restored.url()}/api/inbox/conversations/${file.conversationId}/attachments/${file.attachmentId}`, { headers });
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer()).equals(file.bytes)).toBe(true);
    } finally {
      await restored.close();
    }

    // A second restore over it is refused without --force; with it, what it replaces is kept aside.
    await expect(restoreStore(store(fresh), archive)).rejects.toThrow(/--force/);
    const { previous } = await restoreStore(store(fresh), archive, { force: true });
    expect(previous && fs.existsSync(path.join(previous, 'tawasul.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(fresh, 'tawasul.sqlite'))).toBe(true);
  }, 60_000);

  it('carries server.key only when asked', async () => {
    const withKey = path.join(tempDir(), 'with-key.tar.gz');
    expect((await backupStore(store(gw.dir), withKey, { includeSecretKey: true })).secretKey).toBe(true);
    const target = tempDir();
    const { secretKeyPresent } = await restoreStore(store(target), withKey);
    expect(secretKeyPresent).toBe(true);
    expect(fs.readFileSync(path.join(target, 'server.key')).equals(fs.readFileSync(path.join(gw.dir, 'server.key')))).toBe(true);
  });

  it('refuses a file that is not a Tawasul backup', async () => {
    const bogus = path.join(tempDir(), 'not-a-backup.tar.gz');
    const { c } = await import('tar');
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'hello.txt'), 'hi');
    await c({ gzip: true, file: bogus, cwd: dir }, ['hello.txt']);
    const target = tempDir();
    await expect(restoreStore(store(target), bogus)).rejects.toThrow(/not a Tawasul backup/);
    expect(fs.existsSync(path.join(target, 'tawasul.sqlite'))).toBe(false);
  });
});
