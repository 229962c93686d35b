"""Server-side SVG charts: no JavaScript, accessible (title, description, and the page
puts the same numbers in a data table beside each chart).

Every piece of text is escaped here; the numbers are formatted by us. The result is
marked safe only after that, so a window or officer name can never inject markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 52, 16, 44


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5, 5 × 10^k)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 0.1
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _count_max(value: int) -> int:
    """An axis maximum for counts whose four steps are whole numbers."""
    nice = _nice_max(value)
    return int(nice) if nice >= 4 and nice % 4 == 0 else max(4, math.ceil(value / 4) * 4)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]
    css: str


def trend_chart(
    *, chart_id: str, title: str, description: str, labels: Sequence[str],
    volume: Sequence[int], volume_label: str, lines: Sequence[Series], hours_label: str,
) -> SafeString:
    """Weekly bars (volume, left axis) with lines (hours, right axis)."""
    n = max(1, len(labels))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / n
    vmax = _count_max(max(volume, default=0))
    hmax = _nice_max(max((v for s in lines for v in s.values if v is not None), default=0))
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for i in range(5):  # grid and both axes' ticks
        y = TOP + plot_h - plot_h * i / 4
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{_num(vmax * i / 4)}</text>')
        parts.append(f'<text class="tick" x="{WIDTH - RIGHT + 6}" y="{y + 4:.1f}">'
                     f'{_num(hmax * i / 4)}</text>')
    parts.append(f'<text class="axis-label" x="{LEFT - 40}" y="{TOP - 4}">{escape(volume_label)}</text>')
    parts.append(f'<text class="axis-label" x="{WIDTH - RIGHT - 20}" y="{TOP - 4}">{escape(hours_label)}</text>')
    every = max(1, n // 12)
    for i, (label, count) in enumerate(zip(labels, volume, strict=True)):
        h = plot_h * count / vmax
        x = LEFT + i * slot + slot * 0.15
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}"><title>{escape(label)}: {count}</title></rect>'
        )
        if i % every == 0:
            parts.append(f'<text class="tick" x="{LEFT + (i + 0.5) * slot:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    for series in lines:
        points = [
            f"{LEFT + (i + 0.5) * slot:.1f},{TOP + plot_h - plot_h * v / hmax:.1f}"
            for i, v in enumerate(series.values) if v is not None
        ]
        if points:
            parts.append(f'<polyline class="line {escape(series.css)}" points="{" ".join(points)}">'
                         f'<title>{escape(series.label)}</title></polyline>')
            for point in points:
                x, y = point.split(",")
                parts.append(f'<circle class="dot {escape(series.css)}" cx="{x}" cy="{y}" r="2.5"/>')
    legend_y = HEIGHT - 10
    legend = [("bar", volume_label)] + [(s.css, s.label) for s in lines]
    for i, (css, label) in enumerate(legend):
        x = LEFT + i * 170
        parts.append(f'<rect class="key {escape(css)}" x="{x}" y="{legend_y - 9}" width="12" height="10"/>')
        parts.append(f'<text class="legend" x="{x + 16}" y="{legend_y}">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every interpolated text is escaped above


def bar_chart(
    *, chart_id: str, title: str, description: str, labels: Sequence[str], values: Sequence[int],
) -> SafeString:
    """Horizontal bars, one per label (e.g. the backlog by age)."""
    row_h, label_w, width = 34, 190, WIDTH
    height = TOP + row_h * max(1, len(labels)) + 8
    vmax = _count_max(max(values, default=0))
    bar_w = width - label_w - 70
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = TOP + i * row_h
        w = bar_w * value / vmax
        parts.append(f'<text class="tick" x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect class="bar age-{i}" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="20">'
                     f'<title>{escape(label)}: {value}</title></rect>')
        parts.append(f'<text class="value" x="{label_w + w + 6:.1f}" y="{y + 19}">{value}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every interpolated text is escaped above
