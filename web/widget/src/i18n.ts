// The widget's own UI texts (they ship inside the browser bundle, so they live here and not in locales/).
import type { Locale } from './types.ts';

const ar = {
  title: 'تواصل معنا',
  open: 'فتح المحادثة',
  unread: 'رسائل جديدة: {n}',
  close: 'إغلاق المحادثة',
  lang: 'EN',
  langLabel: 'Switch to English',
  newChat: 'محادثة جديدة',
  confirmNew: 'هل تريد بدء محادثة جديدة؟ لن تظهر المحادثة الحالية هنا بعد ذلك.',
  confirmYes: 'ابدأ محادثة جديدة',
  cancel: 'إلغاء',
  messages: 'الرسائل',
  placeholder: 'اكتب رسالتك…',
  composer: 'نص الرسالة',
  send: 'إرسال',
  attach: 'إرفاق ملف',
  attachDoc: 'إرفاق المستند',
  you: 'أنت:',
  bot: 'المساعد:',
  officer: 'الموظف',
  sending: 'جارٍ الإرسال…',
  sent: 'أُرسلت ✓',
  read: 'قُرئت ✓✓',
  failed: 'لم تُرسل',
  retry: 'إعادة المحاولة',
  typing: 'جارٍ الكتابة…',
  uploading: 'جارٍ رفع الملف',
  dismiss: 'إخفاء التنبيه',
  kb: 'ك.ب',
  mb: 'م.ب',
  errTooLong: 'الرسالة أطول من المسموح. اختصرها قليلًا ثم أرسلها.',
  errRate: 'أرسلت رسائل كثيرة في وقت قصير. انتظر {s} ثانية ثم حاول مرة أخرى.',
  errNetwork: 'تعذّر الاتصال بالخادم. تحقّق من اتصالك ثم حاول مرة أخرى.',
  errIdentity: 'تعذّر التحقق من حسابك. حدّث الصفحة أو سجّل الدخول مرة أخرى.',
  errFileSize: 'حجم الملف أكبر من {mb} ميجابايت. اختر ملفًا أصغر.',
  errFileType: 'نوع الملف غير مقبول. أرسل صورة (JPEG أو PNG أو WebP أو HEIC) أو ملف PDF.',
  errGeneric: 'حدث خطأ غير متوقع. حاول مرة أخرى بعد قليل.',
};

export type Strings = typeof ar;

const en: Strings = {
  title: 'Chat with us',
  open: 'Open chat',
  unread: 'new messages: {n}',
  close: 'Close chat',
  lang: 'ع',
  langLabel: 'التبديل إلى العربية',
  newChat: 'New conversation',
  confirmNew: 'Start a new conversation? The current one will no longer show here.',
  confirmYes: 'Start new conversation',
  cancel: 'Cancel',
  messages: 'Messages',
  placeholder: 'Type your message…',
  composer: 'Message',
  send: 'Send',
  attach: 'Attach a file',
  attachDoc: 'Attach the document',
  you: 'You:',
  bot: 'Assistant:',
  officer: 'Officer',
  sending: 'Sending…',
  sent: 'Sent ✓',
  read: 'Read ✓✓',
  failed: 'Not sent',
  retry: 'Retry',
  typing: 'Typing…',
  uploading: 'Uploading the file',
  dismiss: 'Dismiss',
  kb: 'KB',
  mb: 'MB',
  errTooLong: 'That message is too long. Please shorten it and send it again.',
  errRate: 'You have sent many messages quickly. Please wait {s} seconds and try again.',
  errNetwork: 'Could not reach the server. Check your connection and try again.',
  errIdentity: 'We could not verify your account. Refresh the page or sign in again.',
  errFileSize: 'The file is larger than {mb} MB. Please choose a smaller file.',
  errFileType: 'This file type is not accepted. Send an image (JPEG, PNG, WebP or HEIC) or a PDF.',
  errGeneric: 'Something went wrong. Please try again in a moment.',
};

export const STRINGS: Record<Locale, Strings> = { ar, en };

/** Replaces {name} placeholders; values are formatted by the caller (digits per locale). */
export function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}
