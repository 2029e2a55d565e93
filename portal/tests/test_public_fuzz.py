"""Hostile input to every public form and query parameter, generated (hypothesis; issue 16).

Random Unicode, control characters, over-long values, wrong types and odd multipart bodies
go to the public pages a reporter or an ASN can reach without an account: the report form,
the register search, tracking (code, messages, withdrawal), the pledge, check-in and its
test, the deadline calculator, the follow-up register, statistics and open data, the
library, the language switch, the staff login and password reset. Two properties:

- no server error: every answer is below 500 (a refusal is a 4xx with a message; a NUL
  byte in a query parameter may get a plain 400);
- nothing half-written: a refused submission leaves every record table as it was, and an
  accepted report is whole (its persons, its status history and its audit entry).

The public API is fuzzed against its own OpenAPI schema in api/tests/test_schema_fuzz.py.
The run is bounded and reproducible (``derandomize``), so that it fits the normal suite on
both databases; ``NETRAL_FUZZ_EXAMPLES=500`` explores further, with new examples, by hand.
"""

import os
from urllib.parse import quote, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from audit.models import AuditEntry
from portal.tests.world import world  # noqa: F401 (fixture)
from prevention.models import Attendance, Pledge, TestScore
from reports.models import (
    Attachment,
    EvidenceBlob,
    IdentityRequest,
    Message,
    Report,
    ReportedPerson,
    ReportLink,
    StatusChange,
)
from reports.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db
# CI: 20 examples a test, the same ones every run. By hand, NETRAL_FUZZ_EXAMPLES=500 draws new ones each run.
EXAMPLES = int(os.environ.get("NETRAL_FUZZ_EXAMPLES", "20"))
fuzz = hypothesis_settings(
    max_examples=EXAMPLES, deadline=None, derandomize="NETRAL_FUZZ_EXAMPLES" not in os.environ, database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)

# --- What an attacker types ------------------------------------------------------------------

NASTY = [
    "", " ", "\t", "\x00", "\x00abc", "abc\x00", "\x01\x02\x03\x7f", "\x1b[31mred", "a\r\nSet-Cookie: x=1", "\u202egpj.exe",
    "\ufeff", "\u200b", "\u2028", "%00", "%", "%%", "%(name)s", "{{ 7*7 }}", "{% debug %}", "<script>alert(1)</script>",
    "'; DROP TABLE reports_report; --", "\" OR \"1\"=\"1", "=cmd|' /C calc'!A0", "../../../../etc/passwd",
    "\\\\server\\share", "-1", "0", "1e309", "NaN", "Infinity", "99999999999999999999999", "2024-02-30", "0000-00-00",
    "9999-12-31", "0001-01-01", "10000-01-01", "2024-11-22T25:61", "true", "null", "[]", "{}", "İı", "ǅ",
    "\U0001F600" * 40, "ß" * 300, "9" * 400, "javascript:alert(1)", "https://example.org/" + "a" * 2100,
    "data:image/png;base64,AAAA", "data:image/png;base64," + "A" * 5000, "http://[::1]:0/",
]
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from("\x7f\x85\u2028\u2029\u202e\u200b\ufeff")
# Any Unicode but lone surrogates, which no browser can send as UTF-8.
hostile = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.text(alphabet=CONTROL | st.characters(codec="utf-8"), min_size=1, max_size=30),
    st.builds(lambda chunk, times: chunk * times, st.text(min_size=1, max_size=4), st.integers(250, 3000)),
)
param_names = st.one_of(st.sampled_from(["page", "q", "election", "x[]", "", "\x00", "a" * 300]), st.text(max_size=12))
extra_params = st.dictionaries(param_names, hostile, max_size=3)

JPEG = jpeg_bytes()
file_names = st.one_of(
    st.sampled_from(["bukti.jpg", "", ".jpg", "a" * 400 + ".jpg", "..\\..\\x.jpg", "../../x.jpg", "foto\u202egpj.exe",
                     "bukti\x00.jpg", "rekaman.hta", "bukti_video.bat", "c:\\fakepath\\b.png", "\r\n.jpg", "\"x\".jpg"]),
    st.text(max_size=30),
)
file_bodies = st.one_of(st.binary(max_size=600), st.just(JPEG), st.just(b""),
                        st.integers(1, len(JPEG) - 1).map(lambda cut: JPEG[:cut]), st.just(b"%PDF-1.4\n%%EOF"),
                        st.just(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64))
content_types = st.sampled_from(["image/jpeg", "application/octet-stream", "text/html", "video/mp4", "image/svg+xml",
                                 "application/pdf"])
uploads = st.lists(st.builds(lambda name, body, kind: SimpleUploadedFile(name or "x", body, content_type=kind),
                             file_names, file_bodies, content_types), max_size=3)


