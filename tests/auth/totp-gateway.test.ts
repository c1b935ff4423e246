// The second factor in the real gateway: MFA_REQUIRED (default on; off warns at every start), and the TOTP secrets
// encrypted with SECRET_KEY or DATA_DIR/server.key, so they survive a restart and are useless with another key.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.ts';
import { officers } from '../../src/db/schema.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { createOfficerWithTotp, factorOf, rememberFactor, signInInject, type SecondFactor } from '../support/officers.ts';
import { tempDir } from '../support/temp-db.ts';

const PASSWORD = 'quiet lantern orbit 2026';
const EMAIL = 'amal@example.org';
let gw: TestGateway | undefined;

afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

/** A gateway whose log lines are kept (JSON objects, as pino writes them). */
async function startLogged(env: Record<string, string>, dir: string): Promise<{ gateway: TestGateway; lines: { level: number; msg: string }[] }> {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  const gateway = await startGateway(env, { dir, logger: pino({ level: 'info' }, sink) });
  return { gateway, lines };
}

describe('MFA_REQUIRED', () => {
  it('is on by default and must be true or false', () => {
    expect(parseConfig({}).mfaRequired).toBe(true);
    expect(parseConfig({ MFA_REQUIRED: 'false' }).mfaRequired).toBe(false);
    expect(() => parseConfig({ MFA_REQUIRED: 'maybe' })).toThrow(ConfigError);
    expect(() => parseConfig({ SECRET_KEY: 'too short' })).toThrow(/SECRET_KEY/);
  });

  it('off: an officer without a second factor gets in with the password, and every start logs a warning', async () => {
    const dir = tempDir();
    for (let start = 0; start < 2; start += 1) {
      const { gateway, lines } = await startLogged({ MFA_REQUIRED: 'false' }, dir);
      gw = gateway;
      expect(lines.filter((l) => l.level === 40 && /MFA_REQUIRED/.test(l.msg))).toHaveLength(1);
      await gw.close();
      gw = undefined;
    }
    const { gateway } = await startLogged({ MFA_REQUIRED: 'false' }, dir);
    gw = gateway;
    await gw.auth.createOfficer({ email: EMAIL, displayName: 'أمل', role: 'officer', password: PASSWORD });
    const res = await gw.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: EMAIL, password: PASSWORD } });
    expect(res.json()).toMatchObject({ totpSetupRequired: false });
    const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
    expect((await gw.app.inject({ method: 'GET', url: '/api/inbox/conversations', headers: { cookie } })).statusCode).toBe(200);
  });

  it('on (the default): no warning, and the password alone opens nothing but the set-up', async () => {
    const { gateway, lines } = await startLogged({}, tempDir());
    gw = gateway;
    expect(lines.some((l) => /MFA_REQUIRED/.test(l.msg))).toBe(false);
    await gw.auth.createOfficer({ email: EMAIL, displayName: 'أمل', role: 'officer', password: PASSWORD });
    const res = await gw.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: EMAIL, password: PASSWORD } });
    const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
    const list = await gw.app.inject({ method: 'GET', url: '/api/inbox/conversations', headers: { cookie } });
    expect(list.statusCode).toBe(403);
    expect(list.json()).toMatchObject({ error: { code: 'ERR_TOTP_SETUP_REQUIRED' } });
  });
});

describe('the key that encrypts TOTP secrets', () => {
  it('without SECRET_KEY: DATA_DIR/server.key (0600) is made once, and the factor still works after a restart', async () => {
    const dir = tempDir();
    gw = await startGateway({}, { dir });
    const keyFile = path.join(dir, 'server.key');
    const key = fs.readFileSync(keyFile, 'utf8');
    expect(key.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const officer = await createOfficerWithTotp(gw, { email: EMAIL, displayName: 'أمل', role: 'officer', password: PASSWORD });
    const factor = factorOf(gw, officer.id) as SecondFactor;
    const stored = gw.db.select({ secret: officers.totpSecret }).from(officers).all()[0]?.secret ?? '';
    expect(stored).toMatch(/^v1\./);
    await gw.close();
    gw = await startGateway({}, { dir });
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(key);
    rememberFactor(gw, officer.id, factor);
    expect((await signInInject(gw, EMAIL, PASSWORD)).statusCode).toBe(200);
  });

  it('with SECRET_KEY: no key file; under another key the stored secret opens nothing', async () => {
    const dir = tempDir();
    gw = await startGateway({ SECRET_KEY: 'a'.repeat(40) }, { dir });
    expect(fs.existsSync(path.join(dir, 'server.key'))).toBe(false);
    const officer = await createOfficerWithTotp(gw, { email: EMAIL, displayName: 'أمل', role: 'officer', password: PASSWORD });
    const factor = factorOf(gw, officer.id) as SecondFactor;
    expect((await signInInject(gw, EMAIL, PASSWORD)).statusCode).toBe(200);
    await gw.close();
    // Same database, another key (a copied database without its key): the right code is refused.
    gw = await startGateway({ SECRET_KEY: 'b'.repeat(40) }, { dir });
    rememberFactor(gw, officer.id, factor);
    const res = await signInInject(gw, EMAIL, PASSWORD);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'ERR_TOTP_INVALID' } });
  });
});
