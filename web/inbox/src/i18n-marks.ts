// The inbox's marks on what a beneficiary sent: a sender the mail server did not vouch for, a shortened text, a mail
// too large to download (spread into i18n.ts).

const ar = {
  unverifiedSender: 'لم يتحقق المرسل',
  unverifiedHint: 'لم يُثبت خادم البريد أن هذه الرسالة من صاحب العنوان، فقد تكون منتحلة. حُفظت في محادثة مستقلة لا تُربط بملف أي مستفيد؛ لا تشارك بيانات أحد بناءً عليها.',
  truncated: 'اختُصرت: الرسالة أطول مما يُعرض هنا',
  tooLarge: 'وصلت رسالة بريد حجمها {size}، أكبر من الحد المسموح ({max})، فلم تُنزَّل. أُبلغ المرسل بذلك.',
};

const en: typeof ar = {
  unverifiedSender: 'Sender not verified',
  unverifiedHint: 'The mail server did not prove this message comes from the owner of the address, so it may be forged. It is kept in a conversation of its own, linked to no beneficiary; do not share anyone’s details because of it.',
  truncated: 'Shortened: the message is longer than what is shown',
  tooLarge: 'An email of {size} arrived, larger than allowed ({max}), so it was not downloaded. The sender was told.',
};

export const MARK_STRINGS = { ar, en };
