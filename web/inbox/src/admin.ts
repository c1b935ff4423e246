// Admin (role admin only): officers — create (one-time password shown once), role, disable/enable, reset password,
// reset the second factor (a lost phone).
import { cannedSection, knowledgeSection } from './admin-content.ts';
import { auditSection } from './audit.ts';
import { missesSection } from './misses.ts';
import type { Ctx, View } from './ctx.ts';
import { bdi, busy, button, confirmInline, field, h, section, select } from './dom.ts';
import { fill, label } from './i18n.ts';
import { ADMIN_SECTIONS, toHash, type AdminSection } from './router.ts';
import { GENDERS, ROLES, type AdminOfficer, type Gender, type Role } from './types.ts';
import { roleLabel } from './audit.ts';
import type { Branch } from './api.ts';

function otpBox(ctx: Ctx, name: string, password: string): HTMLElement {
  const { s } = ctx;
  const copy = button(s.copy, { class: 'btn sm' });
  copy.onclick = async () => {
    await navigator.clipboard?.writeText(password).catch(() => undefined);
    copy.textContent = s.copied;
  };
  return h(
    'div',
    { class: 'card', role: 'status', 'data-testid': 'one-time-password-box' },
    h('h2', {}, fill(s.otpTitle, { name })),
    h('p', {}, h('code', { class: 'otp', dir: 'ltr', 'data-testid': 'one-time-password' }, password), ' ', copy),
    h('p', { class: 'hint' }, s.otpNote),
  );
}

