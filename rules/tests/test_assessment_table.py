"""Every (act, subject, stage) of the catalog against a table written from the law, on both databases.

The table is written by hand from the sources (shared/domain/README.md and the texts cited),
not generated from rules/data/: a change of the data that changes an outcome fails here
until the table, and so a reviewer, agrees. Each row: the family before and after the
candidates are determined (SKB 2022 annex II: prospective candidate = ethics, determined
candidate = discipline), the route on 1 December 2024 and one sanction that must be
offered on each side (None where the catalog truly has none and the authority records a
reasoned decision).

Stage dates: Pilkada 2024 candidates determined 22 September 2024 (domain notes);
Pemilu 2024 presidential candidates determined 13 November 2023 (reported PKPU schedule).
"""

from datetime import date

import pytest

from rules.assessment import assess
from rules.catalog import default_catalog

DECIDED = date(2024, 12, 1)  # BKN, since 24 August 2024 (Perpres 92/2024)
STAGE_DAYS = {"pilkada": (date(2024, 9, 1), date(2024, 10, 1)), "pemilu": (date(2023, 11, 1), date(2023, 12, 1))}

# ASN sanction families: ethics -> moral statement (PP 42/2004 art. 15); discipline -> PP 94/2021
# (PNS) or PP 49/2018 arts. 51-53 (PPPK); party membership -> dismissal (UU 5/2014 art. 87(4)(c),
# UU 20/2023 art. 52(3)(j)); contract staff -> their contract (SE Gubernur Babel 800/46/2024);
# village heads/officials -> UU 6/2014 arts. 30 and 52; crimes -> a court (Sentra Gakkumdu).
MORAL, PNS_HEAVY, PNS_MEDIUM = "moral-statement-closed", "pns-demotion-12-months", "pns-allowance-cut-6-months"
PPPK, CONTRACT, CONTRACT_ROUTE = "pppk-discipline", "contract-staff-per-contract", "ppk"
STAGED_ASN = {  # SKB 2022: ethics about a prospective candidate, discipline about a determined one
    "pns": ("ethics", "discipline", "bkn", MORAL, PNS_HEAVY),
    "pppk": ("ethics", "discipline", "bkn", MORAL, PPPK),
}
STAGED_SE = {**STAGED_ASN, "contract": ("ethics", "discipline", CONTRACT_ROUTE, CONTRACT, CONTRACT)}
HEAVY = {"pns": ("discipline", "discipline", "bkn", PNS_HEAVY, PNS_HEAVY),
         "pppk": ("discipline", "discipline", "bkn", PPPK, PPPK)}
MEDIUM = {"pns": ("discipline", "discipline", "bkn", PNS_MEDIUM, PNS_MEDIUM),
          "pppk": ("discipline", "discipline", "bkn", PPPK, PPPK)}
VILLAGE = {
    "village_head": ("administrative", "administrative", "regional-head", "village-head-warning",
                     "village-head-warning"),
    "village_official": ("administrative", "administrative", "regional-head", "village-official-warning",
                         "village-official-warning"),
}


def crime(sanction, *subjects):
    return {subject: ("crime", "crime", "gakkumdu", sanction, sanction) for subject in subjects}


