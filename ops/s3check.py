"""``make s3-check``: the object-storage tests against a real S3-compatible server.

1. ``moto_server`` (moto in server mode, from its own virtualenv: ``NETRAL_S3_VENV``, default
   ``.venv-s3``, requirements/s3.txt) on a free port of 127.0.0.1;
2. a bucket made on it with boto3;
3. the S3 tests (``S3_TESTS``) with the project's pytest in a subprocess whose environment holds
   the NETRAL_S3_* variables (netral/settings.py reads them at start-up) and a data folder of its
   own, so that every run starts from a clean state;
4. the run fails when pytest fails, collects nothing or skips anything: a skipped S3 test is a
   test that did not run against the server;
5. the server is stopped (its whole process group) at the end, whatever happened.

The database is the suite's: SQLite in the temporary data folder, or PostgreSQL when
DATABASE_URL says so.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
S3_TESTS = ["ops/tests/test_s3_storage.py"]
BUCKET = "netral-s3check"
START_TIMEOUT = 60


class CheckFailed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(venv: Path, port: int, log: Path) -> subprocess.Popen:
    command = venv / "bin" / "moto_server"
    if not command.exists():
        raise CheckFailed(f"{command} is missing: `make s3-check` installs it (requirements/s3.txt).")
    with open(log, "wb") as out:
        server = subprocess.Popen([str(command), "-H", "127.0.0.1", "-p", str(port)], stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CheckFailed(f"moto_server exited with status {server.returncode}:\n{log.read_text()}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=2)
            return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    stop_server(server)
    raise CheckFailed(f"moto_server did not answer on port {port} within {START_TIMEOUT} s:\n{log.read_text()}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def s3_environment(port: int, data_dir: Path) -> dict:
    return {
        "NETRAL_DATA_DIR": str(data_dir),
        "NETRAL_S3_BUCKET": BUCKET,
        "NETRAL_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "NETRAL_S3_REGION": "us-east-1",
        "NETRAL_S3_ACCESS_KEY_ID": "netral-s3check",
        "NETRAL_S3_SECRET_ACCESS_KEY": "netral-s3check-secret",
    }


def create_bucket(env: dict) -> None:
    import boto3

    s3 = boto3.client("s3", endpoint_url=env["NETRAL_S3_ENDPOINT_URL"], region_name=env["NETRAL_S3_REGION"],
                      aws_access_key_id=env["NETRAL_S3_ACCESS_KEY_ID"],
                      aws_secret_access_key=env["NETRAL_S3_SECRET_ACCESS_KEY"])
    s3.create_bucket(Bucket=env["NETRAL_S3_BUCKET"])


def junit_counts(path: Path) -> dict[str, int]:
    """tests, failures, errors and skipped of a pytest --junitxml file."""
    root = ElementTree.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    return {key: sum(int(suite.get(key, 0)) for suite in suites) for key in ("tests", "failures", "errors", "skipped")}


def run_tests(env: dict, junit: Path) -> None:
    command = [sys.executable, "-m", "pytest", "-n", "0", "-p", "no:cacheprovider", "-rs", "-m", "s3",
               f"--junitxml={junit}", *S3_TESTS]
    # Variables of another object storage or data folder must not leak into the run.
    inherited = {key: value for key, value in os.environ.items()
                 if not key.startswith(("NETRAL_S3_", "NETRAL_MEDIA_ROOT", "NETRAL_SEALED_ROOT", "AWS_"))}
    result = subprocess.run(command, cwd=BASE_DIR, env={**inherited, **env})
    if not junit.exists():
        raise CheckFailed(f"pytest wrote no report (exit status {result.returncode}).")
    counts = junit_counts(junit)
    if counts["tests"] == 0:
        raise CheckFailed(f"no S3 test was collected (pytest exit status {result.returncode}).")
    if result.returncode != 0:
        raise CheckFailed(f"the S3 tests failed (pytest exit status {result.returncode}): {counts}.")
    if counts["skipped"]:
        raise CheckFailed(f"{counts['skipped']} S3 test(s) skipped: each must run against the server.")


def main() -> int:
    venv = BASE_DIR / os.environ.get("NETRAL_S3_VENV", ".venv-s3")
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="netral-s3check-"))
    server = None
    try:
        port = free_port()
        server = start_server(venv, port, work / "moto_server.log")
        env = s3_environment(port, work / "data")
        (work / "data").mkdir()
        create_bucket(env)
        print(f"s3-check: moto_server on 127.0.0.1:{port}, bucket {BUCKET}", flush=True)
        run_tests(env, work / "junit.xml")
    except CheckFailed as error:
        print(f"s3-check: FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(work, ignore_errors=True)
    print(f"s3-check: passed, nothing skipped, in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
