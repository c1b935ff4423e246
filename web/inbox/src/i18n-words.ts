// The inbox's texts for words to the file and words to the beneficiary, the notice preview, the assigned researcher,
// «حالاتي» and the live assignment alert (spread into i18n.ts).

const ar = {
  internalNote: 'ملاحظة داخلية — لا تُرسل',
  internalNoteHint: 'تُحفظ في سجل الطلب ويراها الموظفون فقط.',
  internalReasons: 'أسباب القرار — داخلية لا تُرسل',
  messageToBeneficiary: 'رسالة إلى المستفيد',
  messageHint: 'تُضاف إلى الإشعار المعتاد وتُرسل إلى المستفيد كما تكتبها.',
  previewTitle: 'هذا ما سيصل إلى المستفيد',
  previewVia: 'عبر {channel} · باللغة {language}',
  previewNoChannel: 'لا توجد قناة يمكن الوصول إلى المستفيد عبرها الآن.',
  languageName: { ar: 'العربية', en: 'الإنجليزية' } as Record<string, string>,
  assigneeLabel: 'الباحث المسؤول',
  assign: 'تعيين',
  assigned: 'عُيّن {name} باحثًا مسؤولًا.',
  myCases: 'حالاتي',
  myCasesEmpty: 'لا توجد حالات مسندة إليك حاليًا.',
  allApplications: 'كل الطلبات',
  assignmentAlert: 'أُسند إليك الطلب {reference}.',
  assignmentAlertConversation: 'أُحيلت إليك محادثة جديدة.',
  openMyCases: 'افتح حالاتي',
  openConversation: 'افتح المحادثة',

  askNameTitle: 'مرحبًا بك في تواصل',
  askNameIntro: 'ما الاسم الذي يظهر لزملائك وفي سجل الطلبات؟',
  yourName: 'اسمك',
  saveName: 'حفظ الاسم',
};

const en: typeof ar = {
  internalNote: 'Internal note — not sent',
  internalNoteHint: 'Kept in the application history; officers only.',
  internalReasons: 'Reasons for the decision — internal, not sent',
  messageToBeneficiary: 'Message to the beneficiary',
  messageHint: 'Added to the standard notice and sent to the beneficiary as you write it.',
  previewTitle: 'What the beneficiary will receive',
  previewVia: 'via {channel} · in {language}',
  previewNoChannel: 'The beneficiary cannot be reached on any channel right now.',
  languageName: { ar: 'Arabic', en: 'English' },
  assigneeLabel: 'Assigned researcher',
  assign: 'Assign',
  assigned: '{name} is now the assigned researcher.',
  myCases: 'My cases',
  myCasesEmpty: 'No cases are assigned to you right now.',
  allApplications: 'All applications',
  assignmentAlert: 'Application {reference} was assigned to you.',
  assignmentAlertConversation: 'A conversation was referred to you.',
  openMyCases: 'Open my cases',
  openConversation: 'Open the conversation',

  askNameTitle: 'Welcome to Tawasul',
  askNameIntro: 'What name should colleagues and the application records show?',
  yourName: 'Your name',
  saveName: 'Save name',
};

export const WORDS_STRINGS = { ar, en };
