// The first admin: `npm run admin:create` in a real child process, and the one created on a fresh install.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureFirstAdmin, formatFirstAdminNotice } from '../../src/auth/first-admin.ts';
import { verifyPassword } from '../../src/auth/password.ts';
import { parseConfig, ROOT_DIR } from '../../src/config.ts';
import { officers } from '../../src/db/schema.ts';
import { openTempDb, tempDir } from '../support/temp-db.ts';
import { authTestApp, signInRequest, silentLogger } from './support.ts';

function createAdmin(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Only what the test passes: no developer .env values (DATA_DIR in the environment wins over .env).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'src/cli/create-admin.ts'), ...args], {
    cwd: ROOT_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run admin:create', () => {
  it('creates an admin in the configured database, prints the one-time password once, and refuses a duplicate', async () => {
    const dir = tempDir();
    const first = await createAdmin(dir, ['--email', 'Manager@Charity.org', '--name', 'مدير النظام']);
    expect(first.code, first.stderr).toBe(0);
    const otp = /One-time password: (\S+)/.exec(first.stdout)?.[1] ?? '';
    expect(otp).toMatch(/^[A-Za-z2-9]{16}$/);
    expect(first.stdout.split(otp)).toHaveLength(2); // exactly once
    expect(first.stderr).not.toContain(otp);

    const again = await createAdmin(dir, ['--email', 'manager@charity.org', '--name', 'Someone else']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(again.stdout).not.toMatch(/One-time password/);

    const usage = await createAdmin(dir, ['--email', 'x@charity.org']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--name');

    const { db, close } = openTempDb(dir);
    try {
      const rows = db.select().from(officers).all();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ email: 'manager@charity.org', displayName: 'مدير النظام', role: 'admin', active: true, mustChangePassword: true });
      expect((await verifyPassword(otp, rows[0]?.passwordHash ?? '')).ok).toBe(true);
    } finally {
      close();
    }
  });
});

describe('ensureFirstAdmin', () => {
  it('creates admin@localhost with a one-time password only when there is no officer at all', async () => {
    const t = await authTestApp();
    try {
      const warnings: unknown[] = [];
      const logger = { ...silentLogger, warn: (obj: object | string, msg?: string) => void warnings.push([obj, msg]), info: (obj: object | string, msg?: string) => void warnings.push([obj, msg]) };
      const created = await ensureFirstAdmin({ auth: t.auth, logger });
      expect(created?.email).toBe('admin@localhost');
      expect(created?.oneTimePassword).toMatch(/^[A-Za-z2-9]{16}$/);
      expect(JSON.stringify(warnings)).not.toContain(created?.oneTimePassword);
      expect(await ensureFirstAdmin({ auth: t.auth, logger })).toBeUndefined();

      const res = await signInRequest(t, 'admin@localhost', created?.oneTimePassword ?? '');
      expect(res.json()).toMatchObject({ officer: { role: 'admin', mustChangePassword: true } });

      const notice = formatFirstAdminNotice(created ?? { email: '', oneTimePassword: '' });
      expect(notice).toContain(created?.oneTimePassword);
      expect(notice.split('\n')[0]).toMatch(/^\+-+\+$/);
    } finally {
      await t.close();
    }
  });

  it('uses the configured email and name (ADMIN_NAME), and an Arabic name by default, never "Administrator"', async () => {
    const { db, close } = openTempDb();
    try {
      const { createAuthService } = await import('../../src/auth/service.ts');
      const auth = createAuthService({ db, logger: silentLogger });
      const config = parseConfig({ DATA_DIR: tempDir(), ADMIN_EMAIL: 'It@Charity.org', ADMIN_NAME: ' ريم الحربي ' });
      expect((await ensureFirstAdmin({ auth, logger: silentLogger, email: config.adminEmail, name: config.adminName }))?.email).toBe('it@charity.org');
      expect(db.select().from(officers).all().map((o) => o.displayName)).toEqual(['ريم الحربي']);
      expect(() => parseConfig({ DATA_DIR: tempDir(), ADMIN_NAME: '   ' })).toThrow(/ADMIN_NAME/);
      const other = openTempDb();
      try {
        await ensureFirstAdmin({ auth: createAuthService({ db: other.db, logger: silentLogger }), logger: silentLogger });
        expect(other.db.select().from(officers).all().map((o) => o.displayName)).toEqual(['مدير النظام']);
      } finally {
        other.close();
      }
    } finally {
      close();
    }
  });
});
