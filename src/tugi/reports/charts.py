"""Charts as server-rendered SVG: nothing runs in the browser, so they work without JavaScript and
under the strict Content-Security-Policy (colours are SVG presentation attributes, never a style
attribute; the shapes' classes can be refined in tugi/charts.css).

Each chart is accessible on its own: ``role="img"`` named by its <title> and <desc>, every bar
carries its figure in a <title> (a tooltip, read by screen readers), the categories are text. The
pages put the same figures in a table beside the chart, for reading and for copying."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 720
LABEL_WIDTH = 210  # the category names on the left of a horizontal chart
TOTAL_WIDTH = 70  # the total on the right
ROW_HEIGHT = 26
BAR_HEIGHT = 16
LEGEND_HEIGHT = 28
FONT_SIZE = 12
LABEL_CHARS = 30  # longer names are cut with an ellipsis; the whole name is the text's <title>


@dataclass(frozen=True)
class Series:
    """One kind of figure in a chart: its name in the legend, its colour and a class for the CSS."""

    name: str
    colour: str
    css: str


def _at(coordinate: float) -> str:
    return f"{coordinate:.1f}"


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _frame(slug: str, title: str, description: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" id="chart-{slug}" role="img" aria-labelledby="chart-{slug}-title chart-{slug}-desc" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg" font-size="{font}" font-family="system-ui, sans-serif">'
        '<title id="chart-{slug}-title">{title}</title><desc id="chart-{slug}-desc">{description}</desc>'
        "{body}</svg>",
        slug=slug, width=WIDTH, height=height, font=FONT_SIZE, title=title, description=description, body=body,
    )


def _legend(series: Sequence[Series]) -> SafeString:
    if len(series) < 2:
        return mark_safe("")
    items, x = [], 0
    for one in series:
        items.append(format_html(
            '<g class="legend-item"><rect x="{x}" y="6" width="12" height="12" fill="{colour}" class="chart-{css}"/>'
            '<text x="{tx}" y="16" fill="#1d2733">{name}</text></g>',
            x=x, tx=x + 17, colour=one.colour, css=one.css, name=one.name,
        ))
        x += 17 + 8 * len(one.name) + 24
    return format_html('<g class="legend">{}</g>', mark_safe("".join(items)))


def stacked_bars(
    *, slug: str, title: str, description: str, categories: Sequence[str], series: Sequence[Series],
    values: Sequence[Sequence[float]], shares: bool = False, show: Callable[[float], str] = _number,
    empty: str = "",
) -> SafeString:
    """Horizontal bars, one per category, each stacked from the series' values (values[i][j] is
    category i's figure of series j). ``shares``: every bar is 100 % wide and split by its parts
    (met against breached); otherwise the longest bar is the largest total. The total (or, with
    ``shares``, the first series' share) is written at the end of the bar."""
    top = LEGEND_HEIGHT if len(series) > 1 else 4
    height = top + max(len(categories), 1) * ROW_HEIGHT + 4
    area = WIDTH - LABEL_WIDTH - TOTAL_WIDTH - 10
    largest = max((sum(row) for row in values), default=0) or 1
    rows = []
    for i, (category, row) in enumerate(zip(categories, values, strict=True)):
        y = top + i * ROW_HEIGHT
        total = sum(row)
        scale = area / (total if shares else largest) if total else 0
        x = LABEL_WIDTH
        parts = []
        for one, value in zip(series, row, strict=True):
            if not value:
                continue
            width = value * scale
            parts.append(format_html(
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}" class="chart-{css}">'
                "<title>{category}: {name} {value}</title></rect>",
                x=_at(x), y=y + (ROW_HEIGHT - BAR_HEIGHT) // 2, w=_at(width), h=BAR_HEIGHT, colour=one.colour,
                css=one.css, category=category, name=one.name, value=show(value),
            ))
            x += width
        end = show(total)
        if shares:
            end = show(row[0] / total * 100) + " %" if total else "—"
        rows.append(format_html(
            '<g class="bar-row"><text x="{lx}" y="{ty}" text-anchor="end" fill="#1d2733">{short}<title>{category}'
            '</title></text>{parts}<text x="{ex}" y="{ty}" fill="#1d2733" class="chart-total">{end}</text></g>',
            lx=LABEL_WIDTH - 8, ty=y + ROW_HEIGHT // 2 + 4, short=_short(category), category=category,
            parts=mark_safe("".join(parts)), ex=_at((LABEL_WIDTH + area if shares else x) + 6), end=end,
        ))
    if not categories:
        rows.append(format_html('<text x="{}" y="{}" fill="#5b6b7b">{}</text>', LABEL_WIDTH, top + 16, empty))
    return _frame(slug, title, description, height, format_html("{}{}", _legend(series), mark_safe("".join(rows))))


