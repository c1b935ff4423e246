// Reads the widget's options from the script tag's data attributes (passed in as a plain record).
import type { WidgetOptions } from './types.ts';

export const DEFAULT_COLOR = '#0b6b57';
const DEFAULT_UPLOAD_MB = 5;

/** Relative luminance per WCAG 2; `hex` is #rgb or #rrggbb. */
export function luminance(hex: string): number {
  const h = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (c) => c + c) : hex;
  const ch = [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);
  const lin = ch.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * (lin[0] ?? 0) + 0.7152 * (lin[1] ?? 0) + 0.0722 * (lin[2] ?? 0);
}

/** White or near-black, whichever contrasts more with the background. */
export function textOn(hex: string): string {
  const l = luminance(hex);
  return 1.05 / (l + 0.05) >= (l + 0.05) / (luminance('#111111') + 0.05) ? '#ffffff' : '#111111';
}

function baseUrl(value: string, base: string): string | undefined {
  try {
    const u = new URL(value, base);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    const url = u.origin + u.pathname;
    // Trailing slashes dropped by hand: old Safari cannot parse a lookbehind, and `/\/+$/` backtracks.
    let end = url.length;
    while (end > 0 && url[end - 1] === '/') end--;
    return url.slice(0, end);
  } catch {
    return undefined;
  }
}

/**
 * `data` is the script's dataset (data-user-id → userId). The server defaults to the origin of the
 * script's own src. Invalid values fall back to defaults, and each one is reported in `warnings` so the
 * page's developer sees it in the console rather than wondering.
 */
export function parseOptions(
  data: Record<string, string | undefined>,
  scriptSrc: string | undefined,
  pageUrl: string,
): { options: WidgetOptions; warnings: string[] } {
  const warnings: string[] = [];
  const bad = (attr: string, value: string, used: string) => warnings.push(`data-${attr}="${value}" is not valid; using ${used}`);

  const rawLocale = (data.locale ?? '').toLowerCase();
  const locale = rawLocale.startsWith('en') ? 'en' : 'ar';
  if (rawLocale && !/^(ar|en)\b/.test(rawLocale)) bad('locale', rawLocale, locale);

  const position = data.position === 'start' ? 'start' : 'end';
  if (data.position && data.position !== 'start' && data.position !== 'end') bad('position', data.position, position);

  let primaryColor = DEFAULT_COLOR;
  const color = (data.primaryColor ?? '').trim();
  if (/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color)) primaryColor = color.toLowerCase();
  else if (color) bad('primary-color', color, DEFAULT_COLOR);

  let maxUploadMb = DEFAULT_UPLOAD_MB;
  if (data.maxUploadMb !== undefined) {
    const n = Number(data.maxUploadMb);
    if (Number.isFinite(n) && n > 0 && n <= 100) maxUploadMb = n;
    else bad('max-upload-mb', data.maxUploadMb, String(DEFAULT_UPLOAD_MB));
  }

  const fromScript = scriptSrc ? baseUrl(scriptSrc, pageUrl) : undefined;
  let server = (fromScript && new URL(fromScript).origin) ?? baseUrl('/', pageUrl) ?? '';
  if (data.server) {
    const s = baseUrl(data.server, pageUrl);
    if (s) server = s;
    else bad('server', data.server, server);
  }

  const title = data.title?.trim();
  const userId = data.userId?.trim();
  const userHash = data.userHash?.trim();
  if (Boolean(userId) !== Boolean(userHash)) warnings.push('data-user-id and data-user-hash are used together; one of them is missing');
  const phone = data.userPhone?.trim();
  const phoneHash = data.phoneHash?.trim();
  if (Boolean(phone) !== Boolean(phoneHash)) warnings.push('data-user-phone and data-phone-hash are used together; one of them is missing');
  const rawExp = data.userExp?.trim();
  const userExp = rawExp && /^\d{1,15}$/.test(rawExp) ? Number(rawExp) : undefined;
  if (rawExp && userExp === undefined) bad('user-exp', rawExp, 'no expiry');

  return {
    options: {
      locale,
      position,
      primaryColor,
      onPrimary: textOn(primaryColor),
      ...(title ? { title } : {}),
      open: data.open === 'true' || data.open === '',
      server,
      ...(userId ? { userId } : {}),
      ...(userHash ? { userHash } : {}),
      ...(phone && phoneHash ? { phone, phoneHash } : {}),
      ...(userExp !== undefined ? { userExp } : {}),
      maxUploadMb,
    },
    warnings,
  };
}

export const ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf,.jpg,.jpeg,.png,.webp,.heic,.heif,.pdf';

/** Client-side check before uploading (the server checks the real content again). */
export function checkFile(file: { name: string; type: string; size: number }, maxMb: number): 'size' | 'type' | undefined {
  const byType = /^(image\/(jpeg|png|webp|heic|heif)|application\/pdf)$/i.test(file.type);
  // Some browsers give HEIC files an empty type: fall back to the extension.
  const byName = !file.type && /\.(jpe?g|png|webp|heic|heif|pdf)$/i.test(file.name);
  if (!byType && !byName) return 'type';
  if (file.size > maxMb * 1024 * 1024) return 'size';
  return undefined;
}
