/*
 * Inline SVG charts for the HTML report, as pure string builders. Coordinates are rounded to
 * 0.1 px and printed with String(), labels with formatNumber(), so the same input always gives the
 * same bytes; every text is escaped. Layout is computed here (no script, no external font or
 * style), so a chart renders the same offline, in a browser or in a screenshot.
 */

import { escapeXml, formatNumber } from "./format.js";

/** Ten distinguishable colours (the d3 "category10" set); series take them in order. */
export const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/** A pixel coordinate, rounded to 0.1 px: finer than any screen, and short. */
function px(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
}

// Text widths are estimated (no fonts are measured), generously, for the 12 px sans-serif labels.
const CHAR_WIDTH = 6.8;
const WIDTH = 960;
const PLOT_HEIGHT = 240;
const MARGIN = { left: 76, right: 28, bottom: 50 };
const NOTE_LINE = 15;
const LEGEND_ROW = 18;

interface Tick {
  value: number;
  label: string;
}

interface Scale {
  /** Data value to pixel. */
  at(value: number): number;
  ticks: Tick[];
}

function niceStep(span: number, target: number): number {
  const raw = span / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / magnitude;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
}

/**
 * Linear scale with ticks at whole steps of 1, 2 or 5 × 10^k. A value axis is widened to whole
 * steps; a time axis (`exact`) spans exactly [min, max], so the data reaches both ends.
 */
function linearScale(min: number, max: number, from: number, to: number, target = 5, exact = false, integer = false): Scale {
  if (!(max > min)) max = min + (min === 0 ? 1 : Math.abs(min));
  const step = integer ? Math.max(1, niceStep(max - min, target)) : niceStep(max - min, target);
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const lo = exact ? min : Math.floor(min / step + 1e-9) * step;
  const hi = exact ? max : Math.ceil(max / step - 1e-9) * step;
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const ticks: Tick[] = [];
  for (let i = exact ? first : Math.round(lo / step); i <= (exact ? last : Math.round(hi / step)); i++) {
    ticks.push({ value: i * step, label: formatNumber(i * step, digits) });
  }
  return { at: (value) => from + ((value - lo) / (hi - lo)) * (to - from), ticks };
}

/** Log scale over whole decades; 2× and 5× ticks too when it spans three decades or fewer. */
function logScale(min: number, max: number, from: number, to: number): Scale {
  const lo = Math.floor(Math.log10(min) + 1e-9);
  let hi = Math.ceil(Math.log10(max) - 1e-9);
  if (hi <= lo) hi = lo + 1;
  const ticks: Tick[] = [];
  const multiples = hi - lo <= 3 ? [1, 2, 5] : [1];
  for (let e = lo; e <= hi; e++) {
    for (const m of multiples) {
      if (e === hi && m > 1) break;
      const value = m * 10 ** e;
      ticks.push({ value, label: formatNumber(value, Math.max(0, -e)) });
    }
  }
  const lowest = 10 ** lo;
  return {
    at: (value) => from + ((Math.log10(Math.max(value, lowest)) - lo) / (hi - lo)) * (to - from),
    ticks,
  };
}

/**
 * Cumulative shares on a "nines" scale, -log10(1 - p): 0 %, 90 %, 99 %, 99.9 % … equally spaced, so
 * the tail (where cold starts and retries live) is as readable as the median. p = 1 has no
 * position on it, so the top edge stands for the maximum: one decade above the highest share
 * below 1 that is drawn, capped at 99.9999 %.
 */
function ninesScale(shares: number[], from: number, to: number): Scale {
  const below = shares.filter((p) => p < 1);
  const deepest = below.length === 0 ? 0 : Math.max(...below.map((p) => -Math.log10(1 - p)));
  const top = Math.min(6, Math.floor(deepest + 1e-9) + 1);
  const position = (p: number) => (p >= 1 ? top : Math.min(top, -Math.log10(1 - p)));
  const ticks: Tick[] = [
    { value: 0, label: "0 %" },
    { value: 0.5, label: "50 %" },
  ];
  for (let k = 1; k < top; k++) ticks.push({ value: 1 - 10 ** -k, label: `${formatNumber(100 - 100 * 10 ** -k, Math.max(0, k - 2))} %` });
  ticks.push({ value: 1, label: "max" });
  return { at: (p) => from + (position(p) / top) * (to - from), ticks };
}

