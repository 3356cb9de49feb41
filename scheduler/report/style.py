"""The report's look: embedded CSS and the colours that tell queues and states apart.

Everything is inlined so the report is one file a planner can mail, archive or open offline.
"""

from __future__ import annotations

from collections.abc import Sequence

# Tableau-10-like hues: distinct in colour, still distinguishable in greyscale print.
QUEUE_PALETTE: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#e15759",
    "#9c755f",
    "#ff9da7",
    "#bab0ac",
)

BREAK_COLOUR = "#d9dee5"
IDLE_COLOUR = "#eef1f5"
REQUIRED_COLOUR = "#1f2933"
SHORTFALL_COLOUR = "#d64545"
GRID_COLOUR = "#d5dae1"
CLOSED_COLOUR = "#eceff3"
MINOR_GRID_COLOUR = "#eef0f3"
TEXT_MUTED = "#5f6b7a"


def queue_colours(queue_ids: Sequence[str]) -> dict[str, str]:
    """A stable colour per queue, in scenario order (the palette repeats past ten queues).

    Parameters
    ----------
    queue_ids
        Queue identifiers in the order the scenario lists them.

    Returns
    -------
    dict
        Queue id to ``#rrggbb`` colour.
    """
    return {q: QUEUE_PALETTE[i % len(QUEUE_PALETTE)] for i, q in enumerate(queue_ids)}


CSS = """
:root { --ink:#1f2933; --muted:#5f6b7a; --line:#d5dae1; --soft:#f5f7fa; --accent:#4e79a7;
  --good:#e3f4e1; --good-ink:#1e6b2a; --near:#fff1cc; --near-ink:#7a5500;
  --bad:#fbe1e1; --bad-ink:#a31d1d; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial,
  sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1360px; margin: 0 auto; padding: 24px 28px 48px; }
header.report { border-bottom: 3px solid var(--accent); padding-bottom: 12px; margin-bottom: 20px;
  display: flex; justify-content: space-between; align-items: flex-end; gap: 24px;
  flex-wrap: wrap; }
header.report h1 { margin: 0; font-size: 26px; }
header.report .sub { color: var(--muted); margin-top: 4px; }
header.report .meta { text-align: right; color: var(--muted); font-size: 13px; }
nav.toc { font-size: 13px; margin: -8px 0 8px; color: var(--muted); }
nav.toc a { color: var(--accent); text-decoration: none; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.note { color: var(--muted); margin: 4px 0 10px; font-size: 13px; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 10px; font-weight: 600;
  font-size: 12px; letter-spacing: .03em; color: #fff; background: #7b8794; }
.badge.OPTIMAL { background: #2f8132; } .badge.FEASIBLE { background: #3a6ea5; }
.badge.INFEASIBLE { background: #b42318; } .badge.UNKNOWN { background: #7b8794; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px;
  background: var(--soft); }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase;
  letter-spacing: .04em; }
.card .value { font-size: 24px; font-weight: 650; margin-top: 2px; }
.card .value .unit { font-size: 14px; font-weight: 500; color: var(--muted); }
.card .detail { color: var(--muted); font-size: 12px; }
.card.good { background: var(--good); } .card.near { background: var(--near); }
.card.bad { background: var(--bad); }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 4px; }
th, td { border: 1px solid var(--line); padding: 2px 8px; text-align: right; white-space: nowrap; }
th { background: var(--soft); font-weight: 600; }
th.l, td.l { text-align: left; }
td.good { background: var(--good); color: var(--good-ink); }
td.near { background: var(--near); color: var(--near-ink); }
td.bad { background: var(--bad); color: var(--bad-ink); font-weight: 600; }
td.na { color: var(--muted); }
table.grid td { text-align: center; } table.grid td.l { text-align: left; }
table.grid td.na { background: var(--soft); }
tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
.scroll { overflow-x: auto; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 12px; color: var(--muted);
  margin: 4px 0 6px; }
.legend .sw { display: inline-block; width: 14px; height: 10px; margin-right: 5px;
  vertical-align: -1px; border: 1px solid rgba(0,0,0,.15); }
.legend .sw.line { height: 0; border: 0; border-top: 2px solid; vertical-align: 3px; }
figure { margin: 6px 0 14px; }
figure svg { display: block; max-width: 100%; height: auto; }
details { margin: 6px 0; }
details > summary { cursor: pointer; font-weight: 600; padding: 4px 0; }
ul.messages { margin: 4px 0; padding-left: 20px; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line);
  padding-top: 8px; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  figure, table, .card { break-inside: avoid; }
  .scroll { overflow: visible; }
  details > summary { list-style: none; }
  td.good, td.near, td.bad, .card, .badge, th { -webkit-print-color-adjust: exact;
    print-color-adjust: exact; }
}
"""
