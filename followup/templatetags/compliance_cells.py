"""The compliance dashboard's figure cells and stacked bar, written in one pass (issue 20).

The same markup as the templates followup/dashboard_cells.html and dashboard_bar.html had, which
the national page included about ninety times (an agency page, the provinces, the total): those
includes were most of the page's 60-70 ms of rendering at 200,000 cases.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

COUNTS = ("received", "in_time", "late", "ignored", "pending")
PERCENTS = ("in_time_percent", "late_percent", "ignored_percent")
COLOURS = {"in_time": "#1e7b34", "late": "#c27c0e", "ignored": "#b42318"}
OTHER_COLOUR = "#8a94a3"


def _percent(value) -> str:
    return "—" if value is None else f"{floatformat(value, 1)}%"


@register.simple_tag
def compliance_cells(figures, segments) -> str:
    """Nine cells: the five counts, the three rates and the bar (each cell with its data-figure).

    Plain string building, not format_html per value: the values are integers and rates written
    here; only the translated label is escaped.
    """
    label = gettext("%(in_time)s in time, %(late)s late, %(ignored)s ignored, %(pending)s not yet due") % {
        name: localize(getattr(figures, name)) for name in ("in_time", "late", "ignored", "pending")}
    rects = "".join(
        f'<rect x="{segment.x}" y="0" width="{segment.width}" height="14" '
        f'fill="{COLOURS.get(segment.name, OTHER_COLOUR)}"><title>{localize(segment.count)}</title></rect>'
        for segment in segments)
    cells = [f'<td class="num" data-figure="{name}">{localize(getattr(figures, name))}</td>' for name in COUNTS]
    cells += [f'<td class="num" data-figure="{name}">{_percent(getattr(figures, name))}</td>' for name in PERCENTS]
    cells.append(
        '<td class="bar-cell"><svg class="bar" width="100%" height="14" viewBox="0 0 100 14" '
        f'preserveAspectRatio="none" role="img" aria-label="{escape(label)}">\n'
        f'  <rect x="0" y="0" width="100" height="14" fill="#f3f5f8"/>\n  {rects}\n</svg></td>')
    return mark_safe("\n".join(cells))  # noqa: S308 (integers, rates and the escaped label only)
