// Reports: the numbers, and inline-SVG bar charts (conversations per channel per day, satisfaction 1–5).
import { byDayAndChannel, layoutBars, type ChartLayout } from './chart.ts';
import type { Ctx, View } from './ctx.ts';
import { busy, field, h, section, svg } from './dom.ts';
import { formatDuration, formatNumber, riyadhDay, shortDay } from './format.ts';
import { fill, label } from './i18n.ts';
import type { Locale, Report } from './types.ts';

// The chosen range survives leaving the screen.
let range: { from: string; to: string } | undefined;

interface BarsSpec {
  title: string;
  groups: number[][];
  groupLabels: string[];
  seriesNames: string[];
  locale: Locale;
  rtl: boolean;
  valueLabels?: boolean;
}

/** Draws a `layoutBars` result; every bar has a <title> so the values are there for a screen reader too. */
export function barChart(spec: BarsSpec, width = 720, height = 240): SVGSVGElement {
  const L: ChartLayout = layoutBars(spec.groups, { width, height, rtl: spec.rtl, margin: { top: 16, bottom: 30, start: 40, end: 8 } });
  const n = (v: number) => formatNumber(v, spec.locale);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': spec.title, direction: 'ltr' });
  const axisX = spec.rtl ? L.plot.x + L.plot.width : L.plot.x;
  for (const t of L.ticks) {
    root.append(svg('line', { class: 'gr', x1: L.plot.x, x2: L.plot.x + L.plot.width, y1: t.y, y2: t.y }));
    const tick = svg('text', { x: spec.rtl ? axisX + 6 : axisX - 6, y: t.y + 4, 'text-anchor': spec.rtl ? 'start' : 'end' });
    tick.textContent = n(t.value);
    root.append(tick);
  }
  root.append(svg('line', { class: 'ax', x1: L.plot.x, x2: L.plot.x + L.plot.width, y1: L.plot.y + L.plot.height, y2: L.plot.y + L.plot.height }));
  for (const r of L.rects) {
    const rect = svg('rect', { class: `s${r.series % 6}`, x: r.x, y: r.y, width: Math.max(r.width, 1), height: r.height, 'data-value': r.value });
    const title = svg('title');
    title.textContent = `${spec.groupLabels[r.group] ?? ''}${spec.seriesNames.length > 1 ? ` — ${spec.seriesNames[r.series] ?? ''}` : ''}: ${n(r.value)}`;
    rect.append(title);
    root.append(rect);
    if (spec.valueLabels && r.value > 0) {
      const v = svg('text', { x: r.x + r.width / 2, y: r.y - 4, 'text-anchor': 'middle' });
      v.textContent = n(r.value);
      root.append(v);
    }
  }
  // Thin out the group labels so about ten fit.
  const every = Math.max(1, Math.ceil(L.groupCenters.length / 10));
  L.groupCenters.forEach((x, g) => {
    if (g % every) return;
    const t = svg('text', { x, y: height - 10, 'text-anchor': 'middle' });
    t.textContent = spec.groupLabels[g] ?? '';
    root.append(t);
  });
  return root;
}

function stat(title: string, value: string, testid?: string, raw?: number | null): HTMLElement {
  return h('div', { class: 'stat' }, h('span', { class: 'muted' }, title), h('b', { 'data-testid': testid, 'data-value': raw === undefined || raw === null ? undefined : String(raw) }, value));
}

