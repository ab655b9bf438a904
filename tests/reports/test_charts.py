"""The charts are plain SVG drawn on the server: they name themselves for screen readers, write the
categories as text, and carry nothing a strict Content-Security-Policy would block."""

import re

from tugi.reports.charts import Series, columns, stacked_bars

MET = Series("met", "#1f7a3d", "met")
BREACHED = Series("breached", "#b3261e", "breached")


def bars(svg: str) -> list[str]:
    return re.findall(r"<rect [^>]*class=\"chart-(\w+)\"", svg)


def bar_widths(svg: str) -> list[float]:
    """The widths of the bars (a bar has its figure as a title; the legend's keys have none)."""
    return [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)"[^>]*><title>', svg)]


def test_stacked_bars_draw_a_part_per_nonzero_figure_and_label_every_category():
    svg = stacked_bars(slug="t", title="Resolution met", description="Shares", categories=["ERP", "Mail"],
                       series=[MET, BREACHED], values=[(3, 1), (0, 2)], shares=True)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="chart-t-title">Resolution met</title>' in svg
    assert 'aria-labelledby="chart-t-title chart-t-desc"' in svg
    # The legend's two keys, ERP's two parts, Mail's one: a zero draws nothing.
    assert bars(svg) == ["met", "breached", "met", "breached", "breached"]
    assert ">ERP<title>ERP</title></text>" in svg and ">Mail<title>Mail</title></text>" in svg
    assert ">75 %<" in svg and ">0 %<" in svg  # the share met at the end of each bar


def test_shares_make_every_bar_equally_long():
    svg = stacked_bars(slug="t", title="t", description="d", categories=["a", "b"], series=[MET, BREACHED],
                       values=[(1, 1), (50, 50)], shares=True)
    widths = bar_widths(svg)
    assert widths[0:2] == widths[2:4] and widths[0] == widths[1]


def test_counts_scale_to_the_longest_bar_and_show_the_total():
    svg = stacked_bars(slug="t", title="t", description="d", categories=["big", "small"], series=[MET],
                       values=[(40,), (10,)])
    widths = bar_widths(svg)
    assert widths[0] == 4 * widths[1]
    assert ">40<" in svg and ">10<" in svg


def test_names_are_escaped_and_long_names_cut_with_the_whole_name_kept():
    name = "<script>alert(1)</script> a very long organisation name indeed"
    svg = stacked_bars(slug="t", title="t", description="d", categories=[name], series=[MET], values=[(1,)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "…<title>&lt;script&gt;alert(1)&lt;/script&gt; a very long organisation name indeed</title>" in svg


def test_no_style_attribute_and_no_script_so_the_csp_allows_the_chart():
    svgs = [
        stacked_bars(slug="a", title="t", description="d", categories=["x"], series=[MET, BREACHED], values=[(1, 2)]),
        columns(slug="b", title="t", description="d", categories=["2026-01", "2026-02"], series=[MET, BREACHED],
                values=[(50.0, None), (100.0, 25.0)], maximum=100, unit="%"),
    ]
    for svg in svgs:
        assert "style=" not in svg and "<script" not in svg and " on" not in svg.replace(" one", "")


def test_columns_draw_no_column_where_there_is_no_figure():
    svg = columns(slug="m", title="Per month", description="d", categories=["2026-01", "2026-02"],
                  series=[MET, BREACHED], values=[(50.0, None), (100.0, 0.0)], maximum=100, unit="%")
    assert re.findall(r"<title>(2026-0\d: \w+ [\d.]+%)</title>", svg) == [
        "2026-01: met 50%", "2026-02: met 100%", "2026-02: breached 0%"]
    assert ">2026-01</text>" in svg and ">2026-02</text>" in svg  # the months are text under the columns


def test_an_empty_chart_says_so():
    svg = stacked_bars(slug="e", title="t", description="d", categories=[], series=[MET], values=[],
                       empty="Nothing in this period.")
    assert "Nothing in this period." in svg


def test_a_report_chart_of_many_rows_shows_the_largest_and_keeps_their_order():
    from types import SimpleNamespace

    from tugi.reports.charts import CHART_ROWS, time_chart

    rows = [SimpleNamespace(label=f"Org {i:02d}", minutes=60 * i, billable_minutes=30 * i) for i in range(1, 31)]
    svg = time_chart("many", rows, "Hours")
    labels = re.findall(r"<title>(Org \d\d)</title></text>", svg)
    assert CHART_ROWS == 25 and labels == [f"Org {i:02d}" for i in range(6, 31)]  # the five smallest left out
