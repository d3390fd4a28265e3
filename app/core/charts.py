"""A small server-rendered SVG line chart: a monthly share against its target
(the employment rate against the year's target, reintegration shares against
their baselines), or a share with no target at all.

No JavaScript and no external assets; the SVG is inline in the page and prints.
A point below its target is a hollow triangle whose name says so, not colour alone.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 210
LEFT, RIGHT, TOP, BOTTOM = 44, 30, 10, 28


@dataclass(frozen=True)
class Point:
    day: date
    rate: float | None  # None: no figure that month (nobody able to work, nobody released)
    target: float | None  # None: a share with no target


def _x(i: int, n: int) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * (i / max(n - 1, 1))


def _y(value: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - max(0.0, min(1.0, value)))


def _segments(points: list[Point]) -> list[str]:
    """Polyline coordinates, broken where a month has no rate."""
    segments, current = [], []
    for i, point in enumerate(points):
        if point.rate is None:
            segments, current = segments + ([current] if current else []), []
            continue
        current.append(f"{_x(i, len(points)):.1f},{_y(point.rate):.1f}")
    return [" ".join(s) for s in segments + ([current] if current else [])]


LABEL_GAP = 70  # px between two month labels, so that they never overlap


def _labelled(points: list[Point]) -> list[int]:
    """The points named under the axis: the first, the last, and each January
    and July that leaves room for its label."""
    n = len(points)
    wanted = [i for i, p in enumerate(points) if p.day.month in (1, 7) or i in (0, n - 1)]
    kept: list[int] = []
    for i in wanted:
        if i == n - 1 and kept and _x(i, n) - _x(kept[-1], n) < LABEL_GAP:
            kept.pop()  # the last month is always named
        if not kept or _x(i, n) - _x(kept[-1], n) >= LABEL_GAP:
            kept.append(i)
    return kept


def line_chart(points: list[Point], title: str, below: str | None = None) -> Markup:
    """The rate (solid) and the target (dashed, when there is one) over
    ``points``, 0–100 %. ``below`` names a point under its target
    (``%(point)s`` is the month and the figure; default "…, below target")."""
    n = len(points)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for level in (0, 0.25, 0.5, 0.75, 1):
        y = _y(level)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#d8dee4"/><text x="{LEFT - 4}" y="{y + 4:.1f}" font-size="12" '
                     f'text-anchor="end" fill="#3d4b57">{int(level * 100)}%</text>')
    for i in _labelled(points):
        month = escape(format_date(points[i].day, "LLL yyyy"))
        # the last month ends at the chart's edge: centred under its point, a longer
        # name ("жел. 2026") was cut off by the edge of the picture
        x, anchor = (WIDTH - 2, "end") if i == n - 1 else (_x(i, n), "middle")
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 6}" font-size="12" '
                     f'text-anchor="{anchor}" fill="#3d4b57">{month}</text>')
    if any(p.target is not None for p in points):
        target = " ".join(f"{_x(i, n):.1f},{_y(p.target):.1f}" for i, p in enumerate(points)
                          if p.target is not None)
        parts.append(f'<polyline points="{target}" fill="none" stroke="#b3261e" '
                     f'stroke-dasharray="5 4" stroke-width="1.5" class="target"/>')
    for segment in _segments(points):
        parts.append(f'<polyline points="{segment}" fill="none" stroke="#1f5f8b" '
                     f'stroke-width="2" class="rate"/>')
    for i, point in enumerate(points):
        if point.rate is None:
            continue
        x, y = _x(i, n), _y(point.rate)
        label = escape(f"{format_date(point.day, 'LLLL yyyy')}: {point.rate * 100:.1f}%")
        if point.target is not None and point.rate < point.target:
            # below target: a red hollow triangle, and its name says so (not colour alone)
            label = (escape(below) % {"point": label} if below
                     else escape(_("%(point)s, below target", point=label)))
            parts.append(f'<polygon points="{x:.1f},{y + 5:.1f} {x - 5:.1f},{y - 4:.1f} '
                         f'{x + 5:.1f},{y - 4:.1f}" fill="#fff" stroke="#b3261e" '
                         f'stroke-width="1.5" class="below-target"><title>{label}</title>'
                         f'</polygon>')
        else:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1f5f8b">'
                         f'<title>{label}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every interpolated text is escaped or numeric)


def rate_chart(series: list, title: str) -> Markup:
    """``line_chart`` of a list of rates.Rate, one per month."""
    return line_chart([Point(r.day, r.rate, float(r.target)) for r in series], title)
