"""Prevention's data files (pure, no ORM): socialization themes and the default pledge text.

Both are law-adjacent data with their source, checked with the rules catalog's shared
entry validator (rules.catalog.DataEntry) at start-up (prevention.apps) so that a broken
file names its entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rules.catalog import CatalogError, DataEntry, Text, read_entries

DATA_DIR = Path(__file__).resolve().parent / "data"
THEMES_FILE = "themes.yaml"
PLEDGE_FILE = "pledge.yaml"
TITLE_MAX = 200  # Theme.title_id / title_en


class PreventionDataError(CatalogError):
    """A data file of prevention/data/ is broken."""


class _Entry(DataEntry):
    error = PreventionDataError


@dataclass(frozen=True)
class ThemeData:
    id: str
    title: Text
    source: str
    note: Text | None
    verified: bool


@dataclass(frozen=True)
class PledgeTemplate:
    id: str
    title: Text
    body: Text
    source: str
    note: Text | None
    verified: bool


@dataclass(frozen=True)
class PreventionCatalog:
    themes: dict[str, ThemeData]
    pledge: PledgeTemplate


def _themes(data_dir: Path) -> dict[str, ThemeData]:
    themes: dict[str, ThemeData] = {}
    for index, raw in enumerate(read_entries(data_dir, THEMES_FILE), start=1):
        entry = _Entry(THEMES_FILE, index, raw)
        entry.keys(("id", "title", "source"), ("note", "verified"))
        theme = ThemeData(id=entry.slug(), title=entry.text("title", max_length=TITLE_MAX),
                          source=entry.string("source"), note=entry.optional_text("note"),
                          verified=entry.flag("verified", True))
        if theme.id in themes:
            entry.fail("duplicate id")
        themes[theme.id] = theme
    if not themes:
        raise PreventionDataError(f"{THEMES_FILE}: at least one theme is needed")
    return themes


def _pledge(data_dir: Path) -> PledgeTemplate:
    entries = read_entries(data_dir, PLEDGE_FILE)
    if len(entries) != 1:
        raise PreventionDataError(f"{PLEDGE_FILE}: expected exactly one entry, found {len(entries)}")
    entry = _Entry(PLEDGE_FILE, 1, entries[0])
    entry.keys(("id", "title", "body", "source", "template"), ("note", "verified"))
    if entry.raw["template"] is not True:
        # The default is never presented as law: an administrator sets the real text.
        entry.fail('"template" must be true: the default pledge is a template, not a legal text')
    return PledgeTemplate(id=entry.slug(), title=entry.text("title", max_length=TITLE_MAX),
                          body=entry.text("body"), source=entry.string("source"),
                          note=entry.optional_text("note"), verified=entry.flag("verified", False))


def load_catalog(data_dir: Path | str = DATA_DIR) -> PreventionCatalog:
    data_dir = Path(data_dir)
    return PreventionCatalog(themes=_themes(data_dir), pledge=_pledge(data_dir))


@lru_cache(maxsize=1)
def default_catalog() -> PreventionCatalog:
    return load_catalog(DATA_DIR)
