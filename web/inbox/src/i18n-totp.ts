// The inbox's texts for the second factor: the code at sign-in, the authenticator app walk-through, the recovery
// codes, and the admin's reset (spread into i18n.ts).

const ar = {
  totpCode: 'رمز التحقق',
  totpCodeHint: 'الرمز المكوّن من ٦ أرقام في تطبيق المصادقة، أو أحد رموز الاسترداد.',
  totpNeeded: 'أدخل رمز التحقق من تطبيق المصادقة لإكمال الدخول.',
  errTotp: 'رمز التحقق غير صحيح أو انتهت صلاحيته أو استُخدم من قبل. أدخل الرمز الظاهر الآن في التطبيق.',
  totpTitle: 'تفعيل التحقق بخطوتين',
  totpIntro: 'لحماية بيانات المستفيدين يلزم كل موظف تطبيقُ مصادقة على جواله، مثل Google Authenticator أو Microsoft Authenticator. يطلب الدخول بعد اليوم كلمة المرور ورمزًا من التطبيق.',
  totpStep1: '١. افتح التطبيق واختر إضافة حساب، ثم امسح هذا الرمز:',
  totpQrAlt: 'رمز QR لإضافة حساب تواصل إلى تطبيق المصادقة',
  totpManual: 'أو أدخل هذا المفتاح يدويًا في التطبيق:',
  totpStep2: '٢. اكتب الرمز المكوّن من ٦ أرقام الذي يظهر في التطبيق:',
  totpConfirm: 'تأكيد',
  totpRecoveryTitle: 'رموز الاسترداد',
  totpRecoveryIntro: 'احفظ هذه الرموز في مكان آمن خارج جوالك (ورقة في درج مقفل مثلًا). إن فقدت جوالك أدخل أحدها بدل رمز التطبيق. كل رمز يُستخدم مرة واحدة، ولن تظهر مرة أخرى.',
  totpRecoveryCopy: 'نسخ الرموز',
  totpRecoveryDone: 'حفظتُ الرموز، تابِع',
  totpState: 'التحقق بخطوتين',
  totpOn: 'مفعّل',
  totpOff: 'غير مفعّل',
  totpReset: 'إعادة تعيين التحقق بخطوتين',
  confirmTotpReset: 'إعادة تعيين التحقق بخطوتين لـ{name}؟ يُسجَّل خروجه من كل الأجهزة ويضبط تطبيق المصادقة من جديد عند دخوله التالي.',
  totpResetDone: 'أُعيد تعيين التحقق بخطوتين لـ{name}، وسُجِّل خروجه من كل الأجهزة.',
};

const en: typeof ar = {
  totpCode: 'Verification code',
  totpCodeHint: 'The 6-digit code in your authenticator app, or one of your recovery codes.',
  totpNeeded: 'Enter the code from your authenticator app to finish signing in.',
  errTotp: 'The code is not correct, has expired or was already used. Enter the code the app shows now.',
  totpTitle: 'Turn on two-step verification',
  totpIntro: 'To protect beneficiaries’ data, every officer needs an authenticator app on their phone, such as Google Authenticator or Microsoft Authenticator. From now on, signing in takes your password and a code from the app.',
  totpStep1: '1. Open the app, choose to add an account, and scan this code:',
  totpQrAlt: 'QR code that adds your Tawasul account to the authenticator app',
  totpManual: 'Or type this key into the app:',
  totpStep2: '2. Type the 6-digit code the app shows:',
  totpConfirm: 'Confirm',
  totpRecoveryTitle: 'Recovery codes',
  totpRecoveryIntro: 'Keep these codes somewhere safe away from your phone (on paper in a locked drawer, say). If you lose your phone, enter one instead of the app’s code. Each works once, and they will not be shown again.',
  totpRecoveryCopy: 'Copy the codes',
  totpRecoveryDone: 'I have saved them, continue',
  totpState: 'Two-step verification',
  totpOn: 'On',
  totpOff: 'Off',
  totpReset: 'Reset two-step verification',
  confirmTotpReset: 'Reset two-step verification for {name}? They are signed out everywhere and set up the authenticator app again at their next sign-in.',
  totpResetDone: 'Two-step verification was reset for {name}, and they were signed out everywhere.',
};

export const TOTP_STRINGS = { ar, en };
