/*
 * The page shell every report.html shares: one self-contained page (inline CSS and SVG, no script,
 * no external resource), so it can be mailed, archived with a run or opened offline.
 */
import { escapeXml } from "../format.js";

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;max-width:1000px;margin:24px auto;padding:0 16px}
h1{font-size:24px;margin:0 0 8px}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid #ccc;padding-bottom:4px}
.meta{color:#444}.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px;font-variant-numeric:tabular-nums}
th,td{padding:3px 7px;border-bottom:1px solid #ddd;text-align:left}td{white-space:nowrap}th{background:#f4f4f4;vertical-align:bottom}
.n{text-align:right}tr.total td{font-weight:600;border-top:2px solid #999}
figure{margin:16px 0}svg{max-width:100%;height:auto;background:#fff}
svg text{font:12px sans-serif;fill:#222}svg .chart-title{font-size:15px;font-weight:600}svg .chart-note{fill:#555}
svg .axis line{stroke:#444}svg .axis .grid{stroke:#e4e4e4}svg .axis-label{font-size:13px}
footer{margin:32px 0;color:#666;font-size:12px}
`;

export function page(title: string, body: string[]): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

export function figure(kind: string, svg: string): string {
  return `<figure data-chart="${kind}">${svg}</figure>`;
}

export interface Column {
  head: string;
  numeric?: boolean;
}

/** A table; cells are already-escaped HTML. The optional total row is set in bold. */
export function table(columns: Column[], rows: string[][], total?: string[]): string {
  const cell = (tag: "th" | "td", html: string, i: number) => `<${tag}${columns[i].numeric ? ' class="n"' : ""}>${html}</${tag}>`;
  const line = (cells: string[], tag: "th" | "td", cls = "") => `<tr${cls}>${cells.map((html, i) => cell(tag, html, i)).join("")}</tr>`;
  return [
    '<div class="scroll"><table>',
    `<thead>${line(
      columns.map((c) => escapeXml(c.head)),
      "th",
    )}</thead>`,
    "<tbody>",
    ...rows.map((r) => line(r, "td")),
    ...(total ? [line(total, "td", ' class="total"')] : []),
    "</tbody></table></div>",
  ].join("\n");
}
