// First sign-in of an admin created without ADMIN_NAME: ask the name colleagues and the records will show.
import type { AuthCtx } from './auth.ts';
import { errorText } from './ctx.ts';
import { busy, field, h } from './dom.ts';

export function renderAskName(root: HTMLElement, c: AuthCtx, done: () => void): void {
  const { s } = c;
  const name = h('input', { type: 'text', autocomplete: 'name', dir: 'auto', required: '', minlength: '2', maxlength: '100', 'data-testid': 'ask-name' });
  const submit = h('button', { type: 'submit', class: 'btn pri', 'data-testid': 'ask-name-submit' }, s.saveName);
  const form = h('form', { class: 'card auth', novalidate: '' }, h('h1', {}, s.askNameTitle), h('p', {}, s.askNameIntro), field(s.yourName, name), submit);
  form.onsubmit = async (e) => {
    e.preventDefault();
    if (name.value.trim().length < 2) {
      c.notice(s.required);
      return name.focus();
    }
    c.notice(null);
    try {
      await busy(submit, () => c.api.setMyName(name.value.trim()));
      done();
    } catch (err) {
      c.notice(errorText(err, s, c.locale));
    }
  };
  root.replaceChildren(form);
  name.focus();
}
