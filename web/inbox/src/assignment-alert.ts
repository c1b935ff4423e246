// The live alert a researcher gets when a case or conversation is handed to them: a polite live region with a way
// straight to «حالاتي» (or the conversation), until dismissed.
import type { LiveEvent } from './events.ts';
import { bdi, button, h } from './dom.ts';
import type { Strings } from './i18n.ts';

type Assignment = Extract<LiveEvent, { type: 'assignment' }>;

export function createAssignmentAlert(s: Strings, open: (e: Assignment) => void): { el: HTMLElement; show(e: Assignment): void } {
  const text = h('span', { dir: 'auto' });
  const go = button(s.openMyCases, { class: 'btn pri', 'data-testid': 'assignment-open' });
  const el = h('div', { class: 'card assignment', role: 'status', 'aria-live': 'polite', 'data-testid': 'assignment-alert', hidden: '' }, text, ' ', go, button('×', { 'aria-label': s.dismiss }, () => (el.hidden = true)));
  let last: Assignment | undefined;
  go.onclick = () => {
    el.hidden = true;
    if (last) open(last);
  };
  return {
    el,
    show(e) {
      last = e;
      const [before = '', after = ''] = s.assignmentAlert.split('{reference}');
      if (e.application) text.replaceChildren(before, bdi(e.application.reference, { dir: 'ltr' }), after);
      else text.replaceChildren(s.assignmentAlertConversation);
      go.textContent = e.application ? s.openMyCases : s.openConversation;
      el.hidden = false;
    },
  };
}
