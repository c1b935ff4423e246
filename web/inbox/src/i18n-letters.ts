// The inbox's words for official letters on an application (spread into i18n.ts).

const ar = {
  letters: 'الخطابات الرسمية',
  lettersHint: 'خطاب PDF بترويسة الجمعية ورقم وتاريخ هجري وميلادي، بلغة المستفيد.',
  letterKind: {
    receipt: 'إشعار استلام الطلب',
    documents: 'المستندات المطلوبة',
    appointment: 'موعد المقابلة أو الزيارة',
    decision: 'قرار لجنة البحث',
  } as Record<string, string>,
  letterDownload: 'تنزيل',
  letterSend: 'إرسال للمستفيد',
  letterSendLabel: 'إرسال «{kind}» للمستفيد في محادثته',
  letterSent: 'أُرسل «{kind}» ({number}) عبر {channel}.',
};

const en: typeof ar = {
  letters: 'Official letters',
  lettersHint: 'A PDF letter with the charity’s letterhead, a number and the Hijri and Gregorian date, in the beneficiary’s language.',
  letterKind: {
    receipt: 'Application received',
    documents: 'Documents needed',
    appointment: 'Interview or visit appointment',
    decision: 'Committee decision',
  },
  letterDownload: 'Download',
  letterSend: 'Send to the beneficiary',
  letterSendLabel: 'Send “{kind}” to the beneficiary in their conversation',
  letterSent: '“{kind}” ({number}) was sent on {channel}.',
};

export const LETTER_STRINGS = { ar, en };
