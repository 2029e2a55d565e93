"""How alike two accounts of an event are (pure): word-set overlap, ignoring filler words."""

import re

# Words that say nothing about which event it was.
STOPWORDS = frozenset("""
yang dan di ke dari pada dalam untuk dengan ini itu ada oleh sebagai atau juga tidak akan sudah telah
saya kami kita dia ia para seorang salah satu the a an of to in on and or by at is was
""".split())
WORD = re.compile(r"[0-9a-zA-Z\u00C0-\u024F]+")


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in WORD.findall((text or "").lower()) if len(w) > 2 and w not in STOPWORDS)


def similarity(first: str, second: str) -> float:
    """Jaccard overlap of the meaningful words: 1.0 same words, 0.0 none shared."""
    a, b = words(first), words(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
