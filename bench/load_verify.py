#!/usr/bin/env python3
"""After a load or fault run: was every acknowledged report filed whole, and nothing else?

Run with the project's virtualenv and the stack's environment (DATABASE_URL, NETRAL_DATA_DIR:
the same keys, media and sealed folders)::

    .venv/bin/python bench/load_verify.py ACKS.jsonl [--marker "(beban uji)"] [--json OUT]

``ACKS.jsonl`` holds one line per submission the client saw acknowledged (a receipt with a
report number and a tracking code): ``{"number", "code", "token", "sha256"}`` (bench/locustfile.py
and bench/faults.py write it). The checks:

- every acknowledged report exists, once, with the tracking code and the submission token it
  was acknowledged with, and its evidence file: the blob's SHA-256 is the SHA-256 of the bytes
  the client sent, the sealed original decrypts to exactly those bytes, the public copy exists;
- the reports made by the run (their description contains the marker) are exactly the
  acknowledged ones, or, with ``--allow-unacknowledged N``, at most N more (a reporter cut off
  after the commit: the report exists but its receipt never arrived; sending the same form
  again shows it, see bench/faults.py);
- no partial record: each report of the run has its reported person, its status history entry,
  its attachment and its ``report.submitted`` audit entry;
- no orphan file: every file under sealed/ and media/evidence/ belongs to an evidence blob or
  a staged file (``--orphans-allowed`` counts them without failing).

Exit status 0 when all hold, 1 otherwise; prints a summary (and writes it as JSON with --json).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
MARKER = "(beban uji)"


def read_acks(path: Path) -> list[dict]:
    if not path.exists():
        return []
    acks = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if line:
            acks.append(json.loads(line))
    return acks


def verify(acks: list[dict], *, marker: str = MARKER, allow_unacknowledged: int = 0,
           orphans_allowed: bool = False) -> dict:
    """The checks of the module doc; Django must be set up. A dict of counts and problems."""
    from django.conf import settings
    from django.core.files.storage import default_storage, storages

    from audit.models import AuditEntry
    from netral.crypto import decrypt_bytes
    from reports.models import Attachment, EvidenceBlob, Report, StagedFile
    from reports.tracking import normalize_code, sha256_hex

    problems: list[str] = []
    numbers = Counter(a["number"] for a in acks)
    for number, count in numbers.items():
        if count > 1:
            problems.append(f"{number} acknowledged {count} times (one report shown as new twice)")

    run_reports = Report.objects.filter(description__contains=marker)
    by_number = {r.number: r for r in run_reports.prefetch_related("attachments__blob", "reported_persons",
                                                                    "status_changes")}
    sealed = storages["sealed"]
    hashes_checked = 0
    for ack in acks:
        report = by_number.get(ack["number"])
        if report is None:
            problems.append(f"acknowledged report {ack['number']} is missing")
            continue
        if report.tracking_hash != sha256_hex(normalize_code(ack["code"]) or ""):
            problems.append(f"{ack['number']}: the tracking code shown does not open it")
        if ack.get("token") and report.submission_hash != sha256_hex(ack["token"]):
            problems.append(f"{ack['number']}: filed under another submission token")
        blobs = [a.blob for a in report.attachments.all()]
        if not any(b.sha256 == ack["sha256"] for b in blobs):
            problems.append(f"{ack['number']}: no evidence file with the SHA-256 of the file sent")
            continue
        blob = next(b for b in blobs if b.sha256 == ack["sha256"])
        try:
            original = decrypt_bytes(sealed.open(blob.sealed_name).read())
        except Exception as error:  # missing file, wrong key, truncated file: all a loss
            problems.append(f"{ack['number']}: sealed original unreadable ({type(error).__name__})")
            continue
        if hashlib.sha256(original).hexdigest() != ack["sha256"]:
            problems.append(f"{ack['number']}: sealed original does not match the file sent")
        if not default_storage.exists(blob.public_file.name):
            problems.append(f"{ack['number']}: public copy {blob.public_file.name} missing")
        hashes_checked += 1

    acked = set(numbers)
    extra = sorted(set(by_number) - acked)
    if len(extra) > allow_unacknowledged:
        problems.append(f"{len(extra)} report(s) of the run were never acknowledged (allowed: "
                        f"{allow_unacknowledged}): {', '.join(extra[:5])}")

    audited = set(AuditEntry.objects.filter(action="report.submitted", target_type="reports.report",
                                            target_id__in=[str(r.pk) for r in by_number.values()])
                  .values_list("target_id", flat=True))
    for report in by_number.values():
        missing = [what for what, ok in (
            ("reported person", bool(report.reported_persons.all())),
            ("status history", bool(report.status_changes.all())),
            ("evidence", bool(report.attachments.all())),
            ("audit entry", str(report.pk) in audited),
        ) if not ok]
        if missing:
            problems.append(f"partial record {report.number}: no {', '.join(missing)}")

    # Files on disk that no row points at (a request killed between writing and committing).
    known_sealed = set(EvidenceBlob.objects.values_list("sealed_name", flat=True)) \
        | set(StagedFile.objects.values_list("sealed_name", flat=True))
    known_public = set(EvidenceBlob.objects.values_list("public_file", flat=True))
    orphans = []
    sealed_root, media_root = Path(settings.SEALED_ROOT), Path(settings.MEDIA_ROOT)
    for root, known, sub in ((sealed_root, known_sealed, ""), (media_root, known_public, "evidence")):
        base = root / sub if sub else root
        if not base.exists():
            continue
        for path in base.rglob("*"):
            if path.is_file() and str(path.relative_to(root)) not in known:
                orphans.append(str(path.relative_to(root)))
    if orphans and not orphans_allowed:
        problems.append(f"{len(orphans)} orphan file(s) without a record: {', '.join(sorted(orphans)[:5])}")

    return {
        "acknowledged": len(acks),
        "reports_of_run": len(by_number),
        "unacknowledged_reports": len(extra),
        "hashes_checked": hashes_checked,
        "attachments_of_run": Attachment.objects.filter(report__in=list(by_number.values())).count(),
        "orphan_files": len(orphans),
        "problems": problems,
        "ok": not problems,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bench/load_verify.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("acks", type=Path)
    parser.add_argument("--marker", default=MARKER)
    parser.add_argument("--allow-unacknowledged", type=int, default=0)
    parser.add_argument("--orphans-allowed", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netral.settings")
    import django

    django.setup()
    result = verify(read_acks(args.acks), marker=args.marker, allow_unacknowledged=args.allow_unacknowledged,
                    orphans_allowed=args.orphans_allowed)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    print(f"acknowledged {result['acknowledged']}, reports of the run {result['reports_of_run']}, "
          f"evidence hashes checked {result['hashes_checked']}, orphan files {result['orphan_files']}")
    for problem in result["problems"][:50]:
        print(f"  PROBLEM: {problem}")
    print("verification: " + ("OK" if result["ok"] else f"FAILED ({len(result['problems'])} problem(s))"))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
