// The authenticator app walk-through after the password: the QR code and the key to type, a code to confirm, then the
// recovery codes to keep (shown once).
import { ApiError } from './api.ts';
import type { AuthCtx } from './auth.ts';
import { errorText } from './ctx.ts';
import { busy, button, field, h } from './dom.ts';

/** The key in groups of four, as authenticator apps show it; spaces are ignored when it is typed in. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

function recoveryStep(root: HTMLElement, c: AuthCtx, codes: string[], done: () => void): void {
  const { s } = c;
  const copy = button(s.totpRecoveryCopy, { class: 'btn sm', 'data-testid': 'totp-recovery-copy' });
  copy.onclick = async () => {
    await navigator.clipboard?.writeText(codes.join('\n')).catch(() => undefined);
    copy.textContent = s.copied;
  };
  const next = button(s.totpRecoveryDone, { class: 'btn pri', 'data-testid': 'totp-done' });
  next.onclick = () => done();
  const list = h('ol', { class: 'codes', dir: 'ltr', 'data-testid': 'totp-recovery-codes' }, ...codes.map((code) => h('li', {}, h('code', { class: 'otp' }, code))));
  root.replaceChildren(h('div', { class: 'card auth', role: 'status' }, h('h1', {}, s.totpRecoveryTitle), h('p', {}, s.totpRecoveryIntro), list, h('p', { class: 'bar' }, copy, next)));
  next.focus();
}

/** `signOut`: the officer without their phone at hand can leave and come back later. */
export function renderTotpSetup(root: HTMLElement, c: AuthCtx, done: () => void, signOut: () => void): void {
  const { s } = c;
  const qr = h('img', { class: 'qr', alt: s.totpQrAlt, width: '220', height: '220', 'data-testid': 'totp-qr' });
  const secret = h('code', { class: 'otp', dir: 'ltr', 'data-testid': 'totp-secret' });
  const code = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', dir: 'ltr', maxlength: '16', required: '', 'data-testid': 'totp-code' });
  const submit = h('button', { type: 'submit', class: 'btn pri', 'data-testid': 'totp-confirm' }, s.totpConfirm);
  const form = h(
    'form',
    { class: 'card auth', novalidate: '', 'data-testid': 'totp-setup' },
    h('h1', {}, s.totpTitle),
    h('p', {}, s.totpIntro),
    h('p', {}, s.totpStep1),
    h('p', { class: 'qr-box' }, qr),
    h('p', {}, s.totpManual, ' ', secret),
    field(s.totpStep2, code),
    h('p', { class: 'bar' }, submit, button(s.signOut, { class: 'btn sm', 'data-testid': 'totp-signout' }, () => signOut())),
  );
  submit.disabled = true;
  root.replaceChildren(form);

  void c.api.totpSetup().then(
    (enrolment) => {
      // An <img> of the server's SVG: shown as a picture, never parsed into the page.
      qr.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`;
      secret.textContent = grouped(enrolment.secret);
      submit.disabled = false;
      code.focus();
    },
    (err: unknown) => c.notice(errorText(err, s, c.locale)),
  );

  form.onsubmit = async (e) => {
    e.preventDefault();
    if (!code.value.trim()) {
      c.notice(s.required);
      code.focus();
      return;
    }
    c.notice(null);
    try {
      const codes = await busy(submit, () => c.api.totpConfirm(code.value));
      recoveryStep(root, c, codes, done);
    } catch (err) {
      c.notice(err instanceof ApiError && err.code === 'ERR_TOTP_INVALID' ? s.errTotp : errorText(err, s, c.locale));
      code.value = '';
      code.focus();
    }
  };
}