def columns(
    *, slug: str, title: str, description: str, categories: Sequence[str], series: Sequence[Series],
    values: Sequence[Sequence[float | None]], maximum: float | None = None, show: Callable[[float], str] = _number,
    unit: str = "", empty: str = "",
) -> SafeString:
    """Vertical columns, one group per category (a month), one column per series; values[i][j] is
    category i's figure of series j, None where there is none (drawn as no column, not as zero).
    The scale runs from 0 to ``maximum`` (100 for shares) or to the largest value, with grid lines
    at a quarter, a half, three quarters and the whole."""
    top, bottom, left, height = (LEGEND_HEIGHT if len(series) > 1 else 8) + 12, 40, 50, 270
    plot = height - top - bottom
    figures = [v for row in values for v in row if v is not None]
    scale_to = maximum or max(figures, default=0) or 1
    body = [_legend(series)]
    for step in range(5):
        value = scale_to * step / 4
        y = top + plot - plot * step / 4
        body.append(format_html(
            '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="#d9e0e7" class="chart-grid"/>'
            '<text x="{tx}" y="{ty}" text-anchor="end" fill="#5b6b7b">{label}{unit}</text>',
            x1=left, x2=WIDTH, y=_at(y), tx=left - 6, ty=_at(y + 4), label=show(round(value, 1)), unit=unit,
        ))
    if categories:
        group = (WIDTH - left) / len(categories)
        column = max(min(group * 0.8 / len(series), 40), 2)
        for i, (category, row) in enumerate(zip(categories, values, strict=True)):
            x0 = left + i * group + (group - column * len(series)) / 2
            for j, (one, value) in enumerate(zip(series, row, strict=True)):
                if value is None:
                    continue
                h = plot * value / scale_to
                body.append(format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}" '
                    'class="chart-{css}"><title>{category}: {name} {value}{unit}</title></rect>',
                    x=_at(x0 + j * column), y=_at(top + plot - h), w=_at(column), h=_at(h), colour=one.colour,
                    css=one.css, category=category, name=one.name, value=show(value), unit=unit,
                ))
                if column >= 16:  # the figure over its column, where it fits: a 0 % then reads as 0, not as none
                    body.append(format_html(
                        '<text x="{x}" y="{y}" text-anchor="middle" font-size="10" fill="#5b6b7b" '
                        'class="chart-value">{value}</text>',
                        x=_at(x0 + j * column + column / 2), y=_at(top + plot - h - 3), value=show(value),
                    ))
            # Every label when they fit; otherwise every n-th, so they never overlap.
            every = max(1, round(len(categories) / ((WIDTH - left) / 60)))
            if i % every == 0:
                body.append(format_html(
                    '<text x="{x}" y="{y}" text-anchor="middle" fill="#1d2733">{category}</text>',
                    x=_at(left + i * group + group / 2), y=top + plot + 18, category=category,
                ))
    else:
        body.append(format_html('<text x="{}" y="{}" fill="#5b6b7b">{}</text>', left + 10, top + plot // 2, empty))
    return _frame(slug, title, description, height, mark_safe("".join(body)))


# --- the reports' charts ----------------------------------------------------------------------------

# A chart of more rows than this shows the largest ones; the table beside it has them all.
CHART_ROWS = 25


def _largest(rows: Sequence, size) -> list:
    if len(rows) <= CHART_ROWS:
        return list(rows)
    keep = set(map(id, sorted(rows, key=size, reverse=True)[:CHART_ROWS]))
    return [row for row in rows if id(row) in keep]


def _percent(value: float) -> str:
    return f"{value:.0f}"


def _hours(value: float) -> str:
    return f"{value}".rstrip("0").rstrip(".")


def sla_target_chart(slug: str, rows: Sequence, target: str, title: str) -> SafeString:
    """The met and breached ``target`` ("response" or "resolution") of each row, as shares."""
    shown = _largest(rows, lambda r: r.tickets)
    return stacked_bars(
        slug=slug, title=title, shares=True, show=_percent,
        description=_("The share of SLA targets met (green) and breached (red), of the targets decided so far; "
                      "the figure at the end is the share met. The table below has the figures."),
        categories=[row.label for row in shown],
        series=[Series(_("met"), "#1f7a3d", "met"), Series(_("breached"), "#b3261e", "breached")],
        values=[(getattr(row, f"{target}_met"), getattr(row, f"{target}_breached")) for row in shown],
        empty=_("No ticket with an SLA in this period."),
    )


def sla_month_chart(slug: str, rows: Sequence, title: str) -> SafeString:
    return columns(
        slug=slug, title=title, maximum=100, unit="%", show=_percent,
        description=_("Per month of creation, the share of response targets (blue) and resolution targets (green) "
                      "met, of those decided; a month without a column had none decided."),
        categories=[row.label for row in rows],
        series=[Series(_("response met"), "#0b63a8", "response"), Series(_("resolution met"), "#1f7a3d", "resolution")],
        values=[(row.response_share, row.resolution_share) for row in rows],
        empty=_("No ticket with an SLA in this period."),
    )


AGE_COLOURS = ("#9ecae1", "#6baed6", "#2171b5", "#e6550d", "#a63603")


def backlog_chart(slug: str, rows: Sequence, buckets: Sequence[tuple[str, str]], title: str) -> SafeString:
    """Open tickets per group, stacked by age (young blue to old red)."""
    shown = _largest(rows, lambda r: r.total)
    return stacked_bars(
        slug=slug, title=title,
        description=_("Open tickets by how long they have been open, from under a day (light blue) to over "
                      "30 days (dark red); the figure at the end is the total. The table below has the figures."),
        categories=[row.label for row in shown],
        series=[Series(label, colour, f"age-{name}")
                for (name, label), colour in zip(buckets, AGE_COLOURS, strict=True)],
        values=[row.counts for row in shown],
        empty=_("No open tickets."),
    )


def time_chart(slug: str, rows: Sequence, title: str) -> SafeString:
    """Hours logged per group, billable and not."""
    shown = _largest(rows, lambda r: r.minutes)
    return stacked_bars(
        slug=slug, title=title, show=_hours,
        description=_("Hours logged in the period, billable (dark blue) and not billable (light blue); "
                      "the figure at the end is all hours. The table below has the figures."),
        categories=[row.label for row in shown],
        series=[Series(_("billable"), "#0b63a8", "billable"), Series(_("not billable"), "#9ecae1", "unbillable")],
        values=[(row.billable_minutes / 60, (row.minutes - row.billable_minutes) / 60) for row in shown],
        empty=_("No time logged in this period."),
    )


DISPUTE_COLOURS = ("#9aa5b1", "#0b63a8", "#e6a100", "#b3261e")


def disputes_chart(slug: str, rows: Sequence, outcomes: Sequence[tuple[str, str]], title: str) -> SafeString:
    """Disputes per group, stacked by their outcome."""
    shown = _largest(rows, lambda r: r.raised)
    return stacked_bars(
        slug=slug, title=title,
        description=_("Disputed time entries by outcome: still unanswered (grey), kept (blue), corrected (yellow), "
                      "removed (red); the figure at the end is all disputes. The table below has the figures."),
        categories=[row.label for row in shown],
        series=[Series(label, colour, f"outcome-{name}")
                for (name, label), colour in zip(outcomes, DISPUTE_COLOURS, strict=True)],
        values=[row.counts for row in shown],
        empty=_("No disputes in this period."),
    )
