"""storage/kinds.py declares every stored file: a new FileField without a kind fails here."""

import pytest
from django.apps import apps
from django.db import models

from storage import kinds


def file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield f"{model._meta.app_label}.{model.__name__}", field.name


def test_every_file_field_of_every_model_is_a_declared_kind():
    declared = {(kind.model_class()._meta.label, kind.field) for kind in kinds.KINDS}
    undeclared = sorted(set(file_fields()) - declared)
    assert undeclared == [], f"Declare these in storage/kinds.py: {undeclared}"


def test_every_kind_names_a_real_model_field_and_storage(settings):
    for kind in kinds.KINDS:
        model = kind.model_class()
        for name in (kind.field, kind.sha256_field, kind.hash_unless):
            if name:
                model._meta.get_field(name)
        assert kind.storage in settings.STORAGES, kind.key
        assert kind.purge in (kinds.KEPT, kinds.ORPHANS, kinds.EXPIRY)
    assert len({kind.key for kind in kinds.KINDS}) == len(kinds.KINDS)
    assert len({kind.label for kind in kinds.KINDS}) == len(kinds.KINDS)


def test_a_file_field_kind_lives_under_the_folder_its_upload_to_writes():
    for kind in kinds.KINDS:
        field = kind.model_class()._meta.get_field(kind.field)
        if isinstance(field, models.FileField) and isinstance(field.upload_to, str):
            assert field.upload_to.startswith(kind.prefix.rstrip("/") + "/"), kind.key


def test_folders_drop_a_folder_inside_another():
    assert kinds.folders("sealed") == [""]  # the evidence originals' root holds the staged uploads' folder
    default = kinds.folders("default")
    assert "evidence" in default and "prevention/photos" in default
    assert kinds.storage_aliases(backed_up_only=True) == ("sealed", "default")


def test_the_most_specific_folder_names_the_kind():
    assert kinds.kind_of("sealed", "staging/ab/x.bin").key == "staged-uploads"
    assert kinds.kind_of("sealed", "ab/abc.bin").key == "evidence-sealed"
    assert kinds.kind_of("default", "prevention/photos/1/a.jpg").key == "event-photos"
    assert kinds.kind_of("default", "somewhere/else.txt") is None


@pytest.mark.django_db
def test_names_in_use_read_the_declared_records():
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    staged = kinds.by_key("staged-uploads").model_class()
    name = storages["sealed"].save("staging/cd/x.bin", ContentFile(b"staged"))
    staged.objects.create(submission_hash="cd" * 32, name="foto.jpg", sha256="ef" * 32, size=6, sealed_name=name)
    assert kinds.names_in_use("sealed") == {name}
    assert kinds.names_in_use("default") == set()
