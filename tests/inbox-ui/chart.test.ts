// Bar chart geometry for the reports' inline SVG: values → rectangles, nice axis maximum, RTL mirroring.
import { describe, expect, it } from 'vitest';
import { byDayAndChannel, layoutBars, niceMax } from '../../web/inbox/src/chart.ts';

const margin = { top: 0, bottom: 0, start: 0, end: 0 };

describe('bar chart layout', () => {
  it('rounds the axis up to 1, 2 or 5 × 10^n', () => {
    expect([0, 0.3, 1, 3, 7, 10, 11, 26, 180, 501].map(niceMax)).toEqual([1, 1, 1, 5, 10, 10, 20, 50, 200, 1000]);
  });

  it('turns single values into bars scaled to the axis maximum, bottoms on the baseline', () => {
    const L = layoutBars([[2], [5], [0], [10]], { width: 400, height: 100, margin, gap: 0.5 });
    expect(L.max).toBe(10);
    expect(L.rects).toEqual([
      { x: 25, y: 80, width: 50, height: 20, value: 2, group: 0, series: 0 },
      { x: 125, y: 50, width: 50, height: 50, value: 5, group: 1, series: 0 },
      { x: 225, y: 100, width: 50, height: 0, value: 0, group: 2, series: 0 },
      { x: 325, y: 0, width: 50, height: 100, value: 10, group: 3, series: 0 },
    ]);
    expect(L.groupCenters).toEqual([50, 150, 250, 350]);
    for (const r of L.rects) expect(r.y + r.height).toBe(100);
    expect(L.ticks.map((t) => t.value)).toEqual([0, 5, 10]);
    expect(L.ticks[0]).toEqual({ value: 0, y: 100 });
  });

  it('puts the series of a group side by side', () => {
    const L = layoutBars([[1, 3], [5, 0]], { width: 200, height: 40, margin, gap: 0 });
    expect(L.rects.map((r) => [r.x, r.width, r.height])).toEqual([
      [0, 50, 8],
      [50, 50, 24],
      [100, 50, 40],
      [150, 50, 0],
    ]);
  });

  it('mirrors in RTL: the first group and first series on the right', () => {
    const ltr = layoutBars([[1, 2], [3, 4]], { width: 200, height: 40, margin, gap: 0 });
    const rtl = layoutBars([[1, 2], [3, 4]], { width: 200, height: 40, margin, gap: 0, rtl: true });
    rtl.rects.forEach((r, i) => {
      const l = ltr.rects[i];
      expect(l).toBeDefined();
      if (l) expect(r.x).toBe(200 - l.x - l.width);
    });
    expect(rtl.groupCenters).toEqual([150, 50]);
  });

  it('keeps margins out of the plot and ignores bad values', () => {
    const L = layoutBars([[Number.NaN], [-4], [3]], { width: 140, height: 60, margin: { top: 10, bottom: 20, start: 30, end: 10 }, gap: 0 });
    expect(L.plot).toEqual({ x: 30, y: 10, width: 100, height: 30 });
    expect(L.rects.map((r) => r.value)).toEqual([0, 0, 3]);
    // Axis max 5 over a 30-px plot: 3 → 18 px, standing on the baseline at y = 40.
    expect(L.rects[2]).toMatchObject({ x: 96.67, y: 22, height: 18 });
    expect(layoutBars([], { width: 100, height: 50 }).rects).toEqual([]);
  });

  it('groups report rows into days × channels', () => {
    const m = byDayAndChannel([
      { day: '2024-09-15', channel: 'webchat', count: 2 },
      { day: '2024-09-14', channel: 'telegram', count: 5 },
      { day: '2024-09-14', channel: 'webchat', count: 1 },
      { day: '2024-09-14', channel: 'webchat', count: 1 },
    ]);
    expect(m).toEqual({ days: ['2024-09-14', '2024-09-15'], channels: ['telegram', 'webchat'], values: [[5, 2], [0, 2]] });
  });
});