function officersSection(ctx: Ctx, root: HTMLElement): void {
  const { s } = ctx;
  const roleOptions = (g: Gender) => ROLES.map((r) => ({ value: r, label: roleLabel(s, r, g) }));
  const genderOptions = GENDERS.map((g) => ({ value: g, label: label(s.genders, g) }));
  const otp = h('div');
  const body = h('tbody');
  const email = h('input', { type: 'email', required: '', dir: 'ltr', autocomplete: 'off', 'data-testid': 'officer-email' });
  const name = h('input', { type: 'text', required: '', dir: 'auto', autocomplete: 'off', 'data-testid': 'officer-name' });
  const role = select(roleOptions('m'), { 'data-testid': 'officer-role-new' }, 'officer');
  const gender = select(genderOptions, { 'data-testid': 'officer-gender-new' }, 'm');
  // A representative works for one branch: chosen here, changed in their row.
  let branches: Branch[] = [];
  const branchOptions = () => branches.map((b) => ({ value: b.id, label: b.name[ctx.locale] }));
  const branch = select([], { 'data-testid': 'officer-branch-new' });
  const branchField = field(s.branch, branch);
  const showBranch = () => {
    branchField.hidden = role.value !== 'representative';
  };
  role.onchange = showBranch;
  showBranch();
  gender.onchange = () => {
    const keep = role.value;
    role.replaceChildren(...roleOptions(gender.value as Gender).map((o) => h('option', { value: o.value }, o.label)));
    role.value = keep;
  };
  const create = h('button', { type: 'submit', class: 'btn pri', 'data-testid': 'officer-create' }, s.add);
  const form = h('form', { novalidate: '' }, h('div', { class: 'bar' }, field(s.email, email), field(s.displayName, name), field(s.genderLabel, gender), field(s.role, role), branchField, create));

  const setOtp = (who: string, pw: string) => {
    otp.replaceChildren(pw ? otpBox(ctx, who, pw) : '');
    otp.querySelector('code')?.scrollIntoView({ block: 'nearest' });
  };

  function row(o: AdminOfficer): HTMLElement {
    const roleSel = select(roleOptions(o.gender), { 'aria-label': `${s.role} — ${o.displayName}`, 'data-testid': 'officer-role' }, o.role);
    const genderSel = select(genderOptions, { 'aria-label': `${s.genderLabel} — ${o.displayName}`, 'data-testid': 'officer-gender' }, o.gender);
    genderSel.onchange = () => void act(() => ctx.api.admin.updateOfficer(o.id, { grammaticalGender: genderSel.value as Gender }));
    roleSel.disabled = o.id === ctx.me.id;
    const branchSel = select(branchOptions(), { 'aria-label': `${s.branch} — ${o.displayName}`, 'data-testid': 'officer-branch' }, o.branchId ?? '');
    branchSel.hidden = o.role !== 'representative';
    branchSel.onchange = () => void act(() => ctx.api.admin.updateOfficer(o.id, { branchId: branchSel.value }));
    // Becoming a representative needs a branch in the same change; leaving the role drops it.
    roleSel.onchange = () =>
      void act(() => ctx.api.admin.updateOfficer(o.id, roleSel.value === 'representative' ? { role: 'representative', branchId: branchSel.value || branches[0]?.id || '' } : { role: roleSel.value as Role, branchId: null }));
    const toggle = button(o.active ? s.disable : s.enable, { class: 'btn sm', 'data-testid': 'officer-toggle' });
    toggle.onclick = () => void busy(toggle, () => act(() => ctx.api.admin.updateOfficer(o.id, { active: !o.active })));
    const reset = button(s.resetPassword, { class: 'btn sm', 'data-testid': 'officer-reset' });
    reset.onclick = () =>
      confirmInline(reset, fill(s.confirmReset, { name: o.displayName }), s.resetPassword, async () => {
        ctx.notice(null);
        try {
          setOtp(o.displayName, await ctx.api.admin.resetPassword(o.id));
        } catch (e) {
          ctx.fail(e);
        }
        await load();
      }, s.cancel);
    const resetTotp = button(s.totpReset, { class: 'btn sm', 'data-testid': 'officer-totp-reset' });
    resetTotp.onclick = () =>
      confirmInline(resetTotp, fill(s.confirmTotpReset, { name: o.displayName }), s.totpReset, async () => {
        ctx.notice(null);
        try {
          await ctx.api.admin.resetTotp(o.id);
          otp.replaceChildren(h('p', { class: 'card', role: 'status', 'data-testid': 'totp-reset-done' }, fill(s.totpResetDone, { name: o.displayName })));
        } catch (e) {
          ctx.fail(e);
        }
        await load();
      }, s.cancel);
    const mine = o.id === ctx.me.id;
    return h(
      'tr',
      { 'data-testid': 'officer-row', 'data-id': o.id },
      h('td', {}, bdi(o.displayName)),
      h('td', {}, bdi(o.email, { dir: 'ltr' })),
      h('td', {}, roleSel, ' ', branchSel),
      h('td', {}, genderSel),
      h('td', {}, o.active ? s.active : s.disabled),
      h('td', { 'data-testid': 'officer-totp' }, o.totpEnabled ? s.totpOn : s.totpOff),
      h('td', {}, h('div', { class: 'bar' }, mine ? null : toggle, reset, o.totpEnabled ? resetTotp : null)),
    );
  }

  async function load(): Promise<void> {
    try {
      if (branches.length === 0) {
        branches = await ctx.api.branches();
        branch.replaceChildren(...branchOptions().map((b) => h('option', { value: b.value }, b.label)));
      }
      body.replaceChildren(...(await ctx.api.admin.officers()).map(row));
    } catch (e) {
      ctx.fail(e);
    }
  }
  async function act(work: () => Promise<unknown>): Promise<void> {
    ctx.notice(null);
    try {
      await work();
    } catch (e) {
      ctx.fail(e);
    }
    await load();
  }

  form.onsubmit = async (e) => {
    e.preventDefault();
    if (!email.value.trim() || !name.value.trim()) {
      ctx.notice(s.required);
      return (email.value.trim() ? name : email).focus();
    }
    ctx.notice(null);
    try {
      const who = name.value.trim();
      const pw = await busy(create, () => ctx.api.admin.createOfficer({ email: email.value.trim(), displayName: who, role: role.value as Role, grammaticalGender: gender.value as Gender, ...(role.value === 'representative' ? { branchId: branch.value } : {}) }));
      form.reset();
      showBranch();
      setOtp(who, pw);
      await load();
    } catch (err) {
      ctx.fail(err);
    }
  };
  const head = h('thead', {}, h('tr', {}, ...[s.displayName, s.email, s.role, s.genderLabel, s.state, s.totpState, ''].map((t) => h('th', { scope: 'col' }, t))));
  root.append(section(s.newOfficer, form), otp, section(s.officersTab, h('div', { class: 'tw' }, h('table', { 'data-testid': 'officer-list' }, head, body))));
  void load();
}

export function renderAdmin(ctx: Ctx, root: HTMLElement, current: AdminSection): View {
  const { s } = ctx;
  const names: Record<AdminSection, string> = { officers: s.officersTab, canned: s.cannedTab, knowledge: s.knowledgeTab, misses: s.missesTab, audit: s.auditTab };
  const nav = h(
    'nav',
    { class: 'subnav', 'aria-label': s.adminTabs },
    ...ADMIN_SECTIONS.map((sec) => h('a', { class: 'btn sm', href: toHash({ name: 'admin', section: sec }), 'aria-current': sec === current ? 'page' : undefined, 'data-testid': `admin-${sec}` }, names[sec])),
  );
  const body = h('div');
  root.replaceChildren(h('h1', {}, `${s.navAdmin} — ${names[current]}`), nav, body);
  if (current === 'officers') officersSection(ctx, body);
  else if (current === 'canned') cannedSection(ctx, body);
  else if (current === 'knowledge') knowledgeSection(ctx, body);
  else if (current === 'misses') missesSection(ctx, body);
  else auditSection(ctx, body);
  return {};
}