export type AxisScale = "linear" | "log" | "nines";

export interface Axis {
  /** With its unit, e.g. "time (min)". */
  label: string;
  scale?: AxisScale;
  /** Counts: ticks at whole numbers only. */
  integer?: boolean;
  /** Linear axes start at this value (default 0 for y, the data's minimum for x). */
  min?: number;
  /** A linear y axis ends at this value (default: the data's maximum and 5 % headroom): 1 for a share. */
  max?: number;
}

export interface Series {
  label: string;
  color: string;
  /**
   * "step": y[i] holds over [x[i], x[i+1]), so x has one more entry than y (per-minute series);
   * "line": the points (x[i], y[i]) joined by straight segments.
   */
  shape: "step" | "line";
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dashed?: boolean;
  /** A thinner, paler line, for a secondary series such as a mean drawn under its peak. */
  faint?: boolean;
  /** An interval around the line (over replications), shaded in its colour; shaped like y. */
  band?: Band;
  /** Intervals of x at given heights (a percentile's over replications), drawn as horizontal error bars. */
  whiskers?: { y: number; low: number; high: number }[];
  /** Intervals of y at given x (a mean's over replications), drawn as vertical error bars. */
  errorBars?: { x: number; low: number; high: number }[];
}

/** Lower and upper edges of an interval, one pair per value of a series. */
export interface Band {
  low: ArrayLike<number>;
  high: ArrayLike<number>;
}

export interface LimitLine {
  label: string;
  value: number;
  color: string;
}

export interface LineChartSpec {
  /** Unique within the page: prefixes the ids the accessible title and description use. */
  id: string;
  title: string;
  /** Lines under the title: what the data is, how it was sampled or reduced. */
  notes?: string[];
  x: Axis;
  y: Axis;
  series: Series[];
  /** Horizontal lines (limits). One far above the data is listed in the legend but not drawn. */
  limits?: LimitLine[];
}

/** A limit higher than this many times the data's peak would flatten the data: it is not drawn. */
const LIMIT_ZOOM = 3;

interface LegendItem {
  label: string;
  color: string;
  kind: StrokeKind | "box" | "dot" | "ring";
}

type StrokeKind = "line" | "dashed" | "dotted" | "faint";

