// The inbox's texts about channels: the admins' Channels page (link states, the WhatsApp Web QR) and a
// beneficiary's preferred channel for notifications (spread into i18n.ts).

const ar = {
  navChannels: 'القنوات',
  channelsTitle: 'القنوات',
  channelsIntro: 'القنوات المفعّلة في هذه البوابة وحالة كل منها. تتحدّث الصفحة تلقائيًا كل بضع ثوانٍ.',
  channelName: {
    webchat: 'محادثة الموقع',
    whatsapp: 'واتساب (الواجهة الرسمية)',
    'whatsapp-web': 'واتساب ويب (جوال الجمعية)',
    telegram: 'تيليجرام',
    sms: 'الرسائل النصية',
    email: 'البريد الإلكتروني',
  } as Record<string, string>,
  linkState: {
    on: 'مفعّلة',
    starting: 'جارٍ التشغيل…',
    qr: 'بانتظار مسح الرمز',
    ready: 'متصل',
    disconnected: 'غير متصل، جارٍ إعادة الاتصال…',
  } as Record<string, string>,
  linkOnNote: 'لا تحتاج إلى ربط: تصلها الرسائل مباشرة.',
  readySince: 'متصل منذ {when}',
  downSince: 'انقطع الاتصال {when}، وستُعاد المحاولة تلقائيًا.',
  startingNote: 'يُفتح واتساب ويب على الخادم؛ يظهر الرمز هنا بعد لحظات.',
  qrHelp: 'افتح واتساب في جوال الجمعية ← الأجهزة المرتبطة ← ربط جهاز، ثم امسح الرمز',
  qrAlt: 'رمز QR لربط جوال الجمعية بواتساب ويب',
  qrRenews: 'يتجدّد الرمز تلقائيًا كل نحو ٢٠ ثانية، وتعرض هذه الصفحة أحدثه.',
  noChannels: 'لا توجد قنوات مفعّلة.',
  // A beneficiary's preferred channel (the conversation's contact panel)
  prefChannel: 'قناة الإشعارات المفضلة',
  prefAuto: 'تلقائي (آخر قناة استخدمها)',
  prefHint: 'تصل إشعارات الطلبات والمواعيد إلى هذه القناة أولًا.',
  prefGone: '{name} (غير متاحة الآن)',
  prefSaved: 'تم حفظ قناة الإشعارات المفضلة.',
  prefCleared: 'ستصل الإشعارات إلى آخر قناة استخدمها المستفيد.',
  prefFailed: 'تعذّر حفظ قناة الإشعارات: {reason}',
};

export type ChannelStrings = typeof ar;

const en: ChannelStrings = {
  navChannels: 'Channels',
  channelsTitle: 'Channels',
  channelsIntro: 'The channels this gateway runs and how each is doing. This page refreshes itself every few seconds.',
  channelName: {
    webchat: 'Website chat',
    whatsapp: 'WhatsApp (official API)',
    'whatsapp-web': "WhatsApp Web (the charity's phone)",
    telegram: 'Telegram',
    sms: 'SMS',
    email: 'Email',
  },
  linkState: {
    on: 'On',
    starting: 'Starting…',
    qr: 'Waiting for the scan',
    ready: 'Connected',
    disconnected: 'Disconnected, reconnecting…',
  },
  linkOnNote: 'Nothing to link: messages reach it directly.',
  readySince: 'Connected since {when}',
  downSince: 'Disconnected {when}; it will reconnect by itself.',
  startingNote: 'WhatsApp Web is opening on the server; the code appears here in a moment.',
  qrHelp: "Open WhatsApp on the charity's phone → Linked devices → Link a device, then scan the code",
  qrAlt: "QR code to link the charity's phone to WhatsApp Web",
  qrRenews: 'The code renews itself about every 20 seconds; this page shows the latest.',
  noChannels: 'No channels are enabled.',
  prefChannel: 'Preferred channel for notifications',
  prefAuto: 'Automatic (the channel they used last)',
  prefHint: 'Application and appointment notices go to this channel first.',
  prefGone: '{name} (not available now)',
  prefSaved: 'Preferred channel saved.',
  prefCleared: 'Notifications will go to the channel the beneficiary used last.',
  prefFailed: 'Could not save the preferred channel: {reason}',
};

export const CHANNEL_STRINGS = { ar, en };
