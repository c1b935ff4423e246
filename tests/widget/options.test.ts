// Widget options from the script tag's data attributes, file checks and what survives a reload.
import { describe, expect, it } from 'vitest';
import { checkFile, DEFAULT_COLOR, parseOptions, textOn } from '../../web/widget/src/options.ts';
import { createPersist, memoryStore, storageKey } from '../../web/widget/src/persist.ts';

const SRC = 'https://chat.charity.org.sa/widget.js';
const PAGE = 'https://www.charity.org.sa/help?x=1';

describe('widget options', () => {
  it('defaults: Arabic, end position, default colour, server = origin of the script src', () => {
    const { options, warnings } = parseOptions({}, SRC, PAGE);
    expect(options).toEqual({ locale: 'ar', position: 'end', primaryColor: DEFAULT_COLOR, onPrimary: '#ffffff', open: false, server: 'https://chat.charity.org.sa', maxUploadMb: 5 });
    expect(warnings).toEqual([]);
  });

  it('reads every data attribute', () => {
    const data = { locale: 'en', position: 'start', primaryColor: '#FFCC00', title: ' جمعية البر ', open: 'true', server: 'https://api.example.org/tawasul/', userId: 'u-1', userHash: 'abc', maxUploadMb: '8' };
    const { options, warnings } = parseOptions(data, SRC, PAGE);
    expect(options).toEqual({
      locale: 'en',
      position: 'start',
      primaryColor: '#ffcc00',
      onPrimary: '#111111',
      title: 'جمعية البر',
      open: true,
      server: 'https://api.example.org/tawasul',
      userId: 'u-1',
      userHash: 'abc',
      maxUploadMb: 8,
    });
    expect(warnings).toEqual([]);
  });

  it('falls back on invalid values and says so', () => {
    const data = { locale: 'fr', position: 'left', primaryColor: 'red; background:url(x)', maxUploadMb: '-3', server: 'javascript:alert(1)', open: 'yes', userId: 'only-id' };
    const { options, warnings } = parseOptions(data, SRC, PAGE);
    expect(options).toMatchObject({ locale: 'ar', position: 'end', primaryColor: DEFAULT_COLOR, maxUploadMb: 5, server: 'https://chat.charity.org.sa', open: false });
    expect(warnings).toHaveLength(6);
    expect(warnings.join('\n')).toMatch(/data-primary-color/);
  });

  it('passes the site\'s signature expiry (data-user-exp) as a number, and warns about a malformed one', () => {
    expect(parseOptions({ userId: 'u-1', userHash: 'abc', userExp: '1798761600' }, SRC, PAGE).options.userExp).toBe(1798761600);
    const { options, warnings } = parseOptions({ userId: 'u-1', userHash: 'abc', userExp: 'tomorrow' }, SRC, PAGE);
    expect(options.userExp).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/data-user-exp/);
  });

  it('without a script src (inline copy) the page origin is the server; a relative data-server resolves against the page', () => {
    expect(parseOptions({}, undefined, PAGE).options.server).toBe('https://www.charity.org.sa');
    expect(parseOptions({ server: '/chat' }, SRC, PAGE).options.server).toBe('https://www.charity.org.sa/chat');
    expect(parseOptions({ locale: 'en-GB' }, SRC, PAGE).options.locale).toBe('en');
  });

  it('picks the text colour on the primary colour for contrast', () => {
    expect(textOn('#0b6b57')).toBe('#ffffff');
    expect(textOn('#fff')).toBe('#111111');
    expect(textOn('#ffcc00')).toBe('#111111');
  });

  it('checks files before uploading', () => {
    expect(checkFile({ name: 'id.pdf', type: 'application/pdf', size: 1000 }, 5)).toBeUndefined();
    expect(checkFile({ name: 'IMG_1.HEIC', type: '', size: 1000 }, 5)).toBeUndefined();
    expect(checkFile({ name: 'a.exe', type: 'application/x-msdownload', size: 10 }, 5)).toBe('type');
    expect(checkFile({ name: 'a.png', type: 'image/png', size: 5 * 1024 * 1024 + 1 }, 5)).toBe('size');
  });
});

describe('widget persistence', () => {
  it('keeps token, last seen id and language under one key per server', () => {
    const kv = memoryStore();
    const p = createPersist(kv, 'https://a.example', undefined);
    expect(p.load()).toEqual({ seen: 0 });
    p.save({ token: 't1', seen: 12, locale: 'en' });
    expect(p.key).toBe('tawasul:https://a.example');
    expect(createPersist(kv, 'https://a.example', undefined).load()).toEqual({ token: 't1', seen: 12, locale: 'en' });
    expect(createPersist(kv, 'https://b.example', undefined).load()).toEqual({ seen: 0 });
    expect(kv.getItem(storageKey('https://b.example'))).toBeNull();
  });

  it("does not resume another site user's conversation", () => {
    const kv = memoryStore();
    createPersist(kv, 'https://a.example', 'alice').save({ token: 'ta', seen: 3, locale: 'ar' });
    expect(createPersist(kv, 'https://a.example', 'bob').load()).toEqual({ seen: 0, locale: 'ar' });
    expect(createPersist(kv, 'https://a.example', undefined).load().token).toBeUndefined();
    expect(createPersist(kv, 'https://a.example', 'alice').load().token).toBe('ta');
  });

  it('survives garbage and a storage that throws', () => {
    const kv = memoryStore();
    kv.setItem(storageKey('s'), '{not json');
    expect(createPersist(kv, 's', undefined).load()).toEqual({ seen: 0 });
    const throwing = { getItem: () => { throw new Error('blocked'); }, setItem: () => { throw new Error('quota'); }, removeItem: () => {} };
    const p = createPersist(throwing, 's', undefined);
    expect(p.load()).toEqual({ seen: 0 });
    expect(() => p.save({ token: 't', seen: 1 })).not.toThrow();
  });
});
