"""``make prod-check``: start the production stack on a fresh PostgreSQL database and smoke-test it over HTTP.

Steps (each failure stops the run with a message and exit status 1):

1. A fresh database (``PRODCHECK_DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/netral_prodcheck``) and data folder
   (``PRODCHECK_DATA_DIR``, default ``/tmp/netral-prodcheck``), both removed at the end.
2. The stack (ops/stack.py): migrate, createcachetable, load_rules, collectstatic with the
   manifest, gunicorn (2 workers x 2 threads) and one task worker, production settings
   (DEBUG off; no TLS on loopback, so NETRAL_HTTPS off).
3. Reference data from ``seed_demo`` (regions, offices, agencies: a throwaway database) and
   two accounts made for the check, each with a random password and TOTP key.
4. The scheduled jobs once, as cron runs them (``DAILY_JOBS``, the list of docs/deploy.md).
5. Over HTTP with ``requests``: the home page and a static file with a manifest hash; a
   public report with a small JPEG through the real form (CSRF, submission token), its
   receipt and tracking code; the status page by that code; staff login with password and
   TOTP; the staff report list showing the report; a register import through the web
   (upload, mapping, preview and commit by the task worker); the public API and its docs.
6. The jobs again (now with data), then the stack stops and the database is dropped.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from django_otp.oath import totp  # noqa: E402  (RFC 6238, as the login checks it)

from ops.stack import Stack, drop_database, recreate_database  # noqa: E402

# What cron runs (docs/deploy.md, "Daily jobs"); the check runs each once, as cron would.
DAILY_JOBS = [
    ("notify_deadlines",),
    ("followup_remind",),
    ("followup_tallies",),
    ("public_figures",),
    ("pledge_coverage",),
    ("refresh_person_keys",),
    ("rebuild_person_elections",),
    ("recompute_deadlines",),
    ("calendar_check",),
    ("purge_staged_files",),
    ("purge_exports",),
    ("purge_conversations",),
    ("purge_reporter_identities",),
    ("requeue_stale_tasks", "--older-than", "120"),
    ("prune_db_task_results",),
    ("verify_audit",),
    ("verify_integrity",),
]

CREATE_ACCOUNTS = """
from accounts.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice
from organizations.models import Agency, BawasluOffice
staf = User.objects.get(username="staf.beltim")
pemda = User.objects.get(username="bkpsdm.beltim")
for name, role, template in (("prodcheck.staf", "bawaslu_staff", staf), ("prodcheck.pemda", "pemda_staff", pemda)):
    user = User.objects.create_user(username=name, password="{password}", role=role,
                                    bawaslu_office=template.bawaslu_office, agency=template.agency)
    TOTPDevice.objects.create(user=user, name="default", key="{key}", confirmed=True)
