"""Typed choices of agencies, Bawaslu offices and units (issue 20: never a <select> of the country's 552
agencies or offices, nor of every unit of a jurisdiction).

Each form passes the rows its user may choose (a jurisdiction's); netral.forms does the rest.
"""

from django.utils.translation import gettext_lazy as _

from netral.forms import Pick
from organizations.selectors import (
    agency_label,
    agency_resolve,
    office_label,
    office_resolve,
    unit_label,
    unit_resolve,
    unit_resolve_many,
)


def agency_pick(agencies) -> Pick:
    """Choose one of ``agencies`` (a queryset: what the user may choose) by typing its name."""
    return Pick(
        by_id=lambda pk: agencies.filter(pk=pk).first(),
        resolve=lambda text: agency_resolve(text, agencies=agencies),
        suggest=lambda text: agency_resolve(text, agencies=agencies, every=True),
        label=agency_label,
        several=_("Several agencies have this name: choose the one you mean below."),
        none=_("No agency of this name that you may choose was found. Check the spelling, or write only the "
               "name of its regency/city or province."),
        missing=_("Type the name of the agency, e.g. Pemerintah Kabupaten Bangka, and choose it."),
    )


def office_pick(offices) -> Pick:
    """Choose one of ``offices`` (a queryset: what the user may choose) by typing its name."""
    return Pick(
        by_id=lambda pk: offices.filter(pk=pk).first(),
        resolve=lambda text: office_resolve(text, offices=offices),
        suggest=lambda text: office_resolve(text, offices=offices, every=True),
        label=office_label,
        several=_("Several offices have this name: choose the one you mean below."),
        none=_("No Bawaslu office of this name that you may choose was found. Check the spelling, or write only "
               "the name of its regency/city or province."),
        missing=_("Type the name of the Bawaslu office, e.g. Bawaslu Kabupaten Bangka, and choose it."),
    )


def unit_pick(units) -> Pick:
    """Choose one of ``units`` (a queryset: what the user may choose) by typing its name."""
    return Pick(
        by_id=lambda pk: units.select_related("agency").filter(pk=pk).first(),
        resolve=lambda text: unit_resolve(text, units=units),
        resolve_many=lambda texts: unit_resolve_many(texts, units=units),
        suggest=lambda text: unit_resolve(text, units=units, every=True),
        label=unit_label,
        several=_("Several units have this name: choose the one you mean below, or add its agency after a "
                  "comma (Dinas Kesehatan, Belitung Timur)."),
        none=_("No unit of this name that you may choose was found. Check the spelling."),
        missing=_("Type the name of the unit and choose it."),
    )