def records() -> dict[str, int]:
    """Rows of every table a public submission may write."""
    return {model._meta.label: model.objects.count() for model in (
        Report, ReportedPerson, ReportLink, Attachment, EvidenceBlob, StatusChange, Message, IdentityRequest,
        AuditEntry, Pledge, Attendance, TestScore)}


def no_server_error(response, what=""):
    assert response.status_code < 500, (what, response.status_code)
    return response


@pytest.fixture
def open_limits(settings):
    """Wrong codes and identities are budgeted; the fuzzing tries far more than a person could."""
    settings.NETRAL_TRACKING_FAILURES_PER_SESSION = settings.NETRAL_TRACKING_FAILURES_PER_ADDRESS = "100000/m"
    settings.NETRAL_PREVENTION_FAILURES_PER_SESSION = settings.NETRAL_PREVENTION_FAILURES_PER_ADDRESS = "100000/m"


# --- Query parameters ------------------------------------------------------------------------------

PAGES = {
    "register search": ("reports:employee_search", ["q", "target"]),
    "place search": ("reports:region_search", ["region_name", "q"]),
    "reported person row": ("reports:person_row", ["index"]),
    "report form": ("reports:submit", []),
    "tracking": ("reports:track", []),
    "deadline calculator": ("portal:deadline_calculator", ["regime", "step", "start"]),
    "follow-up register": ("portal:followup_register", ["election", "region", "agency", "agency_name", "status",
                                                        "page"]),
    "register agency search": ("portal:register_agencies", ["agency_name", "q"]),
    "statistics": ("portal:statistics", ["election"]),
    "open data": ("portal:open_data", []),
    "announcements": ("portal:announcements", ["page"]),
    "library": ("prevention:library", ["q", "kind", "theme", "page"]),
    "pledge": ("prevention:pledge_start", []),
    "home": ("portal:home", []),
    "rules": ("portal:rules", []),
    "rules not yet verified": ("portal:rules_unverified", []),
}
DOWNLOADS = {
    "register csv": ("portal:open_data_register", "csv", ["election", "region", "agency", "agency_name", "status"]),
    "register json": ("portal:open_data_register", "json", ["election", "region", "agency", "agency_name",
                                                            "status"]),
    "statistics csv": ("portal:open_data_statistics", "csv", ["election"]),
    "statistics json": ("portal:open_data_statistics", "json", ["election"]),
}


@pytest.mark.parametrize("page", list(PAGES))
@fuzz
@given(data=st.data())
def test_no_query_parameter_breaks_a_public_page(client, world, page, data):
    name, params = PAGES[page]
    query = {param: data.draw(hostile, label=param) for param in params if data.draw(st.booleans())}
    query.update(data.draw(extra_params, label="extra"))
    no_server_error(client.get(reverse(name), query), page)


@pytest.mark.parametrize("download", list(DOWNLOADS))
@fuzz
@given(data=st.data())
def test_no_query_parameter_breaks_an_open_data_download(client, world, download, data):
    name, fmt, params = DOWNLOADS[download]
    query = {param: data.draw(hostile, label=param) for param in params}
    query.update(data.draw(extra_params, label="extra"))
    response = no_server_error(client.get(reverse(name, args=[fmt]), query), download)
    if response.status_code == 200:
        b"".join(response.streaming_content)  # the stream is where a late error would surface


PATHS = ["/ikrar/cek/{}/", "/hadir/{}/", "/hadir/{}/selesai/", "/hadir/{}/tes/pre/", "/larangan/{}/",
         "/pengumuman/{}/surat.pdf", "/materi/{}/berkas/", "/lacak/status/berkas/{}/"]


@pytest.mark.parametrize("path", PATHS)
@fuzz
@given(token=hostile)
def test_no_path_segment_breaks_a_public_page(client, world, path, token):
    no_server_error(client.get(path.format(quote(token, safe=""))), path)


# --- The report form -----------------------------------------------------------------------------

def report_form(world, places) -> dict:
    """A complete, valid POST of the public report form."""
    from reports.tracking import new_submission_token

    return {
        "submission_token": new_submission_token(), "identity": "identified", "reporter_name": "Siti Aminah",
        "reporter_address": "Jl. Merdeka 1, Manggar", "reporter_nik": "1906014107850001",
        "reporter_phone": "0812 3456 7890", "reporter_email": "siti@example.org", "election": world.election.pk,
        "region": places["manggar"].pk, "place": "Balai Desa Lalang", "occurred_on": "2024-11-10",
        "known_on": "2024-11-11", "violations": [world.violation.pk], "links": "https://facebook.com/post/123",
        "description": "Seorang kepala dinas memasang baliho calon bupati di depan kantornya.", "truthful": "on",
        "persons-TOTAL_FORMS": "1", "persons-INITIAL_FORMS": "0", "persons-MIN_NUM_FORMS": "1",
        "persons-MAX_NUM_FORMS": "5", "persons-0-employee": "", "persons-0-name": "Budi Santoso",
        "persons-0-position": "Kepala Dinas", "persons-0-unit": "Dinas Kesehatan",
    }