export function renderReports(ctx: Ctx, root: HTMLElement): View {
  const { s, locale } = ctx;
  const rtl = s.dir === 'rtl';
  range ??= { from: riyadhDay(ctx.now(), -29), to: riyadhDay(ctx.now()) };
  const from = h('input', { type: 'date', value: range.from, dir: 'ltr', 'data-testid': 'report-from' });
  const to = h('input', { type: 'date', value: range.to, dir: 'ltr', 'data-testid': 'report-to' });
  const submit = h('button', { type: 'submit', class: 'btn pri', 'data-testid': 'report-submit' }, s.show);
  const form = h('form', { class: 'bar card' }, field(s.from, from), field(s.to, to), submit);
  const out = h('div', { 'aria-live': 'polite' });
  // Branch names for the per-branch table; ids are shown until they arrive.
  const branchNames = new Map<string, string>();
  void ctx.api.branches().then((list) => list.forEach((b) => branchNames.set(b.id, b.name[locale])), () => undefined);
  root.replaceChildren(h('h1', {}, s.reportsTitle), form, out);

  function draw(r: Report): void {
    const n = (v: number) => formatNumber(v, locale);
    const m = byDayAndChannel(r.conversations);
    const total = r.conversations.reduce((a, x) => a + x.count, 0);
    const sat = r.satisfaction;
    const channelNames = m.channels.map((c) => label(s.channel, c));
    const legend = h('div', { class: 'legend' }, ...m.channels.map((_, i) => h('span', {}, h('i', { class: `i${i % 6}` }), `${channelNames[i]}: ${n(m.values.reduce((a, row) => a + (row[i] ?? 0), 0))}`)));
    const scores = ['1', '2', '3', '4', '5'].map((x) => fill(s.score, { n: formatNumber(Number(x), locale) }));
    out.replaceChildren(
      h(
        'div',
        { class: 'stats' },
        stat(s.totalConversations, n(total), 'report-conversations-total', total),
        stat(`${s.waitTitle} — ${s.median}`, formatDuration(r.waiting.median, locale), 'report-wait-median', r.waiting.median),
        stat(`${s.waitTitle} — ${s.p90}`, formatDuration(r.waiting.p90, locale), 'report-wait-p90', r.waiting.p90),
        stat(`${s.waitTitle} — ${s.count}`, n(r.waiting.count), 'report-wait-count', r.waiting.count),
        stat(s.average, sat.average === null ? s.none : formatNumber(sat.average, locale, 1), 'report-satisfaction-average', sat.average),
        stat(s.ratings, n(sat.count), 'report-satisfaction-count', sat.count),
        stat(s.overdueCount, n(r.overdue), 'report-overdue', r.overdue),
      ),
      section(
        s.convPerDay,
        m.days.length
          ? h('div', { class: 'chart', 'data-testid': 'chart-conversations' }, barChart({ title: s.convPerDay, groups: m.values, groupLabels: m.days.map((d) => shortDay(d, locale)), seriesNames: channelNames, locale, rtl }), legend)
          : h('p', { class: 'muted' }, s.noData),
      ),
      section(
        s.distribution,
        h('div', { class: 'chart', 'data-testid': 'chart-satisfaction' }, barChart({ title: s.distribution, groups: sat.distribution.map((v) => [v]), groupLabels: scores, seriesNames: [s.ratings], locale, rtl, valueLabels: true }, 480, 200)),
      ),
      section(
        s.satByService,
        sat.byServiceType.length
          ? h(
              'table',
              { 'data-testid': 'report-satisfaction-by-service' },
              h('thead', {}, h('tr', {}, ...[s.satService, s.satResponses, s.satAverage].map((t) => h('th', { scope: 'col' }, t)))),
              h('tbody', {}, ...sat.byServiceType.map((x) => h('tr', { 'data-service': x.serviceType }, h('th', { scope: 'row' }, label(s.serviceType, x.serviceType)), h('td', {}, n(x.count)), h('td', {}, x.average === null ? s.none : formatNumber(x.average, locale, 1))))),
            )
          : h('p', { class: 'muted' }, s.noData),
      ),
      section(
        s.recognitionTitle,
        r.recognition.length
          ? h(
              'table',
              { 'data-testid': 'report-recognition' },
              h('thead', {}, h('tr', {}, ...[s.recognitionWeek, s.recognitionMessages, s.recognitionRecognised, s.recognitionRate].map((t) => h('th', { scope: 'col' }, t)))),
              h(
                'tbody',
                {},
                ...r.recognition.map((w) =>
                  h('tr', {}, h('th', { scope: 'row' }, shortDay(w.week, locale)), h('td', {}, n(w.messages)), h('td', {}, n(w.recognised)), h('td', { 'data-value': w.rate === null ? undefined : String(w.rate) }, w.rate === null ? s.none : `${formatNumber(w.rate * 100, locale)}${locale === 'ar' ? '٪' : '%'}`)),
                ),
              ),
            )
          : h('p', { class: 'muted' }, s.noData),
      ),
      section(
        s.appsByStatus,
        r.applications.length
          ? h('table', { 'data-testid': 'report-applications' }, h('tbody', {}, ...r.applications.map((a) => h('tr', {}, h('th', { scope: 'row' }, label(s.appStatus, a.status)), h('td', {}, n(a.count))))))
          : h('p', { class: 'muted' }, s.noData),
      ),
      section(
        s.bySource,
        h('table', { 'data-testid': 'report-by-source' }, h('tbody', {}, ...r.bySource.filter((x) => x.count > 0).map((x) => h('tr', {}, h('th', { scope: 'row' }, label(s.sources, x.source)), h('td', {}, n(x.count)))))),
      ),
      section(
        s.byBranch,
        h('table', { 'data-testid': 'report-by-branch' }, h('tbody', {}, ...r.byBranch.map((x) => h('tr', {}, h('th', { scope: 'row' }, x.branchId ? (branchNames.get(x.branchId) ?? x.branchId) : s.headOffice), h('td', {}, n(x.count)))))),
      ),
    );
  }

  async function load(): Promise<void> {
    range = { from: from.value, to: to.value };
    out.setAttribute('aria-busy', 'true');
    ctx.notice(null);
    try {
      draw(await busy(submit, () => ctx.api.report(from.value, to.value)));
    } catch (e) {
      ctx.fail(e);
    } finally {
      out.removeAttribute('aria-busy');
    }
  }
  form.onsubmit = (e) => {
    e.preventDefault();
    void load();
  };
  void load();
  return {};
}
