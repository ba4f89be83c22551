/** Which functions the run report's charts draw, and whether the run has several to total. */
import type { FunctionSummary, Summary } from "../summary.js";
import type { RunReportData } from "./runData.js";
import { PALETTE } from "../svg.js";

/**
 * Charts with one line or bar per function draw at most this many (the ones with the most
 * arrivals; the rest are summed into one cost bar): more lines are unreadable, and a trace of
 * hundreds of functions would make the file huge. The tables list every function.
 */
export const MAX_DRAWN_FUNCTIONS = 10;

export interface Drawn {
  index: number;
  name: string;
  color: string;
  summary: FunctionSummary;
}

/** The functions charts draw: the busiest by arrivals (ties: scenario order), in scenario order. */
export function drawnFunctions({ functions, summary }: RunReportData): Drawn[] {
  const busiest = functions
    .map((f, index) => ({ index, arrivals: f.arrivals }))
    .sort((a, b) => b.arrivals - a.arrivals || a.index - b.index)
    .slice(0, MAX_DRAWN_FUNCTIONS)
    .sort((a, b) => a.index - b.index);
  return busiest.map(({ index }, i) => {
    const name = functions[index].name;
    return { index, name, color: PALETTE[i % PALETTE.length], summary: summary.functions[name] };
  });
}

/** With several functions the tables get a total row and the account its own concurrency chart. */
export const several = (s: Summary) => Object.keys(s.functions).length > 1;