REPORT_FIELDS = ["submission_token", "identity", "reporter_name", "reporter_address", "reporter_nik", "reporter_phone",
                 "reporter_email", "election", "region", "region_name", "place", "occurred_on", "known_on", "violations", "links",
                 "description", "truthful", "keep_staged", "persons-TOTAL_FORMS", "persons-INITIAL_FORMS",
                 "persons-MAX_NUM_FORMS", "persons-0-employee", "persons-0-name", "persons-0-position",
                 "persons-0-unit", "persons-1-name", "persons-7-name"]


def assert_whole_or_nothing(response, before: dict):
    """An accepted report is whole; a refused one wrote nothing."""
    after = records()
    if response.status_code == 200 and response.context and response.context.get("code"):
        report = Report.objects.order_by("-id").first()
        assert after["reports.Report"] == before["reports.Report"] + 1
        assert report.reported_persons.exists() and report.status_changes.count() == 1
        assert AuditEntry.objects.filter(action="report.submitted", target_id=str(report.pk)).count() == 1
    else:
        assert after == before, response.status_code


@fuzz
@given(data=st.data())
def test_the_report_form_takes_a_whole_report_or_nothing(client, world, places, open_limits, data):
    form = report_form(world, places)
    for field in data.draw(st.lists(st.sampled_from(REPORT_FIELDS), min_size=1, max_size=4, unique=True)):
        form[field] = data.draw(st.one_of(hostile, st.lists(hostile, max_size=3)), label=field)
    files = data.draw(uploads, label="evidence")
    if files:
        form["evidence"] = files
    before = records()
    response = no_server_error(client.post(reverse("reports:submit"), form), "report form")
    assert_whole_or_nothing(response, before)


@st.composite
def multipart_bodies(draw, fields: dict):
    """A multipart body as a careless client, a broken proxy or an attacker writes it."""
    boundary = draw(st.sampled_from(["----netralfuzz", "x", "a" * 80, "----netral fuzz", "--"]))
    parts = []
    for name, value in fields.items():
        parts.append(f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}'.encode())
    for _ in range(draw(st.integers(0, 4))):
        header = draw(st.sampled_from([
            'Content-Disposition: form-data; name="evidence"; filename="{n}"\r\nContent-Type: image/jpeg',
            "Content-Disposition: form-data; name=\"evidence\"; filename*=UTF-8''{n}",
            'Content-Disposition: form-data; name="{n}"',
            'Content-Disposition: attachment; filename="{n}"',
            'Content-Type: text/plain',
            'Content-Disposition: form-data; name="evidence"; filename="{n}"\r\nContent-Transfer-Encoding: base64',
            'Content-Disposition: form-data; name="description"\r\nContent-Type: text/plain; charset=utf-16',
        ])).replace("{n}", draw(st.text(max_size=20)).replace("\r", "").replace("\n", ""))
        raw = header.encode("utf-8", "surrogateescape") + b"\r\n\r\n" + draw(st.one_of(st.binary(max_size=300),
                                                                                    st.just(JPEG)))
        parts.append(draw(st.sampled_from([raw, raw.replace(b"utf-8", b"\xff\xfe"), b"\xc3\x28" + raw])))
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    body += draw(st.sampled_from([b"--" + boundary.encode() + b"--\r\n", b"", b"--" + boundary.encode(), b"--\r\n"]))
    cut = draw(st.one_of(st.none(), st.integers(0, len(body))))
    content_type = draw(st.sampled_from([f"multipart/form-data; boundary={boundary}",
                                         f'multipart/form-data; boundary="{boundary}"', "multipart/form-data",
                                         f"multipart/form-data; boundary={boundary}; charset=\x7f",
                                         "multipart/mixed; boundary=x", "application/x-www-form-urlencoded",
                                         "text/plain"]))
    return (body if cut is None else body[:cut]), content_type


@fuzz
@given(data=st.data())
def test_odd_multipart_bodies_to_the_report_form_break_nothing(client, world, places, open_limits, data):
    form = {key: value for key, value in report_form(world, places).items() if not isinstance(value, list)}
    body, content_type = data.draw(multipart_bodies(form))
    before = records()
    response = no_server_error(client.generic("POST", reverse("reports:submit"), body, content_type=content_type))
    assert_whole_or_nothing(response, before)


# --- Tracking: the code, messages, withdrawal ---------------------------------------------------------

@fuzz
@given(code=hostile)
def test_the_tracking_code_form_refuses_any_wrong_code_cleanly(world, open_limits, code):
    before = records()
    response = no_server_error(Client().post(reverse("reports:track"), {"code": code}))
    assert response.status_code in (302, 400, 429) and records() == before


