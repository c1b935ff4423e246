// The inbox's texts about understanding: the admins' misses page and the reports' recognition rate (spread into i18n.ts).

const ar = {
  missesTab: 'رسائل لم يفهمها البوت',
  missesIntro: 'ما كتبه المستفيدون ولم يتعرّف عليه البوت، مجمّعًا حسب النص. أضف الرسالة مثالًا على المقصود منها فيفهمها البوت من الرسالة التالية.',
  missText: 'الرسالة',
  missCount: 'المرات',
  missStep: 'أين كُتبت',
  missLast: 'آخر مرة',
  missIntent: 'المقصود',
  missAdd: 'أضف مثالًا',
  missAdded: 'أُضيفت «{text}» مثالًا على «{intent}»، وسيفهمها البوت من الآن.',
  missNone: 'لا توجد رسائل غير مفهومة حاليًا.',
  missPersonalTitle: 'في خطوات تجمع بيانات شخصية',
  missPersonalNote: 'لا نحفظ ما كُتب في هذه الخطوات (اسم، هوية، جوال…)؛ نعرض الخطوة وعدد المرات فقط.',
  missChooseIntent: 'اختر المقصود…',
  recognitionTitle: 'نسبة فهم البوت للرسائل المكتوبة',
  recognitionWeek: 'الأسبوع',
  recognitionMessages: 'رسائل مكتوبة',
  recognitionRecognised: 'فهمها البوت',
  recognitionRate: 'النسبة',
};

type NluStrings = typeof ar;

const en: NluStrings = {
  missesTab: 'Messages the bot missed',
  missesIntro: 'What beneficiaries typed that the bot did not recognise, grouped by text. Add one as an example of what it means and the bot understands it from the next message on.',
  missText: 'Message',
  missCount: 'Times',
  missStep: 'Where',
  missLast: 'Last seen',
  missIntent: 'Meaning',
  missAdd: 'Add as example',
  missAdded: '“{text}” was added as an example of “{intent}”; the bot understands it from now on.',
  missNone: 'No missed messages right now.',
  missPersonalTitle: 'At steps that collect personal data',
  missPersonalNote: 'What was typed at these steps (a name, an ID, a mobile…) is not kept; only the step and how often are shown.',
  missChooseIntent: 'Choose the meaning…',
  recognitionTitle: 'How many typed messages the bot understood',
  recognitionWeek: 'Week',
  recognitionMessages: 'Typed messages',
  recognitionRecognised: 'Understood',
  recognitionRate: 'Rate',
};

export const NLU_STRINGS = { ar, en };
