// Sign-in (with the throttle's Retry-After shown as a countdown, and the authenticator code when the server asks for
// it) and the required password change.
import { ApiError, type Api } from './api.ts';
import { errorText } from './ctx.ts';
import { busy, field, h } from './dom.ts';
import { countSeconds } from './format.ts';
import { fill, type Strings } from './i18n.ts';
import type { Locale, Session } from './types.ts';

export interface AuthCtx {
  api: Api;
  s: Strings;
  locale: Locale;
  notice(text: string | null): void;
}

export function renderSignIn(root: HTMLElement, c: AuthCtx, done: (s: Session) => void): void {
  const { s } = c;
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', dir: 'ltr', required: '', 'data-testid': 'signin-email' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', dir: 'ltr', required: '', 'data-testid': 'signin-password' });
  // Arabic-Indic digits are fine: the server reads them as the code.
  const totp = h('input', { type: 'text', name: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code', dir: 'ltr', maxlength: '32', 'data-testid': 'signin-totp' });
  const totpField = field(s.totpCode, totp, s.totpCodeHint);
  totpField.hidden = true;
  const submit = h('button', { type: 'submit', class: 'btn pri', 'data-testid': 'signin-submit' }, s.signIn);
  const form = h('form', { class: 'card auth', novalidate: '' }, h('h1', {}, s.signInTitle), field(s.email, email), field(s.password, password), totpField, submit);
  const askCode = (text: string) => {
    totpField.hidden = false;
    totp.value = '';
    c.notice(text);
    totp.focus();
  };
  let countdown: ReturnType<typeof setInterval> | undefined;

  function throttled(seconds: number): void {
    clearInterval(countdown);
    let left = Math.max(1, seconds);
    const paint = () => c.notice(fill(s.errThrottled, { s: countSeconds(left, c.locale) }));
    submit.disabled = true;
    paint();
    countdown = setInterval(() => {
      left -= 1;
      if (left > 0) return paint();
      clearInterval(countdown);
      submit.disabled = false;
      c.notice(null);
    }, 1000);
  }

  form.onsubmit = async (e) => {
    e.preventDefault();
    if (!email.value.trim() || !password.value) {
      c.notice(s.errSignIn);
      (email.value.trim() ? password : email).focus();
      return;
    }
    if (!totpField.hidden && !totp.value.trim()) return askCode(s.totpNeeded);
    c.notice(null);
    try {
      const session = await busy(submit, () => c.api.signIn(email.value.trim(), password.value, totpField.hidden ? undefined : totp.value));
      done(session);
    } catch (err) {
      // The password was right: only the code is missing or wrong.
      if (err instanceof ApiError && err.code === 'ERR_TOTP_REQUIRED') return askCode(s.totpNeeded);
      if (err instanceof ApiError && err.code === 'ERR_TOTP_INVALID') return askCode(s.errTotp);
      password.value = '';
      if (err instanceof ApiError && err.status === 429) throttled(err.retryAfter ?? 60);
      else c.notice(err instanceof ApiError && (err.status === 401 || err.status === 400) ? s.errSignIn : errorText(err, s, c.locale));
      password.focus();
    }
  };
  root.replaceChildren(form);
  email.focus();
}

export function renderChangePassword(root: HTMLElement, c: AuthCtx, done: () => void): void {
  const { s } = c;
  const pw = (testid: string, auto: string) => h('input', { type: 'password', autocomplete: auto, dir: 'ltr', required: '', 'data-testid': testid });
  const current = pw('password-current', 'current-password');
  const next = pw('password-next', 'new-password');
  const confirm = pw('password-confirm', 'new-password');
  const submit = h('button', { type: 'submit', class: 'btn pri', 'data-testid': 'password-submit' }, s.pwSave);
  const form = h('form', { class: 'card auth', novalidate: '' }, h('h1', {}, s.pwTitle), h('p', {}, s.pwIntro), field(s.pwCurrent, current), field(s.pwNext, next, s.pwHint), field(s.pwConfirm, confirm), submit);
  form.onsubmit = async (e) => {
    e.preventDefault();
    if (!current.value || !next.value) {
      c.notice(s.required);
      (current.value ? next : current).focus();
      return;
    }
    if (next.value !== confirm.value) {
      c.notice(s.pwMismatch);
      confirm.focus();
      return;
    }
    c.notice(null);
    try {
      await busy(submit, () => c.api.changePassword(current.value, next.value));
      done();
    } catch (err) {
      c.notice(errorText(err, s, c.locale));
    }
  };
  root.replaceChildren(form);
  current.focus();
}
