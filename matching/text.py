"""Crude, language-agnostic keywords for comparing free text across languages.

Ideas and profiles are written in English, Latvian and Lithuanian, often by
people who type without diacritics ("Liepaja", "Klaipeda"). Matching does not
need linguistics, only a stable way to say "these two texts talk about the same
things", so the pipeline is deliberately simple:

1. ``normalise``: lower-case and strip diacritics, so spellings with and
   without them compare equal.
2. ``keywords``: split on anything that is not a letter, drop short words and
   common words of the three site languages, and stem by keeping the first
   ``STEM_LENGTH`` characters. Baltic languages inflect by changing endings
   ("jaunieši", "jauniešiem", "jauniešu"), so a prefix is a tolerable stem for
   all three languages at once.
3. ``keyword_buckets``: hash each stem into one of ``WORD_BUCKETS`` buckets so
   a text becomes a 256-bit set that NumPy can intersect for 100,000
   organisations at a time (see ``matching.ranking``).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable

#: Number of hash buckets for keyword stems; 256 bits = four uint64 words.
WORD_BUCKETS = 256

#: Words shorter than this carry little meaning (prepositions, conjunctions).
MIN_WORD_LENGTH = 4

#: Prefix length used as a stem: six letters keep most words apart ("volunt",
#: "inclus", "partic") yet join Baltic inflections ("jaunie" for "jauniešiem").
STEM_LENGTH = 6

# Letters that NFKD leaves whole because Unicode treats them as separate
# letters rather than letters with a mark.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "æ": "ae",
        "ß": "ss",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "œ": "oe",
        "ı": "i",
        "ħ": "h",
    }
)

# Written without diacritics: ``keywords`` compares normalised words. Only
# words of MIN_WORD_LENGTH or more need listing; shorter ones are dropped anyway.
# Besides grammar words, each list holds the words every idea and profile on
# this site uses ("project", "organisation", "partner"), which say nothing
# about what a particular organisation does.
_STOPWORDS_EN = """
    about also among and been being between both could does each from have
    into more most much other over some such than that their them then there
    these they this those through under very were what when where which while
    will with within would your year years
    project projects organisation organisations organization organizations
    partner partners partnership activities activity people
"""
_STOPWORDS_LV = """
    bija būs būt caur gadā gada gadu kopā kura kuras kuri kurš lai līdz
    pēc savu savas tiek tika tikai tomēr vairāk viņi viņu vien visi visu
    starp kuru kuriem
    projekts projekta projektā projektu projekti biedrība biedrības biedrību
    organizācija organizācijas organizāciju partneris partneri partneru
    aktivitātes aktivitāte
"""
_STOPWORDS_LT = """
    buvo bus būti kaip kartu kurie kuris kurios labai metų metu nors pagal
    prie savo tarp taip tačiau todėl tiek visi visų arba apie kiekvienas
    projektas projekto projekte projektų projektai organizacija organizacijos
    organizacijų asociacija partneris partneriai partnerių veikla veiklos
"""


def normalise(text: str) -> str:
    """Lower-case ``text`` and strip diacritics: "Liepāja" → "liepaja".

    NFKD splits "ā" into "a" plus a combining macron, which is then dropped;
    it also unfolds compatibility forms such as the ligature "ﬁ". Letters it
    cannot split (ł, ø, æ, ß, đ, …) are mapped explicitly so "Łódź" → "lodz".
    """
    lowered = text.lower().translate(_UNDECOMPOSABLE)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """The crude stem of an already normalised word: its first STEM_LENGTH letters."""
    return word[:STEM_LENGTH]


def _stop_stems(*lists: str) -> frozenset[str]:
    # Stopwords are compared by stem, so one entry also removes its
    # inflections: "projekts" covers "projekta", "projektā", "projektu".
    return frozenset(stem(normalise(word)) for words in lists for word in words.split())


STOP_STEMS: frozenset[str] = _stop_stems(_STOPWORDS_EN, _STOPWORDS_LV, _STOPWORDS_LT)

# After normalisation Latin letters are plain ASCII, but Cyrillic or Greek
# text should still split into words rather than vanish.
_WORD = re.compile(r"[^\W\d_]+")


def keywords(text: str) -> frozenset[str]:
    """The set of stems of the meaningful words in ``text``.

    Rules: normalise; split on every character that is not a letter; drop
    words shorter than MIN_WORD_LENGTH; stem to the first STEM_LENGTH
    letters; drop stems of the English, Latvian and Lithuanian stopwords.
    A set, not a bag: how often a word repeats says more about style than
    about the subject.
    """
    stems = (stem(word) for word in _WORD.findall(normalise(text)) if len(word) >= MIN_WORD_LENGTH)
    return frozenset(s for s in stems if s not in STOP_STEMS)


def keyword_buckets(words: Iterable[str]) -> frozenset[int]:
    """Hash each stem into one of WORD_BUCKETS buckets.

    CRC-32 rather than ``hash()``: Python salts string hashes per process, and
    buckets are stored and compared across processes and deployments, so they
    must be the same everywhere and forever.
    """
    return frozenset(zlib.crc32(word.encode("utf-8")) % WORD_BUCKETS for word in words)


def text_buckets(*texts: str) -> frozenset[int]:
    """Keyword buckets of several texts together (an idea's title, summary and goals)."""
    return keyword_buckets(keywords(" ".join(texts)))