@pytest.fixture
def reporter(world):
    client = Client()
    assert client.post(reverse("reports:track"), {"code": world.code}).status_code == 302
    return client


@fuzz
@given(body=st.one_of(hostile, st.lists(hostile, max_size=3)), files=uploads)
def test_a_reporter_s_message_is_sent_whole_or_not_at_all(reporter, world, body, files):
    before = records()
    data = {"body": body, **({"files": files} if files else {})}
    response = no_server_error(reporter.post(reverse("reports:tracking_message"), data))
    after = records()
    if response.status_code == 302:
        assert after["reports.Message"] == before["reports.Message"] + 1
    else:
        assert after == before


@fuzz
@given(reason=hostile, confirm=st.one_of(st.none(), hostile))
def test_a_withdrawal_is_done_or_refused_cleanly(reporter, world, reason, confirm):
    before = records()
    data = {"reason": reason, **({"confirm": confirm} if confirm is not None else {})}
    response = no_server_error(reporter.post(reverse("reports:tracking_withdraw"), data))
    if response.status_code != 302:
        assert records() == before


# --- The pledge, check-in and its test ------------------------------------------------------------------

def identity_fields(world, data) -> dict:
    fields = {"election": world.election.pk, "nip": world.employee.nip,
              "birth_date": world.employee.birth_date.isoformat()}
    for field in data.draw(st.lists(st.sampled_from(sorted(fields)), max_size=3, unique=True)):
        fields[field] = data.draw(hostile, label=field)
    return fields


@fuzz
@given(data=st.data())
def test_the_pledge_forms_refuse_hostile_input_cleanly(world, agencies, open_limits, data):
    from registry.factories import EmployeeFactory

    signer = EmployeeFactory(agency=agencies["beltim"], unit=agencies["dinkes_beltim"])
    client = Client()
    identity = identity_fields(world, data) | {"nip": signer.nip}
    if data.draw(st.booleans(), label="keep birth date"):
        identity["birth_date"] = signer.birth_date.isoformat()
    before = records()
    verified = no_server_error(client.post(reverse("prevention:pledge_start"), identity), "verify")
    assert records() == before
    if verified.status_code != 302:
        return
    sign = {"drawn": data.draw(st.one_of(hostile, st.just("")), label="drawn"),
            "typed_name": data.draw(st.one_of(hostile, st.just(signer.name)), label="typed_name"),
            "agree": data.draw(st.one_of(st.just("on"), hostile), label="agree")}
    signed = no_server_error(client.post(reverse("prevention:pledge_sign"), sign), "sign")
    if signed.status_code != 302:
        assert records() == before
    else:
        assert Pledge.objects.filter(employee=signer).count() == 1


@fuzz
@given(data=st.data())
def test_check_in_and_its_test_refuse_hostile_input_cleanly(world, open_limits, data):
    token = world.event.checkin_token
    client = Client()
    fields = identity_fields(world, data)
    fields.pop("election")
    before = records()
    checked = no_server_error(client.post(reverse("prevention:checkin", args=[token]), fields), "check-in")
    if checked.status_code != 302:
        assert records() == before
        return
    answers = data.draw(st.dictionaries(st.one_of(st.sampled_from(["q1", "q2", "q99999999999999999999"]), param_names),
                                        hostile, max_size=5), label="answers")
    before = records()
    quiz = no_server_error(client.post(reverse("prevention:quiz", args=[token, "pre"]), answers), "quiz")
    if quiz.status_code != 302:
        assert records() == before


# --- Language, login, password reset ---------------------------------------------------------------------

@fuzz
@given(language=hostile, next_url=hostile)
def test_the_language_switch_takes_any_value(client, world, language, next_url):
    response = no_server_error(client.post("/i18n/setlang/", {"language": language, "next": next_url}))
    if response.status_code == 302:  # never away from this site (Django checks ``next``)
        assert urlsplit(response["Location"]).netloc in ("", "testserver"), response["Location"]


@fuzz
@given(username=hostile, password=hostile, email=hostile)
def test_the_login_and_password_reset_forms_take_any_value(client, staff_beltim, username, password, email):
    before = records()
    no_server_error(client.post(reverse("accounts:login"), {"login_view-current_step": "auth",
                                                            "auth-username": username, "auth-password": password}))
    no_server_error(client.post(reverse("accounts:password_reset"), {"email": email}))
    assert records() == before


def test_the_fuzzing_reaches_a_valid_report(client, world, places):
    """The base form of the fuzzing is accepted: mutations start from a real report, not from noise."""
    before = records()
    response = client.post(reverse("reports:submit"), report_form(world, places))
    assert response.status_code == 200 and response.context["code"]
    assert_whole_or_nothing(response, before)
