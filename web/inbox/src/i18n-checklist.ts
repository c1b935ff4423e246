// The inbox's words for an application's eligibility checklist and the «ناقص» dialog (spread into i18n.ts).

const ar = {
  checklist: 'قائمة التحقق من الاستحقاق',
  checklistHint: 'لا يُحال الطلب إلى اللجنة حتى يُتحقق من كل بند مطلوب أو يُنجز أو يُعفى منه مع ذكر السبب.',
  checklistState: { pending: 'بانتظار', received: 'مستلم', verified: 'تم التحقق', done: 'منجز', waived: 'معفى' } as Record<string, string>,
  checklistOptional: 'غير مطلوب للإحالة',
  checklistReceive: 'استلام',
  checklistVerify: 'تحقق',
  checklistDone: 'تسجيل الإنجاز',
  checklistWaive: 'إعفاء…',
  checklistWaiveReason: 'سبب الإعفاء (مطلوب)',
  checklistWaiveConfirm: 'تأكيد الإعفاء',
  checklistMissing: 'بنود ناقصة تمنع الإحالة إلى اللجنة:',
  checklistBy: '{name} — {when}',
  missingTitle: 'المستندات الناقصة التي ستُطلب من المستفيد',
  missingNone: 'لا مستندات بانتظار الاستلام.',
};

const en: typeof ar = {
  checklist: 'Eligibility checklist',
  checklistHint: 'The application goes to the committee only when every required item is verified, done, or waived with a reason.',
  checklistState: { pending: 'Pending', received: 'Received', verified: 'Verified', done: 'Done', waived: 'Waived' },
  checklistOptional: 'Not required for the committee',
  checklistReceive: 'Received',
  checklistVerify: 'Verify',
  checklistDone: 'Mark done',
  checklistWaive: 'Waive…',
  checklistWaiveReason: 'Reason for waiving (required)',
  checklistWaiveConfirm: 'Confirm waiver',
  checklistMissing: 'Missing items that keep it from the committee:',
  checklistBy: '{name} — {when}',
  missingTitle: 'Missing documents to ask the beneficiary for',
  missingNone: 'No documents are waiting to be received.',
};

export const CHECKLIST_STRINGS = { ar, en };
