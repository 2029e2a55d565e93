"""Keys generated into the data folder on first run, safely under concurrent start-up."""

import base64
import os
import secrets
import time
from pathlib import Path


def _new_key(kind: str) -> str:
    if kind == "fernet":
        return base64.urlsafe_b64encode(os.urandom(32)).decode()
    return secrets.token_urlsafe(50)


def read_or_create_key(path: Path, kind: str) -> str:
    """Read the key at ``path``, creating it (mode 0600) if it does not exist yet.

    O_EXCL makes creation atomic: when several processes start at once (parallel test
    workers, gunicorn), one writes and the others read what it wrote.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.02)
        raise RuntimeError(f"Key file {path} is empty.")
    key = _new_key(kind)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key
