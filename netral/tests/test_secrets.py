"""No secret in the repository: every file git knows (committed or about to be) is scanned
for private keys, Fernet keys, Django secret keys, API tokens, TOTP keys and passwords.

Allowed: the documented demo password and demo TOTP key (README.md, demo/), which open only
the demo accounts; passwords written in test code (tests/, e2e/, bench/, conftest.py), which
open only the accounts those tests create in their own databases.
"""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
DEMO_PASSWORD = "netral-demo-2026"  # demo/seed.py, README.md
DEMO_TOTP_KEY = "NETRALDEMOBELITUNGTIMURTOTPKEYAA"  # demo/ (manage.py demo_totp), README.md
TEST_CODE = re.compile(r"(^|/)(tests|e2e|bench)/|(^|/)conftest\.py$")

PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    "Fernet key": re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}=(?![A-Za-z0-9_=-])"),
    "Django secret key": re.compile(r"SECRET_KEY\s*[:=]\s*['\"][^'\"]{16,}['\"]"),
    "API token": re.compile(r"\b(?:ntr_[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36}"
                            r"|xox[baprs]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{20,}|glpat-[A-Za-z0-9_-]{20})"),
    "TOTP key": re.compile(r"(?<![A-Z2-7])[A-Z2-7]{32}(?![A-Z2-7])|secret=([A-Z2-7]{16,})"),
    # A name with "password" (not a form field's name) given a literal of 6 or more characters.
    "password": re.compile(r"(?i)(?:password|passwd|pwd|sandi)(?!\w*(?:field|name))\w*['\"]?"
                           r"\s*[:=]\s*['\"]([^'\"\s]{6,})['\"]"),
}


def repository_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=BASE_DIR, capture_output=True, text=True, check=True).stdout
    return [BASE_DIR / name for name in sorted(set(listed.split("\0"))) if name]


def allowed(kind: str, value: str, path: str) -> bool:
    if path == "netral/tests/test_secrets.py":
        return True  # the scanner's own made-up examples, below
    if value in (DEMO_PASSWORD, DEMO_TOTP_KEY) or DEMO_TOTP_KEY in value:
        return True
    if re.fullmatch(r"\{\w+\}", value):
        return True  # a str.format placeholder filled at run time (ops/prodcheck.py's random password)
    return kind == "password" and bool(TEST_CODE.search(path))


def findings(path: Path, root: Path = BASE_DIR) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
        return []  # binary, or deleted in the work tree
    relative = path.relative_to(root).as_posix()
    found = []
    for kind, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            value = next((group for group in match.groups() if group), match.group(0))
            if not allowed(kind, value, relative):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{relative}:{line}: {kind}")
    return found


def test_no_secret_is_in_the_repository():
    try:
        files = repository_files()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    assert [finding for path in files for finding in findings(path)] == []


@pytest.mark.parametrize(("text", "kind"), [
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIE...", "private key"),
    ("-----BEGIN OPENSSH PRIVATE KEY-----", "private key"),
    ("NETRAL_ENCRYPTION_KEYS=tV2bD9oP5mXk3hR8qW1zY6uA4cF7gJ0nL2sE9iB5vK8=", "Fernet key"),
    ('SECRET_KEY = "django-insecure-3k#9x!q2m@p7v$w1z&r5t8y0u4i6o"', "Django secret key"),
    ("Authorization: Bearer ntr_AbCdEfGhIjKlMnOpQrStUvWx", "API token"),
    ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXPJBSWY3DP", "TOTP key"),
    ('EMAIL_HOST_PASSWORD = "hunter2-rahasia"', "password"),
    ('"password": "rahasia-kantor-2024"', "password"),
])
def test_the_scan_recognises_each_kind_of_secret(tmp_path, text, kind):
    path = tmp_path / "settings_local.py"
    path.write_text(text)
    assert [finding.split(": ", 1)[1] for finding in findings(path, root=tmp_path)] == [kind]


def test_the_documented_demo_credentials_and_test_passwords_are_allowed():
    assert allowed("password", DEMO_PASSWORD, "demo/seed.py")
    assert allowed("TOTP key", DEMO_TOTP_KEY, "README.md")
    assert allowed("password", "kata-sandi-uji-123", "accounts/tests/otp.py")
    assert not allowed("password", "kata-sandi-uji-123", "netral/settings.py")
    assert allowed("password", "{password}", "ops/prodcheck.py")
    assert not allowed("password", "{password}x", "ops/prodcheck.py")
