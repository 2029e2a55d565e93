"""Agreements' fixtures: seed 000 recorded through the service, and the prevention register re-used."""

from pathlib import Path

import pytest
import yaml

from prevention.tests.conftest import election, register, themes  # noqa: F401 (re-used here)

SEED = Path(__file__).resolve().parent.parent / "data" / "mou_beltim_2022.yaml"


@pytest.fixture
def seed_data():
    return yaml.safe_load(SEED.read_text())


@pytest.fixture
def mou(offices, agencies, staff_beltim, seed_data):
    from agreements.services import agreement_record

    return agreement_record(actor=staff_beltim, data=seed_data)
