"""Region names as people type them (pure: no ORM, no request).

"Kab. Belitung Timur", "kabupaten belitung timur" and "Belitung Timur" name the same regency;
"Manggar, Belitung Timur" names the district Manggar of that regency.
"""

import re

REGION_PREFIXES = ("kabupaten", "kab", "kota", "kecamatan", "kec", "provinsi", "prov", "distrik")
SHORT_PREFIXES = (("Kabupaten ", "Kab. "),)


def region_key(name: str) -> str:
    """A region name to compare: lower case, no punctuation, no Kabupaten/Kota/Kecamatan prefix."""
    words = re.sub(r"[^\w\s]", " ", name.lower()).split()
    while words and words[0] in REGION_PREFIXES:
        words = words[1:]
    return " ".join(words)


def split_place(text: str) -> tuple[str, str]:
    """What was typed, as (the region's name, the name of the region it lies in): "Manggar, Kab.
    Belitung Timur" gives ("manggar", "belitung timur"), as a suggestion's label reads."""
    name, _, within = text.partition(",")
    return region_key(name), region_key(within)


def short_name(name: str) -> str:
    """ "Kabupaten Belitung Timur" as a label writes it: "Kab. Belitung Timur"."""
    for long, short in SHORT_PREFIXES:
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def place_label(name: str, parent_name: str) -> str:
    """A region with the region it lies in, e.g. "Manggar, Kab. Belitung Timur"."""
    return f"{name}, {short_name(parent_name)}" if parent_name else name


def rank_by_name(key: str, names: list[tuple[object, str]]) -> list:
    """The items whose name ``key`` names, best first, from (item, name) pairs.

    A name equal to the key wins over names holding it as whole words, which win over names
    that merely contain it; items of the same rank keep their order.
    """
    if not key:
        return []
    keyed = [(item, region_key(name)) for item, name in names]
    exact = [item for item, name in keyed if name == key]
    if exact:
        return exact
    words = re.compile(rf"\b{re.escape(key)}\b")
    whole = [item for item, name in keyed if words.search(name)]
    return whole or [item for item, name in keyed if key in name]
