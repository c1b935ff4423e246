// The inbox's words for the eligibility work on an application: a visit booked outside working hours, the
// document tag, satisfaction per service type and the checklist's audit sentences (spread into i18n.ts).

const ar = {
  visitConfirmReason: 'سبب الموعد في هذا الوقت (مطلوب)',
  visitConfirm: 'تأكيد رغم ذلك',
  visitConfirmedReason: 'موعد خارج وقت الدوام، والسبب:',
  docTag: 'أي مستند هذا؟',
  docTagChoose: 'اختر بندًا من قائمة التحقق',
  docTagged: 'يطابق بند: {item}',
  satByService: 'الرضا حسب نوع الخدمة',
  satService: 'نوع الخدمة',
  satResponses: 'الردود',
  satAverage: 'المتوسط',
  serviceType: { financial: 'مساعدة مالية', food: 'سلة غذائية', housing_rent: 'سداد إيجار', medical: 'مساعدة علاجية', education: 'دعم تعليمي', other: 'أخرى' } as Record<string, string>,
  auditItemState: ': بند «{item}» — {state}',
  auditItemTagged: ' على أنه «{item}»',
};

const en: typeof ar = {
  visitConfirmReason: 'Reason for this time (required)',
  visitConfirm: 'Confirm anyway',
  visitConfirmedReason: 'Booked outside working hours, because:',
  docTag: 'Which document is this?',
  docTagChoose: 'Pick a checklist item',
  docTagged: 'Satisfies: {item}',
  satByService: 'Satisfaction by service type',
  satService: 'Service type',
  satResponses: 'Responses',
  satAverage: 'Average',
  serviceType: { financial: 'Financial aid', food: 'Food basket', housing_rent: 'Rent payment', medical: 'Medical support', education: 'Education support', other: 'Other' },
  auditItemState: ': item “{item}” — {state}',
  auditItemTagged: ' as “{item}”',
};

export const ELIGIBILITY_STRINGS = { ar, en };