TABLE = {
    # Governor's circular 800/46/2024 letters a, b, d, f, g (ASN and contract staff), by stage.
    "banner-support": STAGED_SE,
    "social-media-campaign": STAGED_SE,
    "declaration-campaign-support": STAGED_SE,
    "campaign-account-engagement": STAGED_SE,
    "partisan-photo": STAGED_SE,
    # Letter c: approaching parties (discipline, SKB annex II); letter h: partisan activities (PP 94/2021
    # art. 5 n 6, heavy); letter e: party membership (dismissal); item 2: influencing others (ethics).
    "party-candidate-approach": {**{k: ("discipline", "discipline", "bkn", v, v) for k, v in
                                    (("pns", PNS_MEDIUM), ("pppk", PPPK))},
                                 "contract": ("discipline", "discipline", CONTRACT_ROUTE, CONTRACT, CONTRACT)},
    "partisan-activity": {**HEAVY, "contract": ("discipline", "discipline", CONTRACT_ROUTE, CONTRACT, CONTRACT)},
    "party-membership": {
        "pns": ("discipline", "discipline", "bkn", "pns-dismissal-not-with-honour", "pns-dismissal-not-with-honour"),
        "pppk": ("discipline", "discipline", "bkn", "pppk-termination-not-with-honour",
                 "pppk-termination-not-with-honour"),  # UU 20/2023 art. 52(3)(j), PNS and PPPK alike
        "contract": ("discipline", "discipline", CONTRACT_ROUTE, CONTRACT, CONTRACT),
        **VILLAGE,  # UU 6/2014 arts. 29(g) and 51(g): party office
    },
    "influencing-others": {**{k: ("ethics", "ethics", "bkn", MORAL, MORAL) for k in ("pns", "pppk")},
                           "contract": ("ethics", "ethics", CONTRACT_ROUTE, CONTRACT, CONTRACT)},
    # SKB 2022 annex II, ethics acts about a prospective candidate (by stage).
    "candidate-introduction-event": STAGED_ASN,
    "campaign-account-following": STAGED_ASN,
    "spouse-campaign-without-leave": {k: ("ethics", "ethics", "bkn", MORAL, MORAL) for k in ("pns", "pppk")},
    # SKB 2022 annex II, discipline acts.
    "self-promotion-banner": {"pns": ("discipline", "discipline", "bkn", PNS_MEDIUM, PNS_MEDIUM),
                              "pppk": HEAVY["pppk"]},
    "self-declaration-candidate": {"pns": ("discipline", "discipline", "bkn", PNS_MEDIUM, PNS_MEDIUM),
                                   "pppk": HEAVY["pppk"]},
    "declaration-party-attributes": {"pns": ("discipline", "discipline", "bkn", PNS_MEDIUM, PNS_MEDIUM),
                                     "pppk": HEAVY["pppk"]},
    "party-meeting-speaker": {"pns": ("discipline", "discipline", "bkn", PNS_MEDIUM, PNS_MEDIUM),
                              "pppk": HEAVY["pppk"]},
    "campaign-team-member": HEAVY,
    "candidate-not-resigned": {k: ("discipline", "discipline", "bkn", None, None) for k in ("pns", "pppk")},
    "budget-misuse": HEAVY,
    "voter-mobilisation": {**HEAVY, **VILLAGE},  # PP 94/2021 art. 5 n 6; UU 6/2014 arts. 29(j), 51(j)
    # PP 94/2021 art. 5 letter n points 1-7: point 2 medium (art. 13 g), 3-7 heavy (art. 14 i).
    "campaign-participation": MEDIUM,
    "campaign-with-attributes": MEDIUM,
    "campaign-mobilising-pns": HEAVY,
    "campaign-state-facilities": HEAVY,
    "decision-favouring-candidate": HEAVY,
    "partiality-activities": HEAVY,
    "support-letter-id-card": HEAVY,
    # Crimes: UU 1/2015 arts. 71(1) and 188 reach state officials, ASN officials and village heads.
    "pilkada-official-decision": crime("crime-pilkada-art-188", "pns", "pppk", "state_official", "village_head"),
    # UU 7/2017 art. 280(2)(f)-(j), (3) and art. 494: ASN, village heads and officials on campaign teams.
    "pemilu-campaign-team": crime("crime-pemilu-art-494", "pns", "pppk", "village_head", "village_official"),
    # Art. 282 with art. 547 reaches state officials only, with art. 490 village heads; ASN: art. 283,
    # an administrative ban handled as discipline.
    "pemilu-official-partiality": {
        **crime("crime-pemilu-art-547", "state_official"), **crime("crime-pemilu-art-490", "village_head"),
        "pns": HEAVY["pns"], "pppk": HEAVY["pppk"],
    },
    # UU 1/2015 art. 187A: "every person" (the MoU's theme 1.b, money politics).
    "money-politics": crime("crime-pilkada-art-187a", "pns", "pppk", "contract", "village_head",
                            "village_official", "state_official"),
    # UU 1/2015 arts. 69 and 187(2) / UU 7/2017 arts. 280(1) and 521 (theme 1.c, black campaigning).
    "black-campaign": crime("crime-pilkada-black-campaign", "pns", "pppk", "contract", "village_head",
                            "village_official", "state_official"),
    # UU 6/2014 arts. 29(j) and 51(j): village heads and officials, never BKN.
    "village-campaign-involvement": VILLAGE,
}
REGIME = {"pemilu-campaign-team": "pemilu", "pemilu-official-partiality": "pemilu"}
ROWS = [(act, subject, *expected) for act, subjects in TABLE.items() for subject, expected in subjects.items()]


