"""Backup, restore checks and integrity read the declared kinds of file (storage/kinds.py)."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command

from ops.backup import MANIFEST, backed_up_files, backed_up_storages
from ops.integrity import integrity_check
from storage import kinds


def test_the_backed_up_storages_are_those_of_the_declared_kinds():
    assert backed_up_storages() == kinds.storage_aliases(backed_up_only=True)
    assert set(backed_up_storages()) == {kind.storage for kind in kinds.KINDS if kind.backed_up}


@pytest.mark.django_db
def test_a_file_outside_every_declared_folder_is_not_backed_up_and_declared_ones_are():
    declared = default_storage.save("prevention/photos/1/a.jpg", ContentFile(b"photo"))
    staged = storages["sealed"].save("staging/ab/x.bin", ContentFile(b"staged"))
    stray = default_storage.save("tmp-of-some-tool/notes.txt", ContentFile(b"not ours"))
    assert declared in set(backed_up_files("default")) and stray not in set(backed_up_files("default"))
    assert staged in set(backed_up_files("sealed"))


@pytest.mark.django_db(transaction=True)
def test_the_manifest_lists_the_declared_files_only(tmp_path):
    default_storage.save("agreements/2024/1-doc.pdf", ContentFile(b"%PDF-1"))
    default_storage.save("tmp-of-some-tool/notes.txt", ContentFile(b"not ours"))
    call_command("backup", tmp_path / "backups", stdout=io.StringIO())
    (backup,) = (tmp_path / "backups").iterdir()
    names = [(f["storage"], f["name"]) for f in json.loads((backup / MANIFEST).read_text())["files"]]
    assert ("default", "agreements/2024/1-doc.pdf") in names
    assert not [name for _storage, name in names if name.startswith("tmp-of-some-tool")]


@pytest.mark.django_db
def test_integrity_counts_every_declared_kind():
    assert set(integrity_check().files) == {kind.label for kind in kinds.KINDS}
