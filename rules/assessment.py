"""What the law says about one act by one kind of person on one date: the assessment.

Pure: it reads a rules.catalog.Catalog and nothing else. The public endpoint
``GET /api/v1/assessment``, the public catalog page, the case decision and the follow-up
sanction choices all call ``assess``, so what the endpoint answers is exactly what staff
may choose.

The steps, each from the data:

1. the act (violations.yaml) must be in force on the act's date and exist in the regime;
2. the subject (subjects.yaml) must be one the act reaches; its overrides apply;
3. the family: the subject's own, the act's fixed one, or, for an act whose family
   depends on the stage, the family before or after the stage's start in the election
   of the regime that the act's date belongs to (elections.yaml);
4. the sanctions of that family that apply to the subject, in force on the decision date;
5. the legal bases in force on the act's date (UU 20/2023 replaces UU 5/2014 by date);
6. the route (routes.yaml) for the subject and family in force on the decision date.

Where the catalog has nothing (no sanction, no route, an unknown stage date), the answer
says so in its explanation and is never an error: the authority then records a reasoned
decision with its own legal basis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rules.catalog import (
    Authority,
    Catalog,
    Election,
    LegalBasis,
    Route,
    Sanction,
    Subject,
    SubjectRule,
    Text,
    Violation,
)
from rules.deadlines import format_day

# Criminal penalties are for a court; the PPK and the authority choose among the others.
NOT_BY_PPK = frozenset({"criminal"})


class AssessmentError(ValueError):
    """An unknown act, subject, regime or election: ``param`` names the parameter."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class Assessment:
    act: Violation
    subject: Subject
    regime: str
    act_date: date
    decided_on: date
    applicable: bool
    family: str | None
    election: Election | None
    stage: str | None
    stage_start: date | None
    sanctions: tuple[Sanction, ...]
    legal_bases: tuple[LegalBasis, ...]
    route: Route | None
    authority: Authority | None
    verified: bool
    reasons: tuple[str, ...] = field(default=())  # codes of what the catalog lacks
    stage_title: Text | None = None
    alternatives: tuple[Violation, ...] = ()  # acts that do reach the subject, when this one does not
    family_phrase: Text | None = None  # the family in a sentence (families.yaml)

    @property
    def ppk_sanctions(self) -> tuple[Sanction, ...]:
        """The sanctions an authority may recommend and a PPK impose (no court penalty)."""
        return tuple(sanction for sanction in self.sanctions if sanction.family not in NOT_BY_PPK)

    def explanation(self, language: str = "id") -> str:
        lang = "en" if language.startswith("en") else "id"
        act, subject = self.act.title.get(lang), self.subject.title.get(lang)
        day = format_day(self.act_date, lang)
        parts: list[str] = []
        if not self.applicable:
            parts.append(_NOT_APPLICABLE[lang][self.reasons[0]].format(act=act, subject=subject, day=day,
                                                                         regime=self.regime))
            if self.alternatives:
                parts.append(_WORDS[lang]["alternatives"].format(
                    subject=subject, acts="; ".join(f"“{other.title.get(lang)}”" for other in self.alternatives)))
            return " ".join(parts)
        if self.family is None:
            parts.append(_WORDS[lang]["no_stage"].format(act=act, subject=subject, day=day))
        else:
            stage = ""
            if self.stage and self.stage_start:
                key = "before" if self.act_date < self.stage_start else "after"
                stage = _WORDS[lang][key].format(stage=self.stage_title.get(lang) if self.stage_title else self.stage, start=format_day(self.stage_start, lang))
            parts.append(_WORDS[lang]["family"].format(subject=subject, act=act, day=day, stage=stage,
                                                       family=self.family_phrase.get(lang)))
        if self.legal_bases:
            parts.append(_WORDS[lang]["bases"].format(bases="; ".join(basis.citation for basis in self.legal_bases)))
        if self.sanctions:
            parts.append(_WORDS[lang]["sanctions"].format(
                sanctions="; ".join(sanction.title.get(lang) for sanction in self.sanctions)))
        elif self.family is not None:
            parts.append(_WORDS[lang]["no_sanctions"])
        if self.route and self.authority:
            parts.append(_WORDS[lang]["route"].format(authority=self.authority.name.get(lang),
                                                      why=self.route.explanation.get(lang)))
        elif self.family is not None:
            parts.append(_WORDS[lang]["no_route"])
        if not self.verified:
            parts.append(_WORDS[lang]["unverified"])
        return " ".join(parts)

    def as_dict(self, language: str = "id") -> dict:
        lang = "en" if language.startswith("en") else "id"
        return {
            "act": self.act.id, "subject": self.subject.id, "regime": self.regime,
            "date": self.act_date.isoformat(), "on": self.decided_on.isoformat(),
            "applicable": self.applicable, "family": self.family,
            "election": self.election.id if self.election else None,
            "stage": {"id": self.stage, "start": self.stage_start.isoformat(),
                      "before": self.act_date < self.stage_start} if self.stage and self.stage_start else None,
            "sanctions": [{"id": s.id, "title": s.title.get(lang), "family": s.family, "level": s.level,
                           "verified": s.verified} for s in self.sanctions],
            "route": self.route.authority if self.route else None,
            "route_outcome": self.route.outcome if self.route else None,
            "route_explanation": self.route.explanation.get(lang) if self.route else None,
            "legal_bases": [{"id": b.id, "citation": b.citation, "verified": b.verified} for b in self.legal_bases],
            "verified": self.verified, "explanation": self.explanation(lang),
        }


