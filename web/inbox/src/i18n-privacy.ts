// The inbox's texts about the beneficiaries' privacy requests (spread into i18n.ts).

const ar = {
  navPrivacy: 'طلبات البيانات',
  privacyIntro: 'طلبات المستفيدين بخصوص بياناتهم الشخصية (نسخة، حذف، تصحيح). يلزم نظام حماية البيانات الشخصية بالرد خلال ٣٠ يومًا.',
  privacyNone: 'لا توجد طلبات مفتوحة.',
  privacyReference: 'رقم الطلب',
  privacyKind: 'النوع',
  privacyWho: 'المستفيد',
  privacyDue: 'الموعد النهائي',
  privacyOverdue: 'متأخر',
  privacyOutcome: 'ما تم (يُرسل للمستفيد)',
  privacyClose: 'إغلاق الطلب',
  privacyClosed: 'أُغلق الطلب {reference} وأُبلغ المستفيد.',
  privacyKinds: { access: 'نسخة من البيانات', erasure: 'حذف البيانات', correction: 'تصحيح البيانات' } as Record<string, string>,
};

type PrivacyStrings = typeof ar;

const en: PrivacyStrings = {
  navPrivacy: 'Data requests',
  privacyIntro: 'What beneficiaries asked about their personal data (a copy, erasure, correction). The Personal Data Protection Law gives 30 days to answer.',
  privacyNone: 'No open requests.',
  privacyReference: 'Reference',
  privacyKind: 'Kind',
  privacyWho: 'Beneficiary',
  privacyDue: 'Deadline',
  privacyOverdue: 'Overdue',
  privacyOutcome: 'What was done (sent to the beneficiary)',
  privacyClose: 'Close request',
  privacyClosed: 'Request {reference} is closed and the beneficiary was told.',
  privacyKinds: { access: 'Copy of data', erasure: 'Erasure', correction: 'Correction' },
};

export const PRIVACY_STRINGS = { ar, en };
