"""A few helpers to write inline SVG by hand: escaped elements, nice axis ticks, a plot frame."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape


def _attr(name: str, value: object) -> str:
    if isinstance(value, float):
        value = f"{value:.2f}".rstrip("0").rstrip(".")
    return f'{name.rstrip("_").replace("_", "-")}="{escape(str(value), quote=True)}"'


def el(tag: str, body: str = "", /, **attrs: object) -> str:
    """One SVG element; attribute names use ``_`` for ``-`` (``stroke_width``), ``class_`` for ``class``.

    >>> el("rect", x=1.0, y=2.5, class_="desk", data_seat="A001")
    '<rect x="1" y="2.5" class="desk" data-seat="A001"/>'
    >>> el("g", text("5 m < 6 m", x=0))      # the body is markup; text() escapes its content
    '<g><text x="0">5 m &lt; 6 m</text></g>'
    """
    shown = " ".join(_attr(k, v) for k, v in attrs.items() if v is not None)
    head = f"<{tag}{' ' + shown if shown else ''}"
    return f"{head}>{body}</{tag}>" if body else f"{head}/>"


def text(body: str, **attrs: object) -> str:
    """A ``<text>`` element whose content is escaped."""
    return el("text", escape(body, quote=False), **attrs)


def title(body: str) -> str:
    """A ``<title>`` tooltip (escaped)."""
    return el("title", escape(body, quote=False))


def nice_step(span: float, count: int = 5) -> float:
    """A 1-2-5 step that cuts ``span`` into about ``count`` parts.

    >>> nice_step(100, 5), nice_step(0.9, 5), nice_step(740, 4)
    (20.0, 0.2, 200.0)
    """
    if span <= 0:
        return 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power * 1.0000001:
            return float(factor * power)
    return float(10 * power)


def ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Ticks at a nice step from ``low`` up to at least ``high``.

    >>> ticks(0, 1.0)
    [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    """
    step = nice_step(high - low, count)
    start = math.floor(low / step + 1e-9) * step
    out, value = [], start
    while value <= high + step * 1e-6:
        out.append(round(value, 10))
        value += step
    if out[-1] < high - step * 1e-6:
        out.append(round(value, 10))
    return out


@dataclass(frozen=True)
class Frame:
    """The plotting area of a chart and its mapping from data values to pixels."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    x0: float
    x1: float
    y0: float
    y1: float

    def x(self, value: float) -> float:
        inner = self.width - self.left - self.right
        return self.left + (value - self.x0) / ((self.x1 - self.x0) or 1) * inner

    def y(self, value: float) -> float:
        inner = self.height - self.top - self.bottom
        return self.height - self.bottom - (value - self.y0) / ((self.y1 - self.y0) or 1) * inner


def axes(frame: Frame, xticks: list[float], yticks: list[float], xlabel: str, ylabel: str,
         xfmt=lambda v: f"{v:g}", yfmt=lambda v: f"{v:g}", grid_x: bool = False) -> str:
    """Grid lines, tick labels and axis titles around ``frame``."""
    parts = []
    for v in yticks:
        y = frame.y(v)
        parts.append(el("line", x1=frame.left, x2=frame.width - frame.right, y1=y, y2=y, class_="grid"))
        parts.append(text(yfmt(v), x=frame.left - 6, y=y + 4, class_="tick", text_anchor="end"))
    for v in xticks:
        x = frame.x(v)
        if grid_x:
            parts.append(el("line", x1=x, x2=x, y1=frame.top, y2=frame.height - frame.bottom, class_="grid"))
        parts.append(text(xfmt(v), x=x, y=frame.height - frame.bottom + 16, class_="tick", text_anchor="middle"))
    base = frame.height - frame.bottom
    parts.append(el("line", x1=frame.left, x2=frame.width - frame.right, y1=base, y2=base, class_="axis"))
    parts.append(el("line", x1=frame.left, x2=frame.left, y1=frame.top, y2=base, class_="axis"))
    mid_x = (frame.left + frame.width - frame.right) / 2
    parts.append(text(xlabel, x=mid_x, y=frame.height - 6, class_="axis-title", text_anchor="middle"))
    mid_y = (frame.top + base) / 2
    parts.append(text(ylabel, x=14, y=mid_y, class_="axis-title", text_anchor="middle",
                      transform=f"rotate(-90 14 {mid_y:.1f})"))
    return "".join(parts)


def svg(body: str, width: float, height: float, label: str, class_: str) -> str:
    """An inline ``<svg>`` that scales to its container, with an accessible name."""
    return el("svg", title(label) + body, xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {width:.0f} {height:.0f}",
              width=f"{width:.0f}", height=f"{height:.0f}", role="img", aria_label=label, class_=class_)