print(Agency.objects.get(pk=pemda.agency_id).name)
"""

REGISTER_CSV = (
    "NIP;Nama;Tempat Lahir;Tanggal Lahir;L/P;Jenis Pegawai;Pangkat/Golongan;Jabatan;Unit Kerja;Status\n"
    "199001012015031002;Prodcheck Satu;Manggar;01-01-1990;L;PNS;Penata (III/c);Analis;;Aktif\n"
    "199202022016042003;Prodcheck Dua;Manggar;02-02-1992;P;PNS;Penata (III/c);Analis;;Aktif\n"
)


EVENT_DAY = "2024-11-20"


class CheckFailed(Exception):
    pass


def check(condition, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def small_jpeg() -> bytes:
    from PIL import Image  # a Netral dependency

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class FormParser(HTMLParser):
    """The fields of each <form> of a page, with what a browser would send by default."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, dict] = {}
        self.form = None
        self.select = None
        self.textarea = None
        self.option = None  # [value, label] of the <option> being read

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = {"action": attrs.get("action", ""), "fields": [], "options": {}}
            self.forms[attrs.get("id") or f"form{len(self.forms)}"] = self.form
        elif self.form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                self.form["options"].setdefault(attrs["name"], []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    self.form["fields"].append((attrs["name"], attrs.get("value", "on")))
            elif kind not in {"submit", "file", "button"}:
                self.form["fields"].append((attrs["name"], attrs.get("value", "")))
        elif tag == "select" and attrs.get("name"):
            self.select = {"name": attrs["name"], "first": None, "selected": None}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.form["options"].setdefault(self.select["name"], []).append(value)
            self.option = [value, ""]
            self.form.setdefault("labels", {}).setdefault(self.select["name"], []).append(self.option)
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["selected"] = value
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = attrs["name"]
            self.form["fields"].append((self.textarea, ""))

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        if self.textarea and self.form:
            name, value = self.form["fields"][-1]
            self.form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            chosen = self.select["selected"] if self.select["selected"] is not None else self.select["first"]
            if chosen is not None:
                self.form["fields"].append((self.select["name"], chosen))
            self.select = None
        elif tag == "option":
            self.option = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.form = None


def form_of(response: requests.Response, form_id: str) -> dict:
    parser = FormParser()
    parser.feed(response.text)
    check(form_id in parser.forms, f"{response.url}: no form #{form_id} (status {response.status_code})")
    form = parser.forms[form_id]
    form["url"] = urljoin(response.url, form["action"] or response.url)
    return form


def fill(form: dict, **values) -> list[tuple[str, str]]:
    """The form's default fields with ``values`` replacing (a list value: several entries)."""
    names = set(values)
    data = [(name, value) for name, value in form["fields"] if name not in names]
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            data.append((name, str(item)))
    return data


class Smoke:
    def __init__(self, stack: Stack, password: str, key: str):
        self.stack = stack
        self.url = stack.url
        self.password = password
        self.key = key

    def step(self, name: str, function) -> None:
        started = time.monotonic()
        function()
        print(f"  ok  {name} ({time.monotonic() - started:.1f} s)", flush=True)

    def get(self, session, path, expect=200, **kwargs) -> requests.Response:
        response = session.get(urljoin(self.url + "/", path.lstrip("/")), timeout=30, **kwargs)
        check(response.status_code == expect, f"GET {path}: {response.status_code}, expected {expect}")
        return response

    def post(self, session, url, data, expect=200, **kwargs) -> requests.Response:
        response = session.post(url, data=data, timeout=60, headers={"Referer": url}, **kwargs)
        check(response.status_code == expect, f"POST {url}: {response.status_code}, expected {expect}\n"
                                              f"{response.text[:2000]}")
        return response

    def run(self) -> None:
        self.public = requests.Session()
        self.step("home page and a hashed static file", self.home_and_static)
        self.step("public report with a JPEG, receipt with tracking code", self.submit_report)
        self.step("status page by tracking code", self.track)
        self.staff = requests.Session()
        self.step("staff login with password and TOTP", lambda: self.login(self.staff, "prodcheck.staf"))
        self.step("staff report list shows the new report", self.staff_list)
        self.pemda = requests.Session()
        self.step("register import through the web, run by the task worker", self.register_import)
        self.step("public API and its documentation", self.api)

    def home_and_static(self):
        home = self.get(self.public, "/")
        css = re.search(r'href="(/static/css/netral\.[0-9a-f]{12}\.css)"', home.text)
        check(css, "the home page links no hashed stylesheet (is NETRAL_STATIC_MANIFEST on?)")
        asset = self.get(self.public, css.group(1))
        check("text/css" in asset.headers.get("Content-Type", ""), "the stylesheet is not served as text/css")
        check("immutable" in asset.headers.get("Cache-Control", ""), "a hashed static file is not cached for ever")
        self.get(self.public, "/healthz")

    def submit_report(self):
        page = self.get(self.public, "/lapor/")
        form = form_of(page, "report-form") if 'id="report-form"' in page.text else self._report_form(page)
        # A district of Belitung Timur, typed by name (the form finds it: issue 20): the report goes to
        # the office of the check's staff account.
        check(any(name == "region_name" for name, _value in form["fields"]), "the report form has no place field")
        violation = form["options"]["violations"][0]
        self.place = f"Balai Desa Prodcheck {secrets.token_hex(3)}"
        data = fill(
            form, identity="anonymous", region_name="Manggar", violations=[violation], place=self.place,
            # A day inside the supervised stages of the demo's Pilkada 2024 (rules/data/elections.yaml):
            # an event outside every election's stages is offered "send as information" instead (issue 19).
            occurred_on=EVENT_DAY, known_on=EVENT_DAY,
            description="Seorang kepala dinas memasang baliho calon bupati di depan kantornya.",
            truthful="on", **{"persons-0-name": "Budi Santoso", "persons-0-position": "Kepala Dinas"},
        )
        receipt = self.post(self.public, form["url"], data, files={"evidence": ("foto.jpg", small_jpeg(), "image/jpeg")})
        # The code is shown in groups (one <span> each, so that a group never breaks on a phone).
        code = re.search(r'id="tracking-code">(.+?)</strong>', receipt.text)
        number = re.search(r'id="report-number">([^<]+)<', receipt.text)
        check(code and number, "the receipt shows no tracking code or report number:\n" + receipt.text[:2000])
        self.code, self.number = re.sub(r"<[^>]+>", "", code.group(1)).strip(), number.group(1).strip()

    def _report_form(self, page):
        parser = FormParser()
        parser.feed(page.text)
        for form_id, form in parser.forms.items():
            if any(name == "submission_token" for name, _value in form["fields"]):
                form["url"] = urljoin(page.url, form["action"] or page.url)
                return form
        raise CheckFailed("/lapor/ has no report form")

    def track(self):
        page = self.get(self.public, "/lacak/")
        parser = FormParser()
        parser.feed(page.text)
        form = next(f for f in parser.forms.values() if any(n == "code" for n, _v in f["fields"]))
        status = self.post(self.public, urljoin(page.url, form["action"] or page.url), fill(form, code=self.code))
        check(status.url.rstrip("/").endswith("/lacak/status"), f"tracking ended on {status.url}")
        check(self.number in status.text, "the status page does not show the report number")

    def login(self, session, username):
        page = self.get(session, "/akun/masuk/")
        parser = FormParser()
        parser.feed(page.text)
        form = next(f for f in parser.forms.values() if any(n == "auth-username" for n, _v in f["fields"]))
        url = urljoin(page.url, form["action"] or page.url)
        step2 = self.post(session, url, fill(form, **{"auth-username": username, "auth-password": self.password}))
        parser = FormParser()
        parser.feed(step2.text)
        form = next((f for f in parser.forms.values() if any(n == "token-otp_token" for n, _v in f["fields"])), None)
        check(form, f"{username}: no TOTP step after the password (wrong password?)")
        done = session.post(url, data=fill(form, **{"token-otp_token": f"{totp(bytes.fromhex(self.key)):06d}"}), headers={"Referer": url},
                            timeout=30)
        check(done.status_code == 200 and "/akun/masuk/" not in done.url,
              f"{username}: the TOTP step did not log in (ended on {done.url}, {done.status_code})")

    def staff_list(self):
        inbox = self.get(self.staff, "/staf/laporan/")
        check(self.number in inbox.text, f"report {self.number} is not in the staff list")

    def register_import(self):
        self.login(self.pemda, "prodcheck.pemda")
        home = self.get(self.pemda, "/staf/register/")
        form = form_of(home, "upload-form")
        response = self.post(self.pemda, form["url"], fill(form),
                             files={"file": ("pegawai.csv", REGISTER_CSV.encode(), "text/csv")})
        job_url = response.url
        check(re.search(r"/staf/register/impor/\d+/$", job_url), f"the upload ended on {job_url}")
        mapping = form_of(response, "mapping-form")
        self.post(self.pemda, mapping["url"], fill(mapping))
        self._wait(job_url, 'id="commit-form"', "the preview by the task worker")
        commit = form_of(self.get(self.pemda, job_url), "commit-form")
        self.post(self.pemda, commit["url"], fill(commit))
        page = self._wait(job_url, 'id="counts"', "the commit by the task worker",
                          done=lambda text: 'id="commit-form"' not in text and 'id="progress"' not in text)
        check(page, "")
        count = self.stack.manage("shell", "-c", "from registry.models import Employee; "
                                  "print(Employee.objects.filter(name__startswith='Prodcheck').count())").stdout
        count = count.strip().splitlines()[-1]  # (shell prints its automatic imports first)
        check(count == "2", f"the import committed {count} employees, expected 2")

    def _wait(self, url, marker, what, done=lambda text: True, limit=90):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            text = self.pemda.get(url, timeout=30).text
            if marker in text and done(text):
                return text
            time.sleep(0.5)
        raise CheckFailed(f"never saw {what} (see {self.stack.log_dir}/worker-0.log)")

    def api(self):
        regions = self.get(self.public, "/api/v1/regions").json()
        check(isinstance(regions, list) and regions, "/api/v1/regions returned no region")
        violations = self.get(self.public, "/api/v1/violations").json()
        check(isinstance(violations, list) and violations, "/api/v1/violations returned nothing")
        docs = self.get(self.public, "/api/v1/docs")
        check("swagger" in docs.text.lower(), "/api/v1/docs is not the API documentation")
        self.get(self.public, "/api/v1/openapi.json")


def main() -> int:
    database_url = os.environ.get("PRODCHECK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/netral_prodcheck")
    data_dir = Path(os.environ.get("PRODCHECK_DATA_DIR", "/tmp/netral-prodcheck"))
    port = int(os.environ.get("PRODCHECK_PORT", "8109"))
    started = time.monotonic()
    shutil.rmtree(data_dir, ignore_errors=True)
    password, key = secrets.token_urlsafe(18), secrets.token_hex(20)
    try:
        recreate_database(database_url)
    except Exception as error:  # noqa: BLE001 (whatever psycopg says, the reader needs it)
        print(f"prod-check FAILED: cannot create the database {database_url}: {error}", file=sys.stderr)
        return 1
    stack = Stack(database_url=database_url, data_dir=data_dir, port=port, web_workers=2, threads=2, task_workers=1)
    try:
        print(f"prod-check: starting the stack on {stack.url} (database {database_url})", flush=True)
        stack.start()
        print(f"  ok  stack up ({time.monotonic() - started:.1f} s)", flush=True)
        stack.manage("seed_demo")
        stack.manage("shell", "-c", CREATE_ACCOUNTS.format(password=password, key=key))
        for job in DAILY_JOBS:
            stack.manage(*job)
        print(f"  ok  daily jobs on an empty installation: {', '.join(job[0] for job in DAILY_JOBS)}", flush=True)
        Smoke(stack, password, key).run()
        for job in DAILY_JOBS:
            stack.manage(*job)
        print("  ok  daily jobs again, with the new report and import", flush=True)
    except Exception as error:  # noqa: BLE001 (one clear message, whatever failed)
        print(f"prod-check FAILED: {error}\n(logs: {stack.log_dir})", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        drop_database(database_url)
    shutil.rmtree(data_dir, ignore_errors=True)
    print(f"prod-check passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
