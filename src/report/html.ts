/*
 * report.html: one self-contained page (inline CSS and SVG, no script, no external resource), so it
 * can be mailed, archived with a run or opened offline. A pure function of the results: no date,
 * no random ids, so the same scenario and seed give the same bytes. The page is built in html/.
 */
export { renderHtmlReport } from "./html/run.js";
export { runReportData, type RunReportData } from "./html/runData.js";
export { renderSweepHtml, type PowerTuningCurve, type SweepRow } from "./html/sweep.js";