_WORDS = {
    "id": {
        "family": "Bagi {subject}, “{act}” pada {day}{stage} termasuk {family}.",
        "before": " (sebelum {stage} pada {start})",
        "after": " (pada atau sesudah {stage} pada {start})",
        "no_stage": ("Bagi {subject}, jenis pelanggaran “{act}” pada {day} bergantung pada tahapan pemilihan, "
                     "tetapi tanggal tahapan itu belum tercatat: lengkapi data pemilihan."),
        "bases": "Dasar hukum: {bases}.",
        "sanctions": "Sanksi yang dapat dijatuhkan: {sanctions}.",
        "no_sanctions": ("Katalog tidak memuat sanksi untuk ini: otoritas mencatat keputusan beralasan beserta "
                         "dasar hukumnya."),
        "route": "Diteruskan kepada {authority}: {why}",
        "no_route": "Katalog tidak menentukan ke mana perkara ini diteruskan: putuskan dengan alasan.",
        "unverified": "Sebagian data ini belum diverifikasi dari teks peraturan.",
        "alternatives": "Larangan yang berlaku bagi {subject}: {acts}.",
    },
    "en": {
        "family": "For {subject}, “{act}” on {day}{stage} is {family}.",
        "before": " (before the {stage} on {start})",
        "after": " (on or after the {stage} on {start})",
        "no_stage": ("For {subject}, the family of “{act}” on {day} depends on the election's stage, but the "
                     "stage's date is not recorded: complete the election's data."),
        "bases": "Legal basis: {bases}.",
        "sanctions": "Sanctions that can follow: {sanctions}.",
        "no_sanctions": ("The catalog holds no sanction for this: the authority records a reasoned decision with "
                         "its legal basis."),
        "route": "Forwarded to {authority}: {why}",
        "no_route": "The catalog does not say where this goes: decide with reasons.",
        "unverified": "Part of this data has not been verified against the regulation's text.",
        "alternatives": "Prohibitions that apply to {subject}: {acts}.",
    },
}
_NOT_APPLICABLE = {
    "id": {
        "subject": "“{act}” tidak berlaku bagi {subject} menurut katalog.",
        "regime": "“{act}” tidak berlaku dalam rezim pemilihan “{regime}”.",
        "date": "“{act}” tidak berlaku pada {day}.",
    },
    "en": {
        "subject": "“{act}” does not apply to {subject} in the catalog.",
        "regime": "“{act}” does not apply under the election regime “{regime}”.",
        "date": "“{act}” was not in force on {day}.",
    },
}


def election_for(catalog: Catalog, regime: str, on: date) -> Election | None:
    """The election of a regime that a day belongs to: the first whose voting day is on or
    after it, else the latest one before it."""
    elections = sorted((e for e in catalog.elections.values() if e.regime == regime), key=lambda e: e.voting_day)
    coming = [e for e in elections if e.voting_day >= on]
    if coming:
        return coming[0]
    return elections[-1] if elections else None


