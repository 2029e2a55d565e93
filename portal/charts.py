"""Bar charts drawn on the server as inline SVG (pure): no JavaScript, no library, no CDN.

A chart is a list of labelled bars laid out in a fixed coordinate system (the viewBox);
the template draws it and puts the same figures in a table next to it, so the chart is
only a picture of a table that screen readers and text browsers read directly.
"""

from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 360  # viewBox units: about one unit per CSS pixel on a 360 px phone
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
GAP = 10
VALUE_ROOM = 44  # room right of the longest bar for its figure
LABEL_MAX = 46  # characters of a label drawn in the chart; the table has the full text


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: int
    label_y: int
    bar_y: int
    width: float
    value_x: float
    value_y: int
    tone: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    bar_height: int
    total: int

    @property
    def empty(self) -> bool:
        return not self.bars or self.total == 0


def shorten(label: str, limit: int = LABEL_MAX) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(items: Iterable[tuple[str, int]], *, width: int = WIDTH) -> BarChart:
    """Horizontal bars, each with its label on the line above (fits a narrow phone).

    Bar lengths are proportional to the values, the longest filling the width left
    after room for its figure; a non-zero value gets at least a visible sliver.
    """
    items = [(str(label), int(value)) for label, value in items]
    largest = max((value for _label, value in items), default=0)
    room = width - VALUE_ROOM
    bars, y = [], 0
    for index, (label, value) in enumerate(items):
        length = 0.0 if largest == 0 else round(room * value / largest, 1)
        if value > 0:
            length = max(length, 2.0)
        bar_y = y + LABEL_HEIGHT
        bars.append(Bar(label=label, short_label=shorten(label), value=value, label_y=y + LABEL_HEIGHT - 4,
                        bar_y=bar_y, width=length, value_x=round(length + 4, 1),
                        value_y=bar_y + BAR_HEIGHT - 3, tone=index % 4))
        y = bar_y + BAR_HEIGHT + GAP
    return BarChart(bars=bars, width=width, height=max(y - GAP, 0), bar_height=BAR_HEIGHT,
                    total=sum(value for _label, value in items))
