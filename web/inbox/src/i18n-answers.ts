// The names of an application's answers (the intake's fields) and the words for their values (spread into i18n.ts).

const ar = {
  answerField: {
    city: 'المدينة',
    family_size: 'عدد أفراد الأسرة',
    monthly_income: 'دخل الأسرة الشهري',
    housing_type: 'نوع السكن',
    need_type: 'نوع الاحتياج',
    channel: 'قناة التقديم',
    documents_later: 'المستندات',
    full_name: 'الاسم',
    national_id: 'رقم الهوية',
    mobile: 'الجوال',
  } as Record<string, string>,
  answerOther: 'معلومة أخرى',
  riyals: '{n} ريال',
  persons: '{n} أفراد',
  documentsLater: 'سيرسلها المستفيد لاحقًا',
  documentsNow: 'أُرسلت مع الطلب',
  yes: 'نعم',
  no: 'لا',
};

const en: typeof ar = {
  answerField: {
    city: 'City',
    family_size: 'Family size',
    monthly_income: 'Family monthly income',
    housing_type: 'Housing',
    need_type: 'Type of need',
    channel: 'Applied through',
    documents_later: 'Documents',
    full_name: 'Name',
    national_id: 'ID number',
    mobile: 'Mobile',
  },
  answerOther: 'Other information',
  riyals: 'SAR {n}',
  persons: '{n} people',
  documentsLater: 'The beneficiary will send them later',
  documentsNow: 'Sent with the application',
  yes: 'Yes',
  no: 'No',
};

export const ANSWER_STRINGS = { ar, en };
