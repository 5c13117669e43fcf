"""A horizontal bar chart drawn as SVG on the server (no JavaScript), with its numbers for a data table."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    value_text: str
    y: int
    width: Decimal
    value_x: Decimal  # where the value is written, just after the bar


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list
    width: int
    height: int
    label_width: int
    bar_height: int
    plot_width: int

    @property
    def text_y_offset(self) -> int:
        return self.bar_height - 5


def bar_chart(
    items, *, title: str, value_label, label_width: int = 190, plot_width: int = 520, bar_height: int = 20, gap: int = 6
) -> BarChart:
    """items: [(label, value)] in display order; bars scale to the largest value."""
    largest = max((v for _l, v in items), default=Decimal("0"))
    bars = []
    for index, (label, value) in enumerate(items):
        share = value / largest if largest > 0 and value > 0 else Decimal("0")
        width = (share * (plot_width - 120)).quantize(Decimal("0.1"))
        bars.append(
            Bar(
                label=label,
                value=value,
                value_text=value_label(value),
                y=index * (bar_height + gap),
                width=width,
                value_x=round(label_width + width + 6, 1),
            )
        )
    height = max(len(bars) * (bar_height + gap), bar_height)
    return BarChart(
        title=title,
        bars=bars,
        width=label_width + plot_width,
        height=height,
        label_width=label_width,
        bar_height=bar_height,
        plot_width=plot_width,
    )
