"""Indicators an agreement's outputs and outcomes can be tied to, computed from the system's own data.

A registry by code: ``events_held:<theme>``, ``asn_reached:<theme>``, ``pledges_signed``,
``recommendations_in_time``, ``sanctions_imposed``, ``cases_forwarded``, ``data_exchanges``,
``disseminations``, ``test_gain:<theme>``, ``test_improved:<theme>`` and
``violations_per_1000`` (in the period) or ``violations_per_1000:<election>`` (in one election).
Each is a function (agreement, period_start, period_end) -> Decimal (None: nothing to
measure yet, e.g. a share of zero) with a unit (count or percent) and a label. The other
apps are read only through their selectors; the agreement fixes the scope: the region and
office of the Bawaslu party, the agency of the Pemda party. Periods are inclusive local dates.

``<theme>`` is a prevention theme id (prevention/data/themes.yaml); ``<election>`` an election
id (rules/data/elections.yaml).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COUNT, PERCENT, POINTS, PER_THOUSAND = "count", "percent", "points", "per_thousand"

class UnknownIndicator(ValueError):
    pass


@dataclass(frozen=True)
class Indicator:
    code: str  # the family: "events_held"
    label: object  # lazy translation; "%(theme)s" for themed families
    unit: str
    compute: Callable  # (agreement, start, end, argument) -> Decimal | None
    themed: bool = False
    by_election: bool = False  # an optional election id: the figure of that election instead of the period


@dataclass(frozen=True)
class Parsed:
    indicator: Indicator
    argument: str  # a theme id for themed families, "" otherwise

    @property
    def unit(self) -> str:
        return self.indicator.unit


REGISTRY: dict[str, Indicator] = {}


def register(code: str, label, unit: str, *, themed: bool = False, by_election: bool = False):
    def wrap(function):
        REGISTRY[code] = Indicator(code, label, unit, function, themed, by_election)
        return function
    return wrap


def split(code: str) -> tuple[str, str]:
    """"events_held:asn-neutrality" -> ("events_held", "asn-neutrality") (pure: no theme lookup)."""
    family, _sep, argument = (code or "").strip().partition(":")
    return family, argument


def parse(code: str, *, themes: set[str] | None = None) -> Parsed:
    """The indicator of a code; UnknownIndicator for an unknown family, a missing or unknown theme."""
    family, argument = split(code)
    indicator = REGISTRY.get(family)
    if indicator is None:
        raise UnknownIndicator(code)
    if indicator.themed:
        if not argument:
            raise UnknownIndicator(code)
        if themes is None:
            from prevention.selectors import theme_titles

            themes = set(theme_titles())
        if argument not in themes:
            raise UnknownIndicator(code)
    elif indicator.by_election:
        if argument and argument not in _election_titles():
            raise UnknownIndicator(code)
    elif argument:
        raise UnknownIndicator(code)
    return Parsed(indicator, argument)


def validate(code: str) -> None:
    """Raise UnknownIndicator unless ``code`` is empty (recorded by hand) or known."""
    if code:
        parse(code)


def label(code: str, *, titles: dict[str, str] | None = None) -> str:
    parsed = parse(code, themes=set(titles) if titles is not None else None)
    text = str(parsed.indicator.label)
    if parsed.indicator.themed:
        if titles is None:
            from prevention.selectors import theme_titles

            titles = theme_titles()
        text = text % {"theme": titles.get(parsed.argument, parsed.argument)}
    elif parsed.indicator.by_election and parsed.argument:
        text = "%s: %s" % (text, _election_titles().get(parsed.argument, parsed.argument))
    return text


def _election_titles() -> dict[str, str]:
    from followup.selectors import election_titles

    return election_titles()


def compute(code: str, agreement, start: date, end: date, *, themes: set[str] | None = None) -> Decimal | None:
    parsed = parse(code, themes=themes)
    return parsed.indicator.compute(agreement, start, end, parsed.argument)


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent with two decimals, None when ``whole`` is zero."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- The parties ------------------------------------------------------------------------------

def bawaslu_party(agreement):
    return next((party for party in agreement.parties.all() if party.office_id), None)


def pemda_party(agreement):
    return next((party for party in agreement.parties.all() if party.agency_id), None)


def _region(agreement):
    party = bawaslu_party(agreement)
    if party is not None:
        return party.office.region
    party = pemda_party(agreement)
    return party.agency.region if party else None


def _agency(agreement):
    party = pemda_party(agreement)
    return party.agency if party else None


# --- The indicators ---------------------------------------------------------------------------

@register("events_held", _("Socialization events held: %(theme)s"), COUNT, themed=True)
def _events_held(agreement, start, end, theme):
    from prevention.selectors import events_held_count

    region = _region(agreement)
    return Decimal(events_held_count(region=region, theme_id=theme, start=start, end=end) if region else 0)


@register("asn_reached", _("Share of active ASN reached: %(theme)s"), PERCENT, themed=True)
def _asn_reached(agreement, start, end, theme):
    from prevention.selectors import theme_reach_count

    agency = _agency(agreement)
    if agency is None:
        return None
    reached, active = theme_reach_count(agency=agency, theme_id=theme, start=start, end=end)
    return percent(reached, active)


@register("pledges_signed", _("Neutrality pledges signed"), COUNT)
def _pledges_signed(agreement, start, end, _argument):
    from prevention.selectors import pledges_signed_count

    agency = _agency(agreement)
    return Decimal(pledges_signed_count(agency=agency, start=start, end=end) if agency else 0)


@register("recommendations_in_time", _("Share of recommendations acted on in time"), PERCENT)
def _recommendations_in_time(agreement, start, end, _argument):
    from followup.selectors import agency_compliance

    agency = _agency(agreement)
    if agency is None:
        return None
    figures = agency_compliance(agency=agency, issued_from=start, issued_until=end, today=timezone.localdate())
    return percent(figures.in_time, figures.due)


@register("sanctions_imposed", _("Sanctions imposed by the PPK"), COUNT)
def _sanctions_imposed(agreement, start, end, _argument):
    from followup.selectors import sanctions_imposed_count

    agency = _agency(agreement)
    return Decimal(sanctions_imposed_count(agency=agency, start=start, end=end) if agency else 0)


@register("cases_forwarded", _("Cases forwarded to the civil-service authority"), COUNT)
def _cases_forwarded(agreement, start, end, _argument):
    from cases.selectors import forwarded_count

    party = bawaslu_party(agreement)
    return Decimal(forwarded_count(office=party.office, start=start, end=end) if party else 0)


@register("data_exchanges", _("ASN register data exchanges"), COUNT)
def _data_exchanges(agreement, start, end, _argument):
    from registry.selectors import REGISTER_DATASET, exchange_count

    agency = _agency(agreement)
    if agency is None:
        return Decimal(0)
    since, until = day_bounds(start, end)
    return Decimal(exchange_count(dataset=REGISTER_DATASET, agency=agency, since=since, until=until))


@register("disseminations", _("Posts and broadcasts of neutrality material by the parties"), COUNT)
def _disseminations(agreement, start, end, _argument):
    from agreements.models import Dissemination

    return Decimal(Dissemination.objects.filter(agreement=agreement, published_on__gte=start,
                                                published_on__lte=end).count())


def _test_gains(agreement, start, end, theme):
    from agreements.obligations import score_gains
    from prevention.selectors import test_score_pairs

    agency = _agency(agreement)
    if agency is None:
        return None, None, 0
    return score_gains(test_score_pairs(agency=agency, theme_id=theme, start=start, end=end))


@register("test_gain", _("ASN understanding: mean gain from pre- to post-test (points): %(theme)s"), POINTS,
          themed=True)
def _test_gain(agreement, start, end, theme):
    return _test_gains(agreement, start, end, theme)[0]


@register("test_improved", _("ASN understanding: share of participants who improved on the post-test: %(theme)s"),
          PERCENT, themed=True)
def _test_improved(agreement, start, end, theme):
    return _test_gains(agreement, start, end, theme)[1]


@register("violations_per_1000", _("Neutrality violations per 1,000 ASN of the agency"), PER_THOUSAND,
          by_election=True)
def _violations_per_1000(agreement, start, end, election):
    """Decided violations (the authority's recommendations to the PPK) per 1,000 active ASN.

    Without an election: those issued in the period; with one: those of that election's cases.
    The denominator is the register's active ASN today (the register keeps no past headcount).
    """
    from agreements.obligations import per_thousand
    from followup.selectors import decided_violations_count, violations_by_election
    from registry.selectors import active_asn_count

    agency = _agency(agreement)
    if agency is None:
        return None
    if election:
        decided = next((count for row, count, _sanctioned in violations_by_election(agency=agency)
                        if row.pk == election), 0)
    else:
        decided = decided_violations_count(agency=agency, start=start, end=end)
    return per_thousand(decided, active_asn_count(agency=agency))


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The local instants [start 00:00, the day after end 00:00) of an inclusive period of dates."""
    zone = timezone.get_current_timezone()
    return (datetime.combine(start, time.min, tzinfo=zone),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))


def choices() -> list[tuple[str, str]]:
    """Every code with its label, for forms (themes from prevention)."""
    from prevention.selectors import theme_titles

    titles = theme_titles()
    options = []
    for indicator in REGISTRY.values():
        if indicator.themed:
            for theme_id, title in titles.items():
                options.append((f"{indicator.code}:{theme_id}", str(indicator.label) % {"theme": title}))
        else:
            options.append((indicator.code, str(indicator.label)))
            if indicator.by_election:
                for election_id, title in _election_titles().items():
                    options.append((f"{indicator.code}:{election_id}", f"{indicator.label}: {title}"))
    return options
