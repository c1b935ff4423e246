// The inbox's words for tests that run its code without a browser: the "ui" part of locales/<lang>/inbox.json,
// registered the way main.ts does after fetching /inbox/strings/<lang>.json.
import fs from 'node:fs';
import { type Strings, useStrings } from '../../web/inbox/src/i18n.ts';

const read = (locale: 'ar' | 'en'): unknown => (JSON.parse(fs.readFileSync(new URL(`../../locales/${locale}/inbox.json`, import.meta.url), 'utf8')) as { ui: unknown }).ui;

export const STRINGS: Record<'ar' | 'en', Strings> = { ar: useStrings('ar', read('ar')), en: useStrings('en', read('en')) };
