"""Rupiah as written here (Rp1.250.000) and an indicator's value with its unit, for the staff pages."""

from django import template
from django.utils.translation import gettext as _

from agreements import obligations

register = template.Library()


@register.filter
def rupiah(amount) -> str:
    return obligations.rupiah(amount)


@register.filter
def figure(value, unit: str) -> str:
    """12.5 with "percent" -> "12.50%"; "points" -> "12.50 points"; "per_thousand" -> "1.25 per 1,000 ASN"."""
    if value is None:
        return "—"
    if unit == "percent":
        return f"{value:.2f}%"
    if unit == "points":
        return _("%(value)s points") % {"value": f"{value:.2f}"}
    if unit == "per_thousand":
        return _("%(value)s per 1,000 ASN") % {"value": f"{value:.2f}"}
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}"
