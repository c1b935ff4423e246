// Bar chart geometry as data (no DOM): groups of bars → rectangles, ticks and label positions for inline SVG.

export interface BarRect {
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
  group: number;
  series: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  /** The plotting area inside the margins. */
  plot: { x: number; y: number; width: number; height: number };
  max: number;
  ticks: { value: number; y: number }[];
  rects: BarRect[];
  /** Horizontal centre of each group, for its label under the axis. */
  groupCenters: number[];
}

export interface ChartOptions {
  width: number;
  height: number;
  /** Space for tick labels on the start side, and for group labels below. */
  margin?: { top: number; bottom: number; start: number; end: number };
  /** Fraction of each group's slot left empty between groups (0–0.9). */
  gap?: number;
  /** Right-to-left: the first group on the right, tick labels on the right. */
  rtl?: boolean;
}

/** The smallest 1, 2 or 5 × 10^k that is ≥ `v`, at least 1: counts are whole, and an empty chart still has an axis. */
export function niceMax(v: number): number {
  if (!(v > 1)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** `groups[g][s]` is the value of series `s` in group `g` (one series = plain bars). */
export function layoutBars(groups: number[][], o: ChartOptions): ChartLayout {
  const m = o.margin ?? { top: 12, bottom: 28, start: 36, end: 8 };
  const plot = { x: o.rtl ? m.end : m.start, y: m.top, width: Math.max(0, o.width - m.start - m.end), height: Math.max(0, o.height - m.top - m.bottom) };
  const values = groups.flat().map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const max = niceMax(Math.max(0, ...values));
  const slot = groups.length ? plot.width / groups.length : 0;
  const gap = Math.min(Math.max(o.gap ?? 0.3, 0), 0.9);
  const rects: BarRect[] = [];
  const groupCenters: number[] = [];
  groups.forEach((series, g) => {
    // Slots run from the start side: left in LTR, right in RTL.
    const slotStart = o.rtl ? plot.x + plot.width - (g + 1) * slot : plot.x + g * slot;
    groupCenters.push(round(slotStart + slot / 2));
    const inner = slot * (1 - gap);
    const barW = series.length ? inner / series.length : 0;
    series.forEach((raw, s) => {
      const value = Number.isFinite(raw) && raw > 0 ? raw : 0;
      const h = (value / max) * plot.height;
      const offset = o.rtl ? inner - (s + 1) * barW : s * barW;
      rects.push({ x: round(slotStart + (slot - inner) / 2 + offset), y: round(plot.y + plot.height - h), width: round(barW), height: round(h), value, group: g, series: s });
    });
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ value: round(max * f), y: round(plot.y + plot.height - f * plot.height) })).filter((t) => Number.isInteger(t.value));
  return { width: o.width, height: o.height, plot, max, ticks, rects, groupCenters };
}

/** `[{day, channel, count}]` → sorted days × channels matrix for `layoutBars`. */
export function byDayAndChannel(rows: { day: string; channel: string; count: number }[]): { days: string[]; channels: string[]; values: number[][] } {
  const days = [...new Set(rows.map((r) => r.day))].sort();
  const channels = [...new Set(rows.map((r) => r.channel))].sort();
  const values = days.map(() => channels.map(() => 0));
  for (const r of rows) {
    const row = values[days.indexOf(r.day)];
    const c = channels.indexOf(r.channel);
    if (row && c >= 0) row[c] = (row[c] ?? 0) + r.count;
  }
  return { days, channels, values };
}
