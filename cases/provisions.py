"""The provisions a study chooses, held against the reporter's choice and the facts (pure).

Issue 18: a test letter to BKN cited the banner provision for a Facebook post, and nothing
flagged it. Each prohibited act has a category, the form the act takes (rules/data/
violations.yaml, "category": taxonomy, not law). The study form warns, and asks staff to
confirm that they checked, when a chosen provision

- is of a category that none of the reporter's chosen acts has, or
- names a medium (a social-media post, a banner) while the facts point to another medium
  and never to its own: the words of the facts and the sites of the links are the clues.

A warning never blocks: the law may well fit an act the reporter did not think of. No ORM
here; cases.study reads the case, cases.forms and cases.services ask these functions.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

# The words of rules.catalog.VIOLATION_CATEGORIES (a test keeps the ids equal), inside a sentence.
CATEGORY_LABELS = {
    "props": _("banners, billboards and other props"),
    "online": _("social media and other online posts"),
    "event": _("campaigns, declarations and gatherings"),
    "affiliation": _("ties to a party, a candidacy or a campaign team"),
    "office": _("the use of an office, its decisions and state facilities"),
    "influence": _("influencing or mobilising voters and others"),
}

# The categories that name a medium, and what in the facts shows that medium: words of the
# description (Indonesian as reporters write it, with the names of the platforms) and, for
# online acts, the sites of the links. A clue is a hint for staff, never a finding.
_ONLINE_WORDS = re.compile(
    r"\b(facebook|fb|instagram|ig|tiktok|twitter|youtube|whatsapp|telegram|threads|media sosial|sosial media"
    r"|social media|medsos|status wa|grup wa|(?:meng|di)?unggah(?:an|nya)?|(?:mem|di)?posting(?:an|nya)?"
    r"|siaran langsung|live streaming)\b", re.IGNORECASE)
_PROPS_WORDS = re.compile(
    r"\b(spanduk|baliho|banner|billboard|alat peraga|apk|stiker|sticker|umbul-umbul|pamflet|reklame)\b",
    re.IGNORECASE)
ONLINE_SITES = ("facebook.com", "fb.com", "fb.watch", "instagram.com", "tiktok.com", "twitter.com", "x.com",
                "youtube.com", "youtu.be", "threads.net", "whatsapp.com", "wa.me", "t.me")
MEDIA = ("online", "props")


@dataclass(frozen=True)
class Provision:
    """A prohibited act as the rule sees it: its id, its title (for the message) and category."""

    id: str
    title: str
    category: str  # "" when the stored act predates the categories: it is then never compared


@dataclass(frozen=True)
class Facts:
    """What the case says happened: the texts (summary, the reports' descriptions) and links."""

    texts: tuple[str, ...] = ()
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mismatch:
    """A chosen provision whose category differs from the reporter's choice or from the facts."""

    provision: Provision
    against: str  # "reporter" or "facts"
    categories: tuple[str, ...]  # the reporter's categories, or the media the facts point to
    evidence: tuple[str, ...] = field(default=())  # the reporter's acts, or the clues found

    @property
    def key(self) -> str:
        """Stable and short, for the audit entry: "facts:banner-support"."""
        return f"{self.against}:{self.provision.id}"

    def message(self) -> str:
        params = {"provision": self.provision.title, "category": category_label(self.provision.category),
                  "expected": ", ".join(category_label(c) for c in self.categories),
                  "evidence": "; ".join(self.evidence)}
        if self.against == "reporter":
            return str(_("“%(provision)s” is about %(category)s, but the reporter chose acts about %(expected)s "
                         "(%(evidence)s).")) % params
        return str(_("“%(provision)s” is about %(category)s, but the facts point to %(expected)s "
                     "(%(evidence)s).")) % params


def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, category))


def _site(url: str) -> str:
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""
    return next((site for site in ONLINE_SITES if host == site or host.endswith("." + site)), "")


def fact_media(facts: Facts) -> dict[str, tuple[str, ...]]:
    """The media the facts point to, each with its clues as found ("Facebook", "instagram.com"),
    in the order of MEDIA; a medium without a clue is left out."""
    clues: dict[str, list[str]] = {medium: [] for medium in MEDIA}
    for text in facts.texts:
        for medium, words in (("online", _ONLINE_WORDS), ("props", _PROPS_WORDS)):
            clues[medium].extend(match.group(0) for match in words.finditer(text or ""))
    clues["online"].extend(filter(None, (_site(url) for url in facts.links)))
    found = {}
    for medium, words in clues.items():
        unique = list(dict.fromkeys(word.lower() for word in words))
        if unique:
            found[medium] = tuple(unique[:3])
    return found


def _categories(provisions: Iterable[Provision]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.category for p in provisions if p.category))


def mismatches(chosen: Sequence[Provision], *, reporter: Sequence[Provision], facts: Facts) -> list[Mismatch]:
    """Each chosen provision that differs from the reporter's choice (when the reporter chose any)
    or, if it names a medium, from the media the facts point to (when they point to any)."""
    expected = _categories(reporter)
    reporter_titles = tuple(p.title for p in reporter)
    media = fact_media(facts)
    found = []
    for provision in chosen:
        if not provision.category:
            continue
        if expected and provision.category not in expected:
            found.append(Mismatch(provision, "reporter", expected, reporter_titles))
        if provision.category in MEDIA and media and provision.category not in media:
            found.append(Mismatch(provision, "facts", tuple(media),
                                  tuple(clue for clues in media.values() for clue in clues)))
    return found