def assess(catalog: Catalog, *, act: str, subject: str, regime: str, act_date: date,
           decided_on: date | None = None, election: str | None = None) -> Assessment:
    """The assessment of one act by one kind of person; AssessmentError for an unknown id."""
    violation = catalog.violations.get(act)
    if violation is None:
        raise AssessmentError("act", f"unknown act {act!r}")
    person = catalog.subjects.get(subject)
    if person is None:
        raise AssessmentError("subject", f"unknown subject {subject!r} (known: {', '.join(catalog.subjects)})")
    if regime not in catalog.regimes:
        raise AssessmentError("regime", f"unknown regime {regime!r} (known: {', '.join(catalog.regimes)})")
    chosen = None
    if election is not None:
        chosen = catalog.elections.get(election)
        if chosen is None or chosen.regime != regime:
            raise AssessmentError("election", f"unknown election {election!r} for regime {regime!r}")
    decided_on = decided_on or act_date

    def refused(reason: str) -> Assessment:
        return Assessment(act=violation, subject=person, regime=regime, act_date=act_date, decided_on=decided_on,
                          applicable=False, family=None, election=chosen, stage=None, stage_start=None,
                          sanctions=(), legal_bases=(), route=None, authority=None, verified=violation.verified,
                          reasons=(reason,), alternatives=tuple(
                              other for other in catalog.violations.values()
                              if subject in other.subjects and other.applies_in(regime) and other.in_force(act_date)))

    rule = violation.subjects.get(subject)
    if rule is None:
        return refused("subject")
    if not violation.applies_in(regime):
        return refused("regime")
    if not violation.in_force(act_date):
        return refused("date")

    stage = stage_start = None
    family: str | None
    verified = violation.verified and (rule.verified is not False)
    reasons: list[str] = []
    if rule.family:
        family = rule.family
    elif violation.family_by_stage is None:
        family = violation.family
    else:
        by_stage = violation.family_by_stage
        chosen = chosen or election_for(catalog, regime, act_date)
        stage = by_stage.stage
        stage_start = chosen.stage_start(stage) if chosen else None
        if stage_start is None:
            family = None
            reasons.append("stage")
        else:
            family = by_stage.before if act_date < stage_start else by_stage.after
            verified = verified and chosen.verified

    sanctions = _sanctions(catalog, violation, rule, family, subject, regime, decided_on) if family else ()
    if family is not None and not sanctions:
        reasons.append("sanctions")
    bases = tuple(
        catalog.legal_bases[pk] for pk in dict.fromkeys(violation.legal_bases + rule.legal_bases)
        if catalog.legal_bases[pk].in_force(act_date)
        and (not catalog.legal_bases[pk].regimes or regime in catalog.legal_bases[pk].regimes)
    )
    route = None
    if family is not None:
        route = route_for(catalog, subject, family, decided_on)
        if route is None:
            reasons.append("route")
        else:
            verified = verified and route.verified
    return Assessment(
        act=violation, subject=person, regime=regime, act_date=act_date, decided_on=decided_on, applicable=True,
        family=family, election=chosen, stage=stage, stage_start=stage_start, sanctions=sanctions,
        legal_bases=bases, route=route, authority=catalog.authorities[route.authority] if route else None,
        verified=verified, reasons=tuple(reasons),
        stage_title=catalog.stages[stage].title if stage else None,
        family_phrase=catalog.families[family].phrase if family else None,
    )


def _sanctions(catalog: Catalog, violation: Violation, rule: SubjectRule, family: str, subject: str,
               regime: str | None, on: date | None) -> tuple[Sanction, ...]:
    """The sanctions of one family of an act for one subject, in force on ``on``."""
    ids = rule.sanctions if rule.sanctions is not None else violation.sanctions_by_family.get(family, ())
    found = (catalog.sanctions[pk] for pk in ids)
    return tuple(sanction for sanction in found
                 if subject in sanction.applies_to and sanction.in_force(on)
                 and (regime is None or not sanction.regimes or regime in sanction.regimes))


def route_for(catalog: Catalog, subject: str, family: str, on: date | None) -> Route | None:
    """The route in force on ``on`` for a subject and a family (at most one: the catalog checks)."""
    return next((route for route in catalog.routes.values()
                 if subject in route.subjects and family in route.families and route.in_force(on)), None)


@dataclass(frozen=True)
class ProfileRow:
    """What an act means for one subject and, for an act that depends on the stage, one side of it."""

    subject: Subject
    family: str
    when: str | None  # "before" or "after" the stage, for an act whose family depends on it
    stage_title: Text | None
    sanctions: tuple[Sanction, ...]
    route: Route | None
    authority: Authority | None
    note: Text | None
    verified: bool


def act_profile(catalog: Catalog, act: str, on: date) -> list[ProfileRow]:
    """Every subject the act reaches, each family it can have, its sanctions and route on ``on``.

    The public catalog page shows this; ``assess`` answers for one date and subject.
    """
    violation = catalog.violations[act]
    rows = []
    for subject_id, rule in violation.subjects.items():
        if rule.family:
            sides = [(rule.family, None)]
        elif violation.family_by_stage:
            sides = [(violation.family_by_stage.before, "before"), (violation.family_by_stage.after, "after")]
        else:
            sides = [(violation.family, None)]
        for family, when in sides:
            route = route_for(catalog, subject_id, family, on)
            rows.append(ProfileRow(
                subject=catalog.subjects[subject_id], family=family, when=when,
                stage_title=catalog.stages[violation.family_by_stage.stage].title if when else None,
                sanctions=_sanctions(catalog, violation, rule, family, subject_id, None, on),
                route=route, authority=catalog.authorities[route.authority] if route else None,
                note=rule.note, verified=rule.verified is not False and (route is None or route.verified),
            ))
    return rows