def test_the_table_covers_every_act_and_subject_of_the_catalog():
    catalog = default_catalog()
    in_catalog = {(act_id, subject) for act_id, act in catalog.violations.items() for subject in act.subjects}
    assert in_catalog == {(act, subject) for act, subject, *_rest in ROWS}


@pytest.mark.django_db
@pytest.mark.parametrize(("act", "subject", "before", "after", "route", "sanction_before", "sanction_after"), ROWS,
                         ids=[f"{row[0]}-{row[1]}" for row in ROWS])
def test_the_assessment_follows_the_law(act, subject, before, after, route, sanction_before, sanction_after):
    catalog = default_catalog()
    regime = REGIME.get(act, "pilkada")
    for day, family, sanction in zip(STAGE_DAYS[regime], (before, after), (sanction_before, sanction_after)):
        answer = assess(catalog, act=act, subject=subject, regime=regime, act_date=day, decided_on=DECIDED)
        assert answer.applicable
        assert answer.family == family, (day, answer.explanation("en"))
        assert answer.route is not None and answer.route.authority == route
        offered = [entry.id for entry in answer.sanctions]
        if sanction is None:
            assert offered == [] and "reasoned decision" in answer.explanation("en")
        else:
            assert sanction in offered, (day, offered)
        assert answer.legal_bases, "every answer cites its legal basis"
        if not catalog.subjects[subject].asn:
            assert route not in ("kasn", "bkn")


@pytest.mark.parametrize("subject", ["contract", "village_head", "village_official", "state_official"])
def test_no_act_sends_a_non_asn_to_the_civil_service_authority(subject):
    catalog = default_catalog()
    for act in catalog.violations.values():
        if subject in act.subjects:
            for regime in act.regimes or tuple(catalog.regimes):
                for day in STAGE_DAYS.get(regime, STAGE_DAYS["pilkada"]):
                    answer = assess(catalog, act=act.id, subject=subject, regime=regime, act_date=day)
                    assert answer.route is None or answer.route.outcome != "forwarded_authority"


def test_kasn_received_asn_cases_until_23_august_2024():
    catalog = default_catalog()
    answer = assess(catalog, act="campaign-mobilising-pns", subject="pppk", regime="pemilu",
                    act_date=date(2024, 1, 10), decided_on=date(2024, 2, 1))
    assert answer.route.authority == "kasn"


def test_an_act_that_does_not_reach_a_subject_says_which_acts_do():
    answer = assess(default_catalog(), act="social-media-campaign", subject="village_head", regime="pilkada",
                    act_date=date(2024, 10, 1))
    assert not answer.applicable and answer.route is None and answer.sanctions == ()
    assert "village-campaign-involvement" in [act.id for act in answer.alternatives]
    assert "Kepala desa atau perangkat desa ikut serta" in answer.explanation("id")
