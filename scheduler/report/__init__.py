"""HTML roster report: KPIs, service per queue and day, coverage, Gantt, fairness, diff.

Use :func:`scheduler.report.html.render_report`; the result is one self-contained HTML file.
"""

from scheduler.report.html import render_report

__all__ = ["render_report"]
