"""Officials (seed 000 art. 4(1), 12), disputes (art. 10), open obligations at an early end (art. 8(2))
and evaluation meetings that stand alone (seed 002): rules, services, pages and who may see them."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import officials as rules
from agreements import services
from agreements.models import Dispute, Duty, EvaluationMeeting, Official
from audit.models import AuditEntry
from followup.tests.test_services import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _late_2024(time_machine):
    time_machine.move_to("2024-11-24 10:00 +07:00")


def detail(mou):
    return reverse("agreements:detail", args=[mou.pk])


def pdf(name="ikrar.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


# --- pure rules -------------------------------------------------------------------------------

TODAY = date(2024, 11, 24)


@pytest.mark.parametrize(
    ("valid_from", "previous_from", "result"),
    [
        pytest.param(date(2024, 3, 1), date(2023, 1, 2), date(2024, 2, 29), id="closes-the-day-before"),
        pytest.param(date(2024, 11, 25), None, "future", id="future"),
        pytest.param(date(2022, 8, 22), None, "before_signing", id="before-signing"),
        pytest.param(date(2023, 1, 2), date(2023, 1, 2), "before_previous", id="same-day-as-previous"),
    ],
)
def test_replacement_period(valid_from, previous_from, result):
    if isinstance(result, str):
        with pytest.raises(rules.RuleError, match=result):
            rules.replacement_period(
                valid_from=valid_from, previous_from=previous_from, signed_on=date(2022, 8, 23), today=TODAY
            )
    else:
        assert (
            rules.replacement_period(
                valid_from=valid_from, previous_from=previous_from, signed_on=date(2022, 8, 23), today=TODAY
            )
            == result
        )


@pytest.mark.parametrize(
    ("status", "outcome", "closed_on", "code"),
    [
        pytest.param("resolved", "Disepakati", date(2024, 11, 1), None, id="resolved"),
        pytest.param("open", "x", date(2024, 11, 1), "status", id="still-open"),
        pytest.param("unresolved", "  ", date(2024, 11, 1), "outcome", id="no-outcome"),
        pytest.param("resolved", "x", date(2024, 11, 25), "future", id="future"),
        pytest.param("resolved", "x", date(2024, 9, 30), "before_raised", id="before-raised"),
    ],
)
def test_check_closing(status, outcome, closed_on, code):
    call = dict(status=status, outcome=outcome, closed_on=closed_on, raised_on=date(2024, 10, 1), today=TODAY)
    if code is None:
        rules.check_closing(**call)
    else:
        with pytest.raises(rules.RuleError, match=code):
            rules.check_closing(**call)


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        pytest.param(
            "Bawaslu Kabupaten Belitung Timur; 12\nBKPSDM; Ahmad Fauzi\n\nInspektorat",
            [
                ("Bawaslu Kabupaten Belitung Timur", "", 12),
                ("BKPSDM", "Ahmad Fauzi", 1),
                ("Inspektorat", "", 1),
            ],
            id="counts-names-and-bare",
        ),
        pytest.param("; Ahmad", "line:1", id="no-institution"),
        pytest.param("Kecamatan Manggar; 0", "line:1", id="zero"),
        pytest.param("BKPSDM; 2\nKecamatan; -3", "line:2", id="negative"),
    ],
)
def test_parse_participants(text, rows):
    if isinstance(rows, str):
        with pytest.raises(rules.RuleError, match=rows):
            rules.parse_participants(text)
    else:
        assert rules.parse_participants(text) == rows
        assert rules.participant_total(rows) == 14


# --- officials ------------------------------------------------------------------------------------


def test_a_replaced_focal_point_keeps_its_row_with_the_period_closed(mou, pemda_beltim):
    first = services.official_appoint(
        agreement=mou,
        actor=pemda_beltim,
        kind="focal_point",
        name="Rina",
        role="Kepala Bidang Pengembangan SDM BKPSDM",
        phone="0812 1111",
        email="rina@example.go.id",
        valid_from=date(2022, 9, 1),
    )
    second = services.official_appoint(
        agreement=mou,
        actor=pemda_beltim,
        kind="focal_point",
        name="Budi",
        role="Kepala Bidang Pengembangan SDM BKPSDM",
        valid_from=date(2024, 3, 1),
        replaces=first,
        note="Mutasi jabatan",
    )
    first.refresh_from_db()
    assert (first.name, first.valid_from, first.valid_until) == ("Rina", date(2022, 9, 1), date(2024, 2, 29))
    assert second.replaces == first and second.is_current and second.party.position == 2
    assert AuditEntry.objects.filter(action="agreement.official_appointed").count() == 2


def test_a_new_signatory_closes_the_one_at_signing_which_stays_on_the_party(mou, staff_beltim):
    party = mou.parties.get(position=1)
    at_signing = party.signatory_name
    new = services.official_appoint(
        agreement=mou,
        actor=staff_beltim,
        kind="signatory",
        name="Ketua Baru",
        role="Ketua Bawaslu Kabupaten Belitung Timur",
        valid_from=date(2023, 9, 1),
    )
    party.refresh_from_db()
    assert party.signatory_name == at_signing
    old = new.replaces
    assert (old.name, old.valid_from, old.valid_until) == (at_signing, date(2022, 8, 23), date(2023, 8, 31))
    third = services.official_appoint(
        agreement=mou,
        actor=staff_beltim,
        kind="signatory",
        name="Ketua Ketiga",
        role="Ketua",
        valid_from=date(2024, 9, 1),
    )
    assert third.replaces == new
    assert list(Official.objects.filter(party=party, valid_until__isnull=True)) == [third]


def test_officials_are_refused_outside_the_rules(mou, staff_beltim, pemda_beltim, staff_bangka):
    theirs = services.official_appoint(
        agreement=mou,
        actor=pemda_beltim,
        kind="focal_point",
        name="Rina",
        role="Kabid",
        valid_from=date(2024, 1, 1),
    )
    with pytest.raises(PermissionDenied):  # one replaces only one's own party's officials
        services.official_appoint(
            agreement=mou,
            actor=staff_beltim,
            kind="focal_point",
            name="X",
            role="Y",
            valid_from=date(2024, 2, 1),
            replaces=theirs,
        )
    with pytest.raises(PermissionDenied):
        services.official_appoint(
            agreement=mou,
            actor=staff_bangka,
            kind="focal_point",
            name="X",
            role="Y",
            valid_from=date(2024, 2, 1),
        )
    with pytest.raises(ValidationError) as error:
        services.official_appoint(
            agreement=mou,
            actor=pemda_beltim,
            kind="focal_point",
            name="Budi",
            role="Kabid",
            valid_from=date(2023, 12, 1),
            replaces=theirs,
        )
    assert "valid_from" in error.value.message_dict
    theirs.refresh_from_db()
    assert theirs.valid_until is None and Official.objects.count() == 1


def test_the_page_shows_current_officials_history_and_contacts_to_the_parties(
    client, mou, pemda_beltim, staff_beltim, staff_bangka
):
    first = services.official_appoint(
        agreement=mou,
        actor=pemda_beltim,
        kind="focal_point",
        name="Rina Oktaviani",
        role="Kabid",
        phone="0812-555",
        valid_from=date(2022, 9, 1),
    )
    services.official_appoint(
        agreement=mou,
        actor=pemda_beltim,
        kind="focal_point",
        name="Budi Santoso",
        role="Kabid",
        phone="0813-777",
        valid_from=date(2024, 3, 1),
        replaces=first,
    )
    client.force_login(staff_beltim)
    page = client.get(detail(mou)).content.decode()
    current = page[page.index('id="officials-2"') :]
    current = current[current.index('class="current-focal-points"') :]
    current = current[: current.index("</ul>")]
    assert "Budi Santoso" in current and "0813-777" in current and "Rina Oktaviani" not in current
    assert "Rina Oktaviani" in page[page.index("official-history") :]
    client.force_login(staff_bangka)
    assert client.get(detail(mou)).status_code == 404
    response = client.post(
        reverse("agreements:official_new", args=[mou.pk]),
        {"kind": "focal_point", "name": "Z", "role": "Z", "valid_from": "2024-01-01"},
    )
    assert response.status_code == 404 and Official.objects.count() == 2


def test_the_official_form_keeps_what_was_typed_on_error(client, mou, pemda_beltim):
    client.force_login(pemda_beltim)
    response = client.post(
        reverse("agreements:official_new", args=[mou.pk]),
        {"kind": "focal_point", "name": "Dewi Lestari", "role": "", "valid_from": "2030-01-01"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Dewi Lestari"' in body and not Official.objects.exists()


def test_an_official_is_appointed_through_the_page(client, mou, pemda_beltim):
    client.force_login(pemda_beltim)
    response = client.post(
        reverse("agreements:official_new", args=[mou.pk]),
        {
            "kind": "focal_point",
            "name": "Dewi Lestari",
            "role": "Analis SDM",
            "email": "dewi@example.go.id",
            "valid_from": "2024-11-01",
        },
    )
    assert response.status_code == 302
    assert Official.objects.get().party.position == 2


# --- disputes -------------------------------------------------------------------------------------


def raise_dispute(mou, actor, **kwargs):
    return services.dispute_raise(
        agreement=mou,
        actor=actor,
        **{
            "kind": "interpretation",
            "article": "Pasal 5 ayat (2) huruf b",
            "raised_on": date(2024, 10, 1),
            "question": "Apakah penyebaran materi melalui radio termasuk kewajiban PIHAK KEDUA?",
            **kwargs,
        },
    )


def test_a_dispute_is_deliberated_and_closed_by_the_leadership(mou, staff_beltim, lead_beltim, pemda_beltim):
    dispute = raise_dispute(mou, pemda_beltim)
    assert raise_dispute(mou, pemda_beltim) == dispute  # a double submit records it once
    services.deliberation_record(
        dispute=dispute,
        actor=staff_beltim,
        held_on=date(2024, 10, 8),
        notes="Musyawarah pertama: para pihak menyampaikan pandangan.",
    )
    with pytest.raises(PermissionDenied):  # staff record deliberations; the outcome is the leadership's
        services.dispute_close(
            dispute=dispute, actor=staff_beltim, status="resolved", outcome="x", closed_on=date(2024, 10, 9)
        )
    with pytest.raises(ValidationError) as error:
        services.dispute_close(
            dispute=dispute, actor=lead_beltim, status="resolved", outcome=" ", closed_on=date(2024, 10, 9)
        )
    assert "outcome" in error.value.message_dict
    services.dispute_close(
        dispute=dispute,
        actor=lead_beltim,
        status="resolved",
        outcome="Radio termasuk media penyebaran.",
        closed_on=date(2024, 10, 9),
    )
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.RESOLVED and dispute.closed_by == lead_beltim
    with pytest.raises(ValidationError):
        services.deliberation_record(
            dispute=dispute, actor=staff_beltim, held_on=date(2024, 10, 10), notes="x"
        )
    actions = list(
        AuditEntry.objects.filter(action__startswith="agreement.d").values_list("action", flat=True)
    )
    assert actions.count("agreement.dispute_raised") == 1 and "agreement.dispute_closed" in actions


def test_a_dispute_must_say_its_article_and_question(mou, pemda_beltim):
    with pytest.raises(ValidationError) as error:
        raise_dispute(mou, pemda_beltim, article="", question="", raised_on=date(2025, 1, 1))
    assert set(error.value.message_dict) == {"article", "question", "raised_on"}


def test_the_dispute_pages_are_the_parties_only(client, mou, pemda_beltim, lead_beltim, staff_bangka):
    dispute = raise_dispute(mou, pemda_beltim)
    page = reverse("agreements:dispute", args=[mou.pk, dispute.pk])
    client.force_login(staff_bangka)
    assert client.get(page).status_code == 404
    assert (
        client.post(
            reverse("agreements:deliberation_new", args=[mou.pk, dispute.pk]),
            {"held_on": "2024-10-02", "notes": "x"},
        ).status_code
        == 404
    )
    client.force_login(lead_beltim)
    assert "Pasal 5 ayat (2) huruf b" in client.get(detail(mou)).content.decode()
    response = client.post(
        reverse("agreements:dispute_close", args=[mou.pk, dispute.pk]),
        {"status": "unresolved", "outcome": "", "closed_on": "2024-10-05"},
    )
    assert response.status_code == 400 and 'value="2024-10-05"' in response.content.decode()
    response = client.post(
        reverse("agreements:dispute_close", args=[mou.pk, dispute.pk]),
        {"status": "unresolved", "outcome": "Tidak tercapai mufakat.", "closed_on": "2024-10-05"},
    )
    assert response.status_code == 302
    assert "Tidak tercapai mufakat." in client.get(page).content.decode()


# --- open obligations at an early end ------------------------------------------------------------


def test_an_early_end_records_what_was_still_open(client, mou, lead_beltim, pemda_beltim):
    dispute = raise_dispute(mou, pemda_beltim)
    item = mou.work_plan.first()
    services.budget_line_set(item=item, actor=pemda_beltim, amount=5000000, source="APBD Kabupaten 2024")
    open_duties = Duty.objects.filter(item__agreement=mou).exclude(status="done").count()
    assert open_duties > 0
    client.force_login(lead_beltim)
    before = client.get(detail(mou)).content.decode()
    assert "open-obligations" in before and dispute.article in before
    termination = services.agreement_terminate(
        agreement=mou,
        actor=lead_beltim,
        notice_on=date(2024, 11, 20),
        effective_on=date(2024, 12, 20),
        reasons="Perubahan kebijakan.",
    )
    record = termination.open_obligations
    assert len(record["duties"]) == open_duties
    assert [row["article"] for row in record["disputes"]] == [dispute.article]
    assert record["costs"][0]["remaining"] == "5000000"
    services.dispute_close(
        dispute=dispute,
        actor=lead_beltim,
        status="resolved",
        outcome="Selesai.",
        closed_on=date(2024, 11, 24),
    )
    termination.refresh_from_db()
    assert len(termination.open_obligations["disputes"]) == 1  # the record is of the day of the end
    entry = AuditEntry.objects.get(action="agreement.terminated")
    assert entry.data["open"] == {"duties": open_duties, "disputes": 1, "costs": 1}
    page = client.get(detail(mou)).content.decode()
    assert "Rp5.000.000" in page[page.index('id="open-obligations"') :]


# --- standalone evaluation meetings ---------------------------------------------------------------


def record_meeting(actor, election, **kwargs):
    return services.standalone_meeting_record(
        actor=actor,
        election=election,
        **{
            "title": "Rapat evaluasi penanganan netralitas ASN Pemilihan 2024",
            "held_on": date(2024, 11, 20),
            "place": "Manggar",
            "minutes": "Evaluasi penanganan pelanggaran netralitas ASN.",
            "decisions": ["Sosialisasi ulang", ""],
            "participants": [("BKPSDM", "", 3), ("Inspektorat", "Andi", 1)],
            **kwargs,
        },
    )


def test_a_regency_office_records_an_evaluation_without_an_agreement(staff_beltim, election):
    meeting = record_meeting(staff_beltim, election, pledges_signed=40, upload=pdf())
    assert meeting.agreement is None and meeting.office == staff_beltim.bawaslu_office
    assert meeting.region.code == "19.06" and meeting.decisions == ["Sosialisasi ulang"]
    assert len(meeting.sha256_pledges) == 64 and meeting.pledges_evidence
    assert sum(row.count for row in meeting.participants.all()) == 4
    assert record_meeting(staff_beltim, election, pledges_signed=40, upload=pdf()) == meeting
    assert AuditEntry.objects.filter(action="agreement.standalone_meeting_recorded").count() == 1


def test_a_pledge_count_needs_evidence_and_a_ceremony_must_match(
    staff_beltim, staff_bangka, election, offices, places
):
    from prevention.models import Ceremony

    with pytest.raises(ValidationError) as error:
        record_meeting(staff_beltim, election, pledges_signed=40)
    assert "upload" in error.value.message_dict
    foreign = Ceremony.objects.create(
        title="Ikrar Bangka",
        election=election,
        held_on=date(2024, 11, 20),
        place="Sungailiat",
        office=offices["bangka"],
        region=places["bangka"],
    )
    with pytest.raises(ValidationError) as error:
        record_meeting(staff_beltim, election, ceremony=foreign)
    assert "ceremony" in error.value.message_dict
    own = Ceremony.objects.create(
        title="Ikrar Beltim",
        election=election,
        held_on=date(2024, 11, 20),
        place="Manggar",
        office=offices["beltim"],
        region=places["beltim"],
    )
    assert record_meeting(staff_beltim, election, ceremony=own).ceremony == own
    assert not EvaluationMeeting.objects.filter(pledges_signed__isnull=False).exists()


def test_the_pemda_records_one_and_a_national_account_cannot(pemda_beltim, admin_national, election):
    assert record_meeting(pemda_beltim, election).agency == pemda_beltim.agency
    with pytest.raises(PermissionDenied):
        record_meeting(admin_national, election)


def test_standalone_meetings_are_seen_within_the_jurisdiction(
    client, staff_beltim, staff_babel, staff_bangka, pemda_beltim, election
):
    meeting = record_meeting(staff_beltim, election, pledges_signed=40, upload=pdf())
    page = reverse("agreements:standalone_meeting", args=[meeting.pk])
    evidence = reverse("agreements:standalone_meeting_evidence", args=[meeting.pk])
    for user in (staff_beltim, staff_babel, pemda_beltim):
        client.force_login(user)
        assert meeting.title in client.get(reverse("agreements:standalone_meetings")).content.decode()
        body = client.get(page).content.decode()
        assert "Inspektorat" in body and "Sosialisasi ulang" in body
        assert client.get(evidence).status_code == 200
    client.force_login(staff_bangka)
    assert meeting.title not in client.get(reverse("agreements:standalone_meetings")).content.decode()
    assert client.get(page).status_code == 404 and client.get(evidence).status_code == 404


def test_the_meeting_list_filters_by_election_in_constant_queries(
    client, staff_beltim, election, django_assert_max_num_queries
):
    from rules.models import Election

    other = Election.objects.exclude(pk=election.pk).first()
    record_meeting(staff_beltim, election)
    client.force_login(staff_beltim)
    url = reverse("agreements:standalone_meetings")
    with django_assert_max_num_queries(20) as one:
        client.get(url)
    for day in (18, 19):
        record_meeting(staff_beltim, election, held_on=date(2024, 11, day))
    record_meeting(staff_beltim, other, title="Evaluasi pemilu lain", held_on=date(2024, 11, 10))
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("Rapat evaluasi penanganan") == 3 and "Evaluasi pemilu lain" in body
    body = client.get(url, {"election": election.pk}).content.decode()
    assert body.count("Rapat evaluasi penanganan") == 3 and "Evaluasi pemilu lain" not in body


def test_the_meeting_form_keeps_what_was_typed_and_records(client, staff_beltim, election):
    client.force_login(staff_beltim)
    url = reverse("agreements:standalone_meeting_new")
    data = {
        "election": election.pk,
        "title": "Evaluasi Pilkada",
        "held_on": "2024-11-20",
        "place": "Manggar",
        "participants": "BKPSDM; 3\n; Andi",
        "minutes": "Notulen",
        "decisions": "Satu",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "Evaluasi Pilkada" in response.content.decode()
    data["participants"] = "BKPSDM; 3\nInspektorat; Andi"
    response = client.post(url, data)
    meeting = EvaluationMeeting.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "agreements:standalone_meeting", args=[meeting.pk]
    )
