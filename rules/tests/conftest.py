import shutil
from pathlib import Path

import pytest
import yaml

from rules import catalog


def read_entries(folder: Path, name: str) -> list:
    return yaml.load((folder / name).read_bytes(), Loader=catalog._Loader)  # dates stay text


def write_entries(folder: Path, name: str, entries) -> None:
    (folder / name).write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A copy of the real data files, free to break."""
    folder = tmp_path / "data"
    shutil.copytree(catalog.DATA_DIR, folder)
    return folder


@pytest.fixture
def edit(data_dir):
    """edit(name, change): rewrite one data file through a function on its entries."""

    def apply(name, change):
        entries = read_entries(data_dir, name)
        result = change(entries)
        write_entries(data_dir, name, entries if result is None else result)
        return data_dir

    return apply
