// «طلب جديد»: an officer (or a branch representative) registers a caller, a walk-in or a letter. Each field is checked
// by the server as it is typed (the bot intake's own validators), then a summary and the declaration before saving.
// Plain form controls in DOM order, so Tab, typing and Enter are all it takes.
import { ApiError, type FieldCheck, type IntakeInfo, type Registered } from './api.ts';
import type { Ctx, View } from './ctx.ts';
import { bdi, busy, button, facts, field, h, section, select } from './dom.ts';
import { dualDate } from './format.ts';
import { fill, label } from './i18n.ts';

const FIELDS = ['fullName', 'nationalId', 'mobile', 'city', 'familySize', 'monthlyIncome', 'housingType', 'needType'] as const;
type FieldName = (typeof FIELDS)[number];
const CHECK_DELAY_MS = 300;

export function renderIntake(ctx: Ctx, root: HTMLElement): View {
  const { s, locale } = ctx;
  let info: IntakeInfo | undefined;
  let timers: ReturnType<typeof setTimeout>[] = [];
  const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite', 'data-testid': 'intake-status' });
  root.replaceChildren(h('h1', { tabindex: '-1' }, s.intakeTitle), h('p', { class: 'muted' }, s.intakeIntro), status);

  const controls = {} as Record<FieldName, HTMLInputElement | HTMLSelectElement>;
  const errors = {} as Record<FieldName, HTMLElement>;
  let values: Record<string, unknown> = {};

  function input(name: FieldName, attrs: Record<string, string> = {}): HTMLInputElement {
    return h('input', { type: 'text', name, required: '', autocomplete: 'off', 'data-testid': `intake-${name}`, ...attrs });
  }

  function wire(name: FieldName, text: string, control: HTMLInputElement | HTMLSelectElement): HTMLElement {
    controls[name] = control;
    const wrap = field(text, control);
    const err = h('small', { id: `${control.id}-err`, class: 'hint fe', 'data-testid': `intake-error-${name}` });
    err.style.color = '#8a1c12';
    control.setAttribute('aria-describedby', err.id);
    errors[name] = err;
    wrap.append(err);
    const later = () => {
      clearTimeout(timers[FIELDS.indexOf(name)]);
      timers[FIELDS.indexOf(name)] = setTimeout(() => void check([name]), CHECK_DELAY_MS);
    };
    control.addEventListener('input', later);
    control.addEventListener('change', () => void check([name]));
    control.addEventListener('blur', () => {
      if (control.value !== '') void check([name]);
    });
    return wrap;
  }

  function show(result: FieldCheck, names: readonly FieldName[]): FieldName[] {
    const bad: FieldName[] = [];
    for (const name of names) {
      const problem = result.problems[name];
      const control = controls[name];
      errors[name].textContent = problem ? problem.message[locale] : '';
      if (problem) {
        control.setAttribute('aria-invalid', 'true');
        bad.push(name);
      } else {
        control.removeAttribute('aria-invalid');
        if (name in result.values) values[name] = result.values[name];
      }
    }
    return bad;
  }

  /** Asks the server about these fields; returns the ones it refused. */
  async function check(names: readonly FieldName[]): Promise<FieldName[]> {
    const body: Record<string, string> = {};
    for (const name of names) body[name] = controls[name].value;
    try {
      return show(await ctx.api.checkFields(body), names);
    } catch (e) {
      ctx.fail(e);
      return [...names];
    }
  }

  function formView(): void {
    if (!info) return;
    const source = select(
      (ctx.me.role === 'representative' ? ['representative'] : ['phone', 'walk_in', 'letter', 'representative']).map((v) => ({ value: v, label: label(s.sources, v) })),
      { 'data-testid': 'intake-source' },
    );
    const applicantLocale = select(['ar', 'en'].map((v) => ({ value: v, label: label(s.localeNames, v) })), { 'data-testid': 'intake-locale' }, locale);
    const choice = (list: IntakeInfo['housingTypes']) => [{ value: '', label: s.choose }, ...list.map((c) => ({ value: c.id, label: c.label[locale] }))];
    const branch = select([...(info.ownBranch ? [] : [{ value: '', label: s.headOffice }]), ...info.branches.map((b) => ({ value: b.id, label: `${b.name[locale]} — ${b.city[locale]}` }))], { 'data-testid': 'intake-branch' }, info.ownBranch ?? '');
    branch.disabled = info.ownBranch !== null;
    const notes = h('textarea', { rows: '2', dir: 'auto', 'data-testid': 'intake-notes' });
    const next = h('button', { type: 'submit', class: 'btn pri', 'data-testid': 'intake-continue' }, s.intakeContinue);
    const form = h(
      'form',
      { novalidate: '', 'data-testid': 'intake-form', 'aria-label': s.intakeTitle },
      h('div', { class: 'bar' }, field(s.intakeSource, source), field(s.intakeLocale, applicantLocale), info.branches.length ? field(s.branch, branch) : null),
      wire('fullName', s.fullName, input('fullName', { dir: 'auto' })),
      wire('nationalId', s.nationalId, input('nationalId', { dir: 'ltr', inputmode: 'numeric' })),
      wire('mobile', s.mobile, input('mobile', { dir: 'ltr', inputmode: 'tel' })),
      wire('city', s.city, input('city', { dir: 'auto' })),
      h(
        'div',
        { class: 'bar' },
        wire('familySize', s.familySize, input('familySize', { dir: 'ltr', inputmode: 'numeric' })),
        wire('monthlyIncome', s.monthlyIncome, input('monthlyIncome', { dir: 'ltr', inputmode: 'decimal' })),
      ),
      h(
        'div',
        { class: 'bar' },
        wire('housingType', s.housingType, select(choice(info.housingTypes), { required: '', 'data-testid': 'intake-housingType' })),
        wire('needType', s.needType, select(choice(info.needTypes), { required: '', 'data-testid': 'intake-needType' })),
      ),
      field(s.intakeNotes, notes),
      next,
    );
    form.onsubmit = async (e) => {
      e.preventDefault();
      ctx.notice(null);
      status.textContent = s.checking;
      const bad = await busy(next, () => check(FIELDS));
      status.textContent = '';
      if (bad.length > 0) {
        ctx.notice(s.intakeFix);
        controls[bad[0] ?? 'fullName'].focus();
        return;
      }
      summaryView(form, {
        source: source.value,
        locale: applicantLocale.value,
        ...(branch.value && !branch.disabled ? { branchId: branch.value } : {}),
        ...(notes.value.trim() ? { notes: notes.value.trim() } : {}),
      });
    };
    root.append(form);
    controls.fullName.focus();
  }

  function summaryView(form: HTMLFormElement, extra: Record<string, string>): void {
    if (!info) return;
    form.hidden = true;
    const chosen = (list: IntakeInfo['housingTypes'], id: unknown) => list.find((c) => c.id === id)?.label[locale] ?? String(id);
    const applicantLocale = extra.locale === 'en' ? 'en' : 'ar';
    const method = select(['signed_form', 'verbal_recorded', 'in_person'].map((v) => ({ value: v, label: label(s.methods, v) })), { 'data-testid': 'intake-method' }, extra.source === 'phone' ? 'verbal_recorded' : 'signed_form');
    const agreed = h('input', { type: 'checkbox', id: 'intake-agreed', required: '', 'data-testid': 'intake-agreed' });
    const back = button(s.intakeBack, { class: 'btn', 'data-testid': 'intake-back' });
    const save = h('button', { type: 'submit', class: 'btn pri', 'data-testid': 'intake-save' }, s.intakeSave);
    const heading = h('h2', { tabindex: '-1', 'data-testid': 'intake-summary-title' }, s.intakeSummary);
    const summary = h(
      'form',
      { novalidate: '', 'data-testid': 'intake-summary', 'aria-labelledby': 'intake-sum-h' },
      heading,
      facts([
        [s.intakeSource, label(s.sources, extra.source ?? '')],
        [s.intakeLocale, label(s.localeNames, applicantLocale)],
        [s.fullName, bdi(String(values.fullName ?? ''))],
        [s.nationalId, bdi(String(values.nationalId ?? ''), { dir: 'ltr' })],
        [s.mobile, bdi(String(values.mobile ?? ''), { dir: 'ltr', 'data-testid': 'intake-summary-mobile' })],
        [s.city, bdi(String(values.city ?? ''))],
        [s.familySize, String(values.familySize ?? '')],
        [s.monthlyIncome, String(values.monthlyIncome ?? '')],
        [s.housingType, chosen(info.housingTypes, values.housingType)],
        [s.needType, chosen(info.needTypes, values.needType)],
        [s.branch, extra.branchId ? (info.branches.find((b) => b.id === extra.branchId)?.name[locale] ?? extra.branchId) : info.ownBranch ? (info.branches[0]?.name[locale] ?? '') : s.headOffice],
      ]),
      h('h3', {}, s.declarationTitle),
      h('p', { class: 'hint' }, s.declarationHint),
      h('blockquote', { class: 'note', dir: applicantLocale === 'ar' ? 'rtl' : 'ltr', lang: applicantLocale, 'data-testid': 'intake-declaration' }, info.declaration.text[applicantLocale]),
      field(s.declarationMethod, method),
      h('div', { class: 'fld' }, h('label', { for: 'intake-agreed' }, agreed, ' ', s.declarationConfirm)),
      h('div', { class: 'bar' }, save, back),
    );
    heading.id = 'intake-sum-h';
    back.onclick = () => {
      summary.remove();
      form.hidden = false;
      controls.fullName.focus();
    };
    summary.onsubmit = async (e) => {
      e.preventDefault();
      if (!agreed.checked) {
        ctx.notice(s.required);
        return agreed.focus();
      }
      ctx.notice(null);
      const body: Record<string, unknown> = { ...extra, declaration: { method: method.value } };
      for (const name of FIELDS) body[name] = controls[name].value;
      try {
        const done = await busy(save, () => ctx.api.registerApplication(body));
        summary.remove();
        form.remove();
        doneView(done, method.value);
      } catch (err) {
        ctx.fail(err);
        // The server names the fields it refused: back to the form with them marked.
        if (err instanceof ApiError && err.code === 'ERR_VALIDATION') back.click();
      }
    };
    root.append(summary);
    heading.focus();
  }

  /** The scan of the signed paper form, attached after saving (PDF or a picture). */
  function scanControl(done: Registered): HTMLElement {
    const file = h('input', { type: 'file', accept: 'application/pdf,image/*', 'data-testid': 'intake-scan' });
    const sent = h('p', { class: 'hint', role: 'status', 'data-testid': 'intake-scan-status' });
    file.onchange = async () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      ctx.notice(null);
      try {
        await ctx.api.attachDeclarationScan(done.id, chosen);
        sent.textContent = s.intakeScanSaved;
      } catch (e) {
        ctx.fail(e);
      }
    };
    return h('div', {}, field(s.intakeScan, file), sent);
  }

  function doneView(done: Registered, method: string): void {
    const channels = done.reachableChannels.map((c) => label(s.channel, c)).join('، ');
    const open = h('a', { href: `#/applications/${encodeURIComponent(done.id)}`, class: 'btn pri', 'data-testid': 'intake-open' }, s.intakeOpen);
    const again = button(s.intakeAnother, { class: 'btn', 'data-testid': 'intake-another' }, () => {
      box.remove();
      values = {};
      timers = [];
      formView();
    });
    const box = section(
      s.intakeTitle,
      h('p', { role: 'status', 'data-testid': 'intake-done' }, `${s.intakeSaved} `, bdi(done.reference, { dir: 'ltr', 'data-testid': 'intake-reference' })),
      h('p', { 'data-testid': 'intake-notice' }, done.notified && channels ? fill(s.intakeSms, { channels }) : s.intakeNoSms),
      h('p', { class: 'muted' }, dualDate(new Date(), locale)),
      method === 'signed_form' ? scanControl(done) : null,
      h('div', { class: 'bar' }, open, again),
    );
    root.append(box);
    open.focus();
  }

  void ctx.api.intake().then(
    (i) => {
      info = i;
      formView();
    },
    (e: unknown) => ctx.fail(e),
  );
  return {
    destroy() {
      for (const t of timers) clearTimeout(t);
    },
  };
}