interface Plot {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The plot's box, below the title and its notes. */
function plotArea(notes: string[] = [], left = MARGIN.left): Plot {
  const top = 38 + notes.length * NOTE_LINE;
  return { left, right: WIDTH - MARGIN.right, top, bottom: top + PLOT_HEIGHT };
}

/**
 * The plot's left edge for a y axis with these ticks: each label ends 8 px left of the axis and
 * must start clear of the rotated axis title (x 7 to 21 px). Digits and signs count a full
 * character, the narrow separators half.
 */
function yAxisLeft(ticks: readonly Tick[]): number {
  const width = (label: string) => [...label].reduce((sum, c) => sum + (c === "," || c === "." || c === " " ? 0.5 : 1), 0) * CHAR_WIDTH;
  return Math.max(MARGIN.left, Math.ceil(28 + Math.max(0, ...ticks.map((t) => width(t.label)))));
}

/** Legend entries flowed into rows under the x axis label; returns the markup and its height. */
function legend(items: LegendItem[], top: number): { svg: string; height: number } {
  const parts: string[] = [];
  let x = MARGIN.left;
  let row = 0;
  for (const item of items) {
    const width = 28 + item.label.length * CHAR_WIDTH + 18;
    if (x + width > WIDTH - MARGIN.right && x > MARGIN.left) {
      row++;
      x = MARGIN.left;
    }
    const y = top + row * LEGEND_ROW;
    parts.push(legendSwatch(item, x, y), `<text x="${px(x + 28)}" y="${px(y + 4)}">${escapeXml(item.label)}</text>`);
    x += width;
  }
  return { svg: `<g class="legend">${parts.join("")}</g>`, height: items.length === 0 ? 0 : (row + 1) * LEGEND_ROW };
}

function legendSwatch(item: LegendItem, x: number, y: number): string {
  switch (item.kind) {
    case "box":
      return `<rect x="${px(x)}" y="${px(y - 5)}" width="22" height="10" fill="${item.color}"/>`;
    case "dot":
      return `<circle cx="${px(x + 11)}" cy="${px(y)}" r="4" fill="${item.color}"/>`;
    case "ring":
      return `<circle cx="${px(x + 11)}" cy="${px(y)}" r="4" fill="none" stroke="${item.color}" stroke-width="1.5"/>`;
    default:
      return `<line x1="${px(x)}" y1="${px(y)}" x2="${px(x + 22)}" y2="${px(y)}" ${strokeStyle(item.color, item.kind)}/>`;
  }
}

function strokeStyle(color: string, kind: StrokeKind): string {
  if (kind === "dashed") return `stroke="${color}" stroke-width="2" stroke-dasharray="6 4" fill="none"`;
  if (kind === "dotted") return `stroke="${color}" stroke-width="1.5" stroke-dasharray="2 3" fill="none"`;
  if (kind === "faint") return `stroke="${color}" stroke-width="1" stroke-opacity="0.55" fill="none"`;
  return `stroke="${color}" stroke-width="1.8" fill="none"`;
}

/** The frame every chart shares: accessible title, visible title and notes, body, legend. */
function chartFrame(
  spec: { id: string; title: string; notes?: string[] },
  body: string,
  items: LegendItem[],
  bodyBottom: number,
  xLabel: string,
): string {
  const labelY = bodyBottom + 40;
  const key = legend(items, labelY + 22);
  const height = Math.ceil(labelY + 22 + key.height + 6);
  const notes = spec.notes ?? [];
  const describedBy = notes.length === 0 ? "" : ` ${spec.id}-desc`;
  return [
    `<svg viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${spec.id}-title${describedBy}">`,
    `<title id="${spec.id}-title">${escapeXml(spec.title)}</title>`,
    notes.length === 0 ? "" : `<desc id="${spec.id}-desc">${escapeXml(notes.join(" "))}</desc>`,
    `<text class="chart-title" x="${MARGIN.left}" y="20">${escapeXml(spec.title)}</text>`,
    ...notes.map((line, i) => `<text class="chart-note" x="${MARGIN.left}" y="${38 + i * NOTE_LINE}">${escapeXml(line)}</text>`),
    body,
    `<text class="axis-label" x="${px((MARGIN.left + WIDTH - MARGIN.right) / 2)}" y="${px(labelY)}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    key.svg,
    `</svg>`,
  ].join("");
}

function xAxis(scale: Scale, plot: Plot): string {
  const parts = scale.ticks.map((t) => {
    const x = px(scale.at(t.value));
    return `<line x1="${x}" y1="${px(plot.bottom)}" x2="${x}" y2="${px(plot.bottom + 5)}"/><text x="${x}" y="${px(plot.bottom + 19)}" text-anchor="middle">${escapeXml(t.label)}</text>`;
  });
  return `<g class="axis x">${parts.join("")}<line x1="${px(plot.left)}" y1="${px(plot.bottom)}" x2="${px(plot.right)}" y2="${px(plot.bottom)}"/></g>`;
}

function yAxis(scale: Scale, plot: Plot, label: string): string {
  const parts = scale.ticks.map((t) => {
    const y = px(scale.at(t.value));
    return `<line class="grid" x1="${px(plot.left)}" y1="${y}" x2="${px(plot.right)}" y2="${y}"/><text x="${px(plot.left - 8)}" y="${px(scale.at(t.value) + 4)}" text-anchor="end">${escapeXml(t.label)}</text>`;
  });
  const middle = (plot.top + plot.bottom) / 2;
  return (
    `<g class="axis y">${parts.join("")}<line x1="${px(plot.left)}" y1="${px(plot.top)}" x2="${px(plot.left)}" y2="${px(plot.bottom)}"/></g>` +
    `<text class="axis-label" transform="translate(16 ${px(middle)}) rotate(-90)" text-anchor="middle">${escapeXml(label)}</text>`
  );
}

function seriesPath(s: Series, xs: Scale, ys: Scale): string {
  const n = s.y.length;
  if (n === 0) return "";
  let d = "";
  if (s.shape === "step") {
    let lastY = px(ys.at(s.y[0]));
    d = `M${px(xs.at(s.x[0]))},${lastY}`;
    for (let i = 1; i < n; i++) {
      const y = px(ys.at(s.y[i]));
      // A run of equal values is one horizontal segment: long idle stretches cost nothing.
      if (y !== lastY) {
        d += `H${px(xs.at(s.x[i]))}V${y}`;
        lastY = y;
      }
    }
    d += `H${px(xs.at(s.x[n]))}`;
  } else {
    let last = "";
    for (let i = 0; i < n; i++) {
      const point = `${px(xs.at(s.x[i]))},${px(ys.at(s.y[i]))}`;
      if (point === last) continue;
      d += (d === "" ? "M" : "L") + point;
      last = point;
    }
  }
  const kind = s.dashed ? "dashed" : s.faint ? "faint" : "line";
  return `<path d="${d}" ${strokeStyle(s.color, kind)}><title>${escapeXml(s.label)}</title></path>`;
}

/** The band of a series as a closed shape: along the upper edge, back along the lower. */
function bandPath(s: Series, band: Band, xs: Scale, ys: Scale): string {
  const n = s.y.length;
  if (n === 0) return "";
  const upper: string[] = [];
  const lower: string[] = [];
  for (let i = 0; i < n; i++) {
    if (s.shape === "step") {
      const from = px(xs.at(s.x[i]));
      const to = px(xs.at(s.x[i + 1]));
      upper.push(`${from},${px(ys.at(band.high[i]))}`, `${to},${px(ys.at(band.high[i]))}`);
      lower.push(`${from},${px(ys.at(band.low[i]))}`, `${to},${px(ys.at(band.low[i]))}`);
    } else {
      upper.push(`${px(xs.at(s.x[i]))},${px(ys.at(band.high[i]))}`);
      lower.push(`${px(xs.at(s.x[i]))},${px(ys.at(band.low[i]))}`);
    }
  }
  const points = [...upper, ...lower.reverse()];
  return `<path class="band" d="M${points.join("L")}Z" fill="${s.color}" fill-opacity="0.2" stroke="none"/>`;
}

function errorBarPath(s: Series, xs: Scale, ys: Scale): string {
  return (s.errorBars ?? [])
    .map((e) => {
      const x = xs.at(e.x);
      const [a, b] = [px(ys.at(e.low)), px(ys.at(e.high))];
      return (
        `<path class="whisker" d="M${px(x)},${a}V${b}M${px(x - 5)},${a}H${px(x + 5)}M${px(x - 5)},${b}H${px(x + 5)}" ${strokeStyle(s.color, "line")}>` +
        `<title>${escapeXml(`${s.label}: ${formatNumber(e.low, 2)} – ${formatNumber(e.high, 2)}`)}</title></path>`
      );
    })
    .join("");
}

function whiskerPath(s: Series, xs: Scale, ys: Scale): string {
  return (s.whiskers ?? [])
    .map((w) => {
      const y = ys.at(w.y);
      const [a, b] = [px(xs.at(w.low)), px(xs.at(w.high))];
      return (
        `<path class="whisker" d="M${a},${px(y)}H${b}M${a},${px(y - 5)}V${px(y + 5)}M${b},${px(y - 5)}V${px(y + 5)}" ${strokeStyle(s.color, "line")}>` +
        `<title>${escapeXml(`${s.label}: ${formatNumber(w.low, 1)} – ${formatNumber(w.high, 1)}`)}</title></path>`
      );
    })
    .join("");
}

function extent(values: ArrayLike<number>[], positiveOnly: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const array of values) {
    for (let i = 0; i < array.length; i++) {
      const v = array[i];
      if (!Number.isFinite(v) || (positiveOnly && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo > hi ? [positiveOnly ? 1 : 0, positiveOnly ? 10 : 1] : [lo, hi];
}

/**
 * A line chart of several series against a linear or log x axis and a linear (from 0) or nines y
 * axis, with optional horizontal limit lines.
 */
export function lineChart(spec: LineChartSpec): string {
  const area = plotArea(spec.notes);
  const xScaleKind = spec.x.scale ?? "linear";
  const yScaleKind = spec.y.scale ?? "linear";
  const dataMax = extent(
    spec.series.flatMap((s) => [s.y, ...(s.band ? [s.band.high] : []), ...(s.errorBars ? [s.errorBars.map((e) => e.high)] : [])]),
    false,
  )[1];
  const limits = (spec.limits ?? []).filter((l) => Number.isFinite(l.value));
  const shown = limits.filter((l) => dataMax > 0 && l.value <= LIMIT_ZOOM * dataMax);
  let ys: Scale;
  if (yScaleKind === "nines") {
    ys = ninesScale(
      spec.series.flatMap((s) => Array.from(s.y)),
      area.bottom,
      area.top,
    );
  } else {
    // Headroom, so a line at the top of the range (a function held at its limit) stays visible.
    ys = linearScale(
      spec.y.min ?? 0,
      spec.y.max ?? 1.05 * Math.max(dataMax, ...shown.map((l) => l.value)),
      area.bottom,
      area.top,
      5,
      false,
      spec.y.integer,
    );
  }
  const plot = { ...area, left: yAxisLeft(ys.ticks) };
  const [xMin, xMax] = extent(
    spec.series.flatMap((s) => [s.x, ...(s.whiskers ? [s.whiskers.map((w) => w.low), s.whiskers.map((w) => w.high)] : [])]),
    xScaleKind === "log",
  );
  const xs =
    xScaleKind === "log"
      ? logScale(xMin, xMax, plot.left, plot.right)
      : linearScale(spec.x.min ?? xMin, xMax, plot.left, plot.right, 8, true);
  const limitLines = shown.map((l) => {
    const y = px(ys.at(l.value));
    return `<line class="limit" x1="${px(plot.left)}" y1="${y}" x2="${px(plot.right)}" y2="${y}" ${strokeStyle(l.color, "dotted")}><title>${escapeXml(`${l.label}: ${formatNumber(l.value)}`)}</title></line>`;
  });
  const items: LegendItem[] = [
    ...spec.series.map((s): LegendItem => ({ label: s.label, color: s.color, kind: s.dashed ? "dashed" : s.faint ? "faint" : "line" })),
    ...limits.map(
      (l): LegendItem => ({
        label: `${l.label}: ${formatNumber(l.value)}${shown.includes(l) ? "" : " (above the plotted range)"}`,
        color: l.color,
        kind: "dotted",
      }),
    ),
  ];
  const body =
    yAxis(ys, plot, spec.y.label) +
    xAxis(xs, plot) +
    // Limits over the data: a series running along its limit must not hide it.
    // Bands under every line, so that no band hides another series' line.
    `<g class="data">${spec.series.map((s) => (s.band ? bandPath(s, s.band, xs, ys) : "")).join("")}` +
    `${spec.series.map((s) => seriesPath(s, xs, ys) + whiskerPath(s, xs, ys) + errorBarPath(s, xs, ys)).join("")}${limitLines.join("")}</g>`;
  return chartFrame(spec, body, items, plot.bottom, spec.x.label);
}

export interface StackedBarSpec {
  id: string;
  title: string;
  notes?: string[];
  /** One horizontal bar per category, top to bottom. */
  categories: string[];
  /** The stacked parts, left to right; values[i] belongs to categories[i]. */
  parts: { label: string; color: string; values: number[] }[];
  /** The value axis, with its unit. */
  axisLabel: string;
  /** Formats a bar's total, printed at its end. */
  format: (value: number) => string;
  /** Per category, an interval of the total (over replications), drawn as an error bar. */
  intervals?: [number, number][];
}

const BAR_ROW = 26;
const LONGEST_CATEGORY = 34;

/** Horizontal stacked bars (e.g. each function's cost by component), the total printed at the end. */
export function stackedBarChart(spec: StackedBarSpec): string {
  const names = spec.categories.map((c) => (c.length > LONGEST_CATEGORY ? `${c.slice(0, LONGEST_CATEGORY - 1)}…` : c));
  const left = Math.max(MARGIN.left, 16 + Math.max(0, ...names.map((n) => n.length)) * CHAR_WIDTH);
  const totals = spec.categories.map((_, i) => spec.parts.reduce((sum, part) => sum + part.values[i], 0));
  // Room at the right for the printed totals.
  const area = plotArea(spec.notes, left);
  const plot = { ...area, right: WIDTH - MARGIN.right - 96, bottom: area.top + Math.max(1, spec.categories.length) * BAR_ROW };
  const xs = linearScale(0, Math.max(0, ...totals, ...(spec.intervals ?? []).map((i) => i[1])), plot.left, plot.right, 6);
  const rows = spec.categories.map((category, i) => {
    const y = plot.top + i * BAR_ROW + 4;
    let x = 0;
    const rects = spec.parts.map((part) => {
      const value = part.values[i];
      const from = xs.at(x);
      x += value;
      if (value <= 0) return "";
      return `<rect x="${px(from)}" y="${px(y)}" width="${px(xs.at(x) - from)}" height="${BAR_ROW - 8}" fill="${part.color}"><title>${escapeXml(`${category}, ${part.label}: ${spec.format(value)}`)}</title></rect>`;
    });
    const interval = spec.intervals?.[i];
    const middle = y + (BAR_ROW - 8) / 2;
    const bar = interval
      ? `<path class="error-bar" d="M${px(xs.at(interval[0]))},${px(middle)}H${px(xs.at(interval[1]))}M${px(xs.at(interval[0]))},${px(middle - 6)}V${px(middle + 6)}M${px(xs.at(interval[1]))},${px(middle - 6)}V${px(middle + 6)}" stroke="#222" stroke-width="1.5" fill="none">` +
        `<title>${escapeXml(`${category}: ${spec.format(interval[0])} – ${spec.format(interval[1])}`)}</title></path>`
      : "";
    // The printed total clears the error bar.
    const end = Math.max(xs.at(totals[i]), interval ? xs.at(interval[1]) : 0);
    return (
      `<text x="${px(plot.left - 8)}" y="${px(y + BAR_ROW / 2)}" text-anchor="end">${escapeXml(names[i])}<title>${escapeXml(category)}</title></text>` +
      rects.join("") +
      bar +
      `<text x="${px(end + 6)}" y="${px(y + BAR_ROW / 2)}">${escapeXml(spec.format(totals[i]))}</text>`
    );
  });
  const items = spec.parts.map((p): LegendItem => ({ label: p.label, color: p.color, kind: "box" }));
  const grid = xs.ticks
    .map((t) => `<line class="grid" x1="${px(xs.at(t.value))}" y1="${px(plot.top)}" x2="${px(xs.at(t.value))}" y2="${px(plot.bottom)}"/>`)
    .join("");
  const body = `<g class="axis y">${grid}</g>${xAxis(xs, plot)}<g class="data">${rows.join("")}</g>`;
  return chartFrame(spec, body, items, plot.bottom, spec.axisLabel);
}

export interface ScatterPoint {
  label: string;
  x: number;
  y: number;
  highlight: boolean;
  /** Neither highlighted nor other: indistinguishable from the highlighted (drawn apart, labelled). */
  tie?: boolean;
  /** 95 % intervals, drawn as error bars. */
  xRange?: [number, number];
  yRange?: [number, number];
}

export interface ScatterSpec {
  id: string;
  title: string;
  notes?: string[];
  x: Axis;
  y: Axis;
  points: ScatterPoint[];
  /** Legend labels for highlighted and other points, and for the line through the highlighted. */
  highlightLabel: string;
  /** Legend label of the tie points; without one, no tie point is expected. */
  tieLabel?: string;
  otherLabel: string;
  lineLabel: string;
}

/** Points indistinguishable from the frontier: between its red and the grey of the dominated. */
const TIE_COLOR = PALETTE[1];

/** A point's label above it, to the right, or to the left when it would run past the plot. */
function pointLabel(label: string, x: number, y: number, plot: Plot): string {
  const leftward = x + 8 + label.length * CHAR_WIDTH > plot.right;
  return `<text x="${px(leftward ? x - 8 : x + 8)}" y="${px(y - 8)}"${leftward ? ' text-anchor="end"' : ""}>${escapeXml(label)}</text>`;
}

/**
 * Points, the highlighted ones (a Pareto frontier: lower x and lower y are both better) labelled
 * and joined by a staircase, which bounds the region no point beats on both axes.
 */
export function scatterChart(spec: ScatterSpec): string {
  const area = plotArea(spec.notes);
  const pad = (lo: number, hi: number) => {
    const margin = hi > lo ? (hi - lo) * 0.08 : Math.abs(hi) * 0.1 || 1;
    return [Math.max(0, lo - margin), hi + margin];
  };
  const [xLo, xHi] = pad(...extent([spec.points.flatMap((p) => [p.x, ...(p.xRange ?? [])])], false));
  const [yLo, yHi] = pad(...extent([spec.points.flatMap((p) => [p.y, ...(p.yRange ?? [])])], false));
  const ys = linearScale(spec.y.min ?? yLo, yHi, area.bottom, area.top);
  const plot = { ...area, left: yAxisLeft(ys.ticks) };
  const xs = linearScale(spec.x.min ?? xLo, xHi, plot.left, plot.right, 8);
  const frontier = spec.points.filter((p) => p.highlight).sort((a, b) => a.x - b.x || a.y - b.y);
  let line = "";
  frontier.forEach((p, i) => {
    line += i === 0 ? `M${px(xs.at(p.x))},${px(ys.at(p.y))}` : `H${px(xs.at(p.x))}V${px(ys.at(p.y))}`;
  });
  const bars = spec.points.map((p) => {
    const color = p.highlight ? PALETTE[3] : p.tie ? TIE_COLOR : PALETTE[7];
    const style = `stroke="${color}" stroke-width="1" stroke-opacity="0.7" fill="none"`;
    const [x, y] = [xs.at(p.x), ys.at(p.y)];
    const h = p.xRange ? `<path class="error-bar" d="M${px(xs.at(p.xRange[0]))},${px(y)}H${px(xs.at(p.xRange[1]))}" ${style}/>` : "";
    const v = p.yRange ? `<path class="error-bar" d="M${px(x)},${px(ys.at(p.yRange[0]))}V${px(ys.at(p.yRange[1]))}" ${style}/>` : "";
    return h + v;
  });
  const dots = spec.points.map((p) => {
    const title = `<title>${escapeXml(`${p.label}: ${formatNumber(p.x, 1)}, ${formatNumber(p.y, 6)}`)}</title>`;
    const cx = px(xs.at(p.x));
    const cy = px(ys.at(p.y));
    if (p.highlight)
      return `<circle class="frontier" cx="${cx}" cy="${cy}" r="5.5" fill="${PALETTE[3]}">${title}</circle>${pointLabel(p.label, xs.at(p.x), ys.at(p.y), plot)}`;
    if (p.tie)
      return `<circle class="tie" cx="${cx}" cy="${cy}" r="5" fill="${TIE_COLOR}">${title}</circle>${pointLabel(p.label, xs.at(p.x), ys.at(p.y), plot)}`;
    return `<circle cx="${cx}" cy="${cy}" r="4" fill="none" stroke="${PALETTE[7]}" stroke-width="1.5">${title}</circle>`;
  });
  const items: LegendItem[] = [
    { label: spec.highlightLabel, color: PALETTE[3], kind: "dot" },
    ...(spec.tieLabel ? [{ label: spec.tieLabel, color: TIE_COLOR, kind: "dot" } as LegendItem] : []),
    { label: spec.otherLabel, color: PALETTE[7], kind: "ring" },
    { label: spec.lineLabel, color: PALETTE[3], kind: "line" },
  ];
  const body =
    yAxis(ys, plot, spec.y.label) +
    xAxis(xs, plot) +
    `<g class="data">${bars.join("")}${line === "" ? "" : `<path d="${line}" ${strokeStyle(PALETTE[3], "line")}/>`}${dots.join("")}</g>`;
  return chartFrame(spec, body, items, plot.bottom, spec.x.label);
}
