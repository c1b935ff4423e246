// The inbox's hash router: parsing, building, and which roles may see which screen.
import { describe, expect, it } from 'vitest';
import { canSee, homeFor, parseHash, resolve, toHash, type Route } from '../../web/inbox/src/router.ts';

describe('hash routes', () => {
  it('parses every screen', () => {
    expect(parseHash('#/inbox')).toEqual({ name: 'inbox' });
    expect(parseHash('#/inbox/c-1')).toEqual({ name: 'inbox', id: 'c-1' });
    expect(parseHash('#/applications')).toEqual({ name: 'applications' });
    expect(parseHash('#/applications/a%2F1')).toEqual({ name: 'applications', id: 'a/1' });
    expect(parseHash('#/reports')).toEqual({ name: 'reports' });
    expect(parseHash('#/admin')).toEqual({ name: 'admin', section: 'officers' });
    expect(parseHash('#/admin/audit')).toEqual({ name: 'admin', section: 'audit' });
    expect(parseHash('#inbox/')).toEqual({ name: 'inbox' });
  });

  it('rejects what it does not know', () => {
    for (const h of ['', '#', '#/', '#/nope', '#/reports/x', '#/admin/secrets', '#/inbox/a/b', '#/inbox/%E0%A4%A']) {
      const r = parseHash(h);
      if (h === '#/inbox/%E0%A4%A') expect(r).toEqual({ name: 'inbox', id: undefined });
      else expect(r, h).toBeUndefined();
    }
  });

  it('round-trips through toHash', () => {
    const routes: Route[] = [
      { name: 'inbox' },
      { name: 'inbox', id: 'conv 7/أ' },
      { name: 'applications', id: 'TW-1446-00042' },
      { name: 'reports' },
      { name: 'admin', section: 'officers' },
      { name: 'admin', section: 'knowledge' },
    ];
    for (const r of routes) expect(parseHash(toHash(r))).toEqual(r);
    expect(toHash({ name: 'admin', section: 'officers' })).toBe('#/admin');
  });

  it('shows each role only its screens and sends it home otherwise', () => {
    expect(canSee('officer', 'inbox')).toBe(true);
    expect(canSee('officer', 'admin')).toBe(false);
    expect(canSee('researcher', 'reports')).toBe(false);
    expect(canSee('committee', 'inbox')).toBe(false);
    expect(canSee('committee', 'applications')).toBe(true);
    expect(canSee('admin', 'admin')).toBe(true);
    expect(homeFor('committee')).toEqual({ name: 'applications' });
    expect(homeFor('researcher')).toEqual({ name: 'inbox' });
    expect(resolve('#/admin', 'officer')).toEqual({ name: 'inbox' });
    expect(resolve('#/inbox/x', 'committee')).toEqual({ name: 'applications' });
    expect(resolve('', 'admin')).toEqual({ name: 'inbox' });
    expect(resolve('#/reports', 'admin')).toEqual({ name: 'reports' });
  });

  it('keeps the Channels page (WhatsApp Web pairing QR) for admins', () => {
    expect(parseHash('#/channels')).toEqual({ name: 'channels' });
    expect(parseHash('#/channels/x')).toBeUndefined();
    expect(toHash({ name: 'channels' })).toBe('#/channels');
    expect(canSee('admin', 'channels')).toBe(true);
    for (const role of ['officer', 'researcher', 'committee'] as const) expect(canSee(role, 'channels'), role).toBe(false);
    expect(resolve('#/channels', 'officer')).toEqual({ name: 'inbox' });
    expect(resolve('#/channels', 'admin')).toEqual({ name: 'channels' });
  });
});
