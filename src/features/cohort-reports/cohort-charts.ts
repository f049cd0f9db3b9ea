/*
 * Geometry for the server-drawn SVG charts: the views only place what is computed here. No script
 * and no inline style (the CSP forbids both); every chart also has its numbers in a table.
 */

export type FunnelBar = { label: string; value: number; percent: number; labelY: number; barY: number; barWidth: number; valueX: number };
export type FunnelChart = { width: number; height: number; barHeight: number; bars: FunnelBar[] };

const FUNNEL_WIDTH = 640;
const FUNNEL_ROW = 46;
const FUNNEL_BAR = 20;
/** room on the right of the longest bar for its value */
const VALUE_ROOM = 90;

/** One bar per stage, as long as its share of the first stage (everyone enrolled). */
export function funnelChart(stages: { label: string; value: number }[]): FunnelChart {
  const base = Math.max(1, stages[0]?.value ?? 0);
  const span = FUNNEL_WIDTH - VALUE_ROOM;
  const bars = stages.map((s, i) => {
    const barWidth = Math.round((s.value / base) * span);
    return {
      label: s.label,
      value: s.value,
      percent: Math.round((s.value / base) * 100),
      labelY: i * FUNNEL_ROW + 14,
      barY: i * FUNNEL_ROW + 20,
      barWidth: Math.max(barWidth, s.value > 0 ? 2 : 0),
      valueX: Math.max(barWidth, 2) + 6,
    };
  });
  return { width: FUNNEL_WIDTH, height: stages.length * FUNNEL_ROW, barHeight: FUNNEL_BAR, bars };
}

export type HistogramBar = { from: number; to: number; count: number; x: number; y: number; width: number; height: number };
export type Histogram = {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  max: number;
  bars: HistogramBar[];
  /** x of the pass mark, drawn as a line */
  passX: number;
  ticks: { x: number; label: string }[];
};

const H_WIDTH = 320;
const H_HEIGHT = 170;
// room on the right for the "100 %" tick, centred under the plot's end
const PLOT = { left: 34, right: 296, top: 12, bottom: 138 };

/** Learners' best scores in bins of ten points, with the pass mark. */
export function histogram(bins: readonly number[], passPercent: number): Histogram {
  const max = Math.max(1, ...bins);
  const slot = (PLOT.right - PLOT.left) / bins.length;
  const x = (score: number) => PLOT.left + (score / 100) * (PLOT.right - PLOT.left);
  return {
    width: H_WIDTH,
    height: H_HEIGHT,
    plot: PLOT,
    max,
    bars: bins.map((count, i) => {
      const height = Math.round((count / max) * (PLOT.bottom - PLOT.top));
      return {
        from: i * 10,
        to: i === bins.length - 1 ? 100 : i * 10 + 9,
        count,
        x: Math.round(PLOT.left + i * slot + 2),
        y: PLOT.bottom - height,
        width: Math.round(slot - 4),
        height,
      };
    }),
    passX: Math.round(x(passPercent)),
    ticks: [0, 50, 100].map((s) => ({ x: Math.round(x(s)), label: String(s) })),
  };
}
