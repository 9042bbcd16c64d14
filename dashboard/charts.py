"""Server-rendered bar charts (pure): the SVG geometry of grouped bars, so the page needs no
script (CSP) and the chart is in the HTML the browser tests read."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 600
HEIGHT = 220
TOP = 16
BOTTOM = 36  # room for the labels


@dataclass(frozen=True, slots=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    series: str  # a class name: "insurance" / "patient"
    title: str  # what a screen reader and a hover tooltip say


@dataclass(frozen=True, slots=True)
class Label:
    x: int
    y: int
    text: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[Label]
    baseline: int


def grouped_bars(groups: list[tuple[str, list[tuple[str, int, str]]]]) -> Chart:
    """`groups`: (group label, [(series, value, title), ...]); bars scaled to the largest value."""
    largest = max((value for _label, series in groups for _s, value, _t in series), default=0) or 1
    plot = HEIGHT - TOP - BOTTOM
    slot = WIDTH // max(len(groups), 1)
    bars: list[Bar] = []
    labels: list[Label] = []
    for index, (label, series) in enumerate(groups):
        inner = (slot - 20) // max(len(series), 1)
        for position, (name, value, title) in enumerate(series):
            height = round(plot * max(value, 0) / largest)
            x = index * slot + 10 + position * inner
            bars.append(Bar(x, TOP + plot - height, max(inner - 4, 2), height, name, title))
        labels.append(Label(index * slot + slot // 2, HEIGHT - BOTTOM + 18, label))
    return Chart(WIDTH, HEIGHT, bars, labels, TOP + plot)
