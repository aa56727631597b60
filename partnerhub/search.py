# ruff: noqa: S608 - SQL is built from table and column names in code; user input is always a parameter
"""One search pipeline for the partner directory and the idea list.

Texts and queries go through the same steps, so whatever a visitor types is
compared with the documents on equal terms:

1. **Words**: letters and digits; everything else (punctuation, FTS or SQL
   syntax, control characters) separates words and is otherwise ignored.
   Text between double quotes (``"…"``, ``„…“``, ``«…»``) is a phrase: its
   words must appear next to each other. An unbalanced quote closes at the end.
2. **Diacritics** are stripped first, so "Liepaja" and "Liepāja" are the
   same word before anything else happens.
3. **Stems**: each word is stemmed three ways — the Snowball stemmers for
   Lithuanian and English (``snowballstemmer``) and the light Latvian stemmer
   of Kreslins as published in Apache Lucene (``LatvianStemmer``, ported below)
   — and the shortest result wins (the Lithuanian one only for words of
   five letters or more: it cuts short English words too hard). Pages and ideas mix the three languages and
   nobody tells us which one a word is in; the stemmer of a word's own language
   strips the most, so "Klaipėdos"/"Klaipėda"/"Klaipeda" → ``klaiped``,
   "jaunimui"/"jaunimo" → ``jaunim``, "Liepājā"/"Liepāja" → ``liepaj``,
   "volunteering"/"volunteers" → ``volunt``.
   The stemmers see the word without diacritics (endings such as ``-ės``
   and ``-ās`` then read ``-es``/``-as``, which both stemmers strip too).
4. **Stopwords**: a short list of grammar words of the three languages is
   dropped from texts and queries alike.
5. **Caps**: a query keeps at most ``MAX_QUERY_CHARS`` characters and
   ``MAX_WORDS`` words; more say nothing more and would make one query slow.

Documents are stored as three lines of stems (``name``, ``labels``,
``body``); the labels line holds the taxonomy labels of every code the row
carries, in all three languages, so "savanorystė", "brīvprātīgais darbs" and
"volunteering" all find an organisation tagged ``volunteering-solidarity``.

The database does the matching: on PostgreSQL a narrow side table
``<table>_search(id, name, document)`` (the name line's ``tsvector`` and the
document's, built from the three lines with the ``simple`` configuration and
weights A/B/C), GIN-indexed and kept in step by a trigger; on SQLite an FTS5
table (``<table>_fts``) kept in step with the row by triggers. Both are
created by ``create_index_sql`` in a migration and queried through
``ids_sql``, ``line_ids_sql`` and ``hits_sql``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import snowballstemmer

#: Characters of a query that are read at all.
MAX_QUERY_CHARS = 200
#: Words (in terms and phrases together) that a query keeps.
MAX_WORDS = 8

#: Relevance weights: a word in the name counts more than one in a taxonomy
#: label, which counts more than one in the description.
WEIGHT_NAME, WEIGHT_LABELS, WEIGHT_BODY = 10.0, 4.0, 1.0

_WORD = re.compile(r"[^\W_]+")
_QUOTES = str.maketrans(dict.fromkeys("„“”«»‟″", '"'))

# Grammar words only: they occur everywhere and would make AND queries fail
# ("Liepāja and volunteering"). Subject words stay searchable.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "ar",
        "arī",
        "bet",
        "gan",
        "ir",
        "ja",
        "jo",
        "kā",
        "kas",
        "ka",
        "no",
        "par",
        "pie",
        "pret",
        "pēc",
        "uz",
        "un",
        "vai",
        "lai",
        "tas",
        "tā",
        "apie",
        "bei",
        "dar",
        "iki",
        "ir",
        "iš",
        "į",
        "jei",
        "kad",
        "kai",
        "kaip",
        "ne",
        "nei",
        "nuo",
        "per",
        "po",
        "prie",
        "su",
        "ta",
        "tas",
        "už",
    ]
)


# Letters that NFKD leaves whole because Unicode treats them as separate letters.
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


@functools.lru_cache(maxsize=200_000)
def _normalise_word(word: str) -> str:
    return normalise(word)


def normalise(text: str) -> str:
    """Lower-case and without diacritics: "Liepāja" → "liepaja", "Łódź" → "lodz".

    The same rule as ``matching.text.normalise`` (which sits above this
    module and should import it from here rather than keep its own copy).
    """
    lowered = text.lower().translate(_UNDECOMPOSABLE)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Compared without diacritics, like everything else: "į" and "i" are the same word.
_PLAIN_STOPWORDS = frozenset(normalise(word) for word in STOPWORDS)


# -- stemming ------------------------------------------------------------------

_LT = snowballstemmer.stemmer("lithuanian")
_EN = snowballstemmer.stemmer("english")

# Kreslins' light Latvian stemmer as in Apache Lucene's LatvianStemmer: suffix,
# vowels the word must have more than, and whether removing it may have
# palatalised the consonant before it (declensions II, V and VI).
_LV_AFFIXES = (
    ("ajiem", 3, False), ("ajai", 3, False), ("ajam", 2, False), ("ajām", 2, False),
    ("ajos", 2, False), ("ajās", 2, False), ("iem", 2, True), ("ajā", 2, False),
    ("ais", 2, False), ("ai", 2, False), ("ei", 2, False), ("ām", 1, False),
    ("am", 1, False), ("ēm", 1, False), ("īm", 1, False), ("im", 1, False),
    ("um", 1, False), ("us", 1, True), ("as", 1, False), ("ās", 1, False),
    ("es", 1, False), ("os", 1, True), ("ij", 1, False), ("īs", 1, False),
    ("ēs", 1, False), ("is", 1, False), ("ie", 1, False), ("u", 1, True),
    ("a", 1, True), ("i", 1, True), ("e", 1, False), ("ā", 1, False),
    ("ē", 1, False), ("ī", 1, False), ("ū", 1, False), ("o", 1, False),
    ("s", 0, False), ("š", 0, False),
)  # fmt: skip
_LV_VOWELS = frozenset("aeiouāīēū")
_LV_UNPALATALISE = (
    ("šņ", "sn"),
    ("žņ", "zn"),
    ("šļ", "sl"),
    ("žļ", "zl"),
    ("ļņ", "ln"),
    ("ļļ", "ll"),
)


def latvian_stem(word: str) -> str:
    """The light Latvian stem of a lower-case word: "jauniešiem" → "jaunieš"."""
    vowels = sum(1 for ch in word if ch in _LV_VOWELS)
    for affix, vowel_count, palatalises in _LV_AFFIXES:
        if vowels > vowel_count and len(word) >= len(affix) + 3 and word.endswith(affix):
            stem = word[: -len(affix)]
            return _lv_unpalatalise(stem, affix) if palatalises else stem
    return word


def _lv_unpalatalise(stem: str, removed: str) -> str:
    if removed == "u":  # genitive plural of declensions II, V, VI
        if stem.endswith("kš"):
            return stem[:-2] + "kst"
        if stem.endswith("ņņ"):
            return stem[:-2] + "nn"
    if stem[-2:] in ("pj", "bj", "mj", "vj"):
        return stem[:-1]
    for palatal, plain in _LV_UNPALATALISE:
        if stem.endswith(palatal):
            return stem[:-2] + plain
    if stem[-1:] in ("č", "ļ", "ņ"):
        return stem[:-1] + {"č": "c", "ļ": "l", "ņ": "n"}[stem[-1]]
    return stem


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The search stem of one lower-case word (see the module docstring, step 2)."""
    plain = _normalise_word(word)
    if plain.isdigit():
        return plain
    candidates = {_EN.stemWord(plain), latvian_stem(plain)}
    # The Lithuanian stemmer cuts short English words too hard ("work" → "wor").
    if len(plain) >= 5:
        candidates.add(_LT.stemWord(plain))
    candidates.discard("")
    return min(candidates, key=lambda s: (len(s), s)) if candidates else plain


def words(text: str) -> list[str]:
    """The lower-case words of ``text`` (diacritics kept), stopwords dropped."""
    found = _WORD.findall(text.lower())
    return [w for w in found if _normalise_word(w) not in _PLAIN_STOPWORDS]


def stems(text: str) -> list[str]:
    # A stem can itself contain a separator after normalisation ("ﬁ" → "fi" is
    # fine, but "²" → "2" next to letters is not a word boundary for every
    # tokenizer), so re-split what normalisation produced.
    out: list[str] = []
    for word in words(text):
        out.extend(_WORD.findall(stem(word)))
    return out


def document(*, name: str, labels: Iterable[str], body: Iterable[str]) -> str:
    """The stored search document: three lines of stems (name, taxonomy labels, text)."""
    return "\n".join(
        (
            " ".join(stems(name)),
            " ".join(stems(" ".join(labels))),
            " ".join(stems(" ".join(body))),
        )
    )


# -- queries -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One word's stem, or the stems of a quoted phrase in order."""

    stems: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.stems) > 1


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[Term, ...]
    #: The normalised words as typed (before stemming), for display and name matching.
    words: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    def fts5(self) -> str:
        """The SQLite FTS5 MATCH expression: every term required, phrases in double quotes."""
        return " AND ".join('"' + " ".join(term.stems) + '"' for term in self.terms)

    def tsquery(self) -> str:
        """The PostgreSQL ``to_tsquery('simple', …)`` text: ``&`` between terms, ``<->`` in phrases."""
        return " & ".join(
            "(" + " <-> ".join(f"'{s}'" for s in term.stems) + ")" for term in self.terms
        )


def parse(raw: str | None) -> Query:
    """Parse what a visitor typed; never raises, whatever the input.

    >>> parse('Liepāja "youth work" volunteering!').terms
    (Term(stems=('liepaj',)), Term(stems=('youth', 'work')), Term(stems=('volunt',)))
    """
    text = (raw or "")[:MAX_QUERY_CHARS].translate(_QUOTES)
    terms: list[Term] = []
    typed: list[str] = []
    budget = MAX_WORDS
    for index, part in enumerate(text.split('"')):
        if budget <= 0:
            break
        part_words = words(part)[:budget]
        part_stems = [s for w in part_words for s in _WORD.findall(stem(w))][:budget]
        if not part_stems:
            continue
        budget -= len(part_stems)
        typed.extend(_normalise_word(w) for w in part_words)
        if index % 2 == 1 and len(part_stems) > 1:
            terms.append(Term(tuple(part_stems)))
        else:
            terms.extend(Term((s,)) for s in part_stems)
    unique = tuple(dict.fromkeys(terms))
    return Query(terms=unique, words=tuple(dict.fromkeys(typed)))


# -- the database side ----------------------------------------------------------


def fts_table(table: str) -> str:
    """SQLite: the FTS5 table that indexes ``table``'s rows."""
    return f"{table}_fts"


def side_table(table: str) -> str:
    """PostgreSQL: the narrow table that holds the tsvectors of ``table``'s rows."""
    return f"{table}_search"


def _pg_vector_sql(source: str) -> str:
    parts = [
        f"setweight(to_tsvector('simple'::regconfig, split_part({source}, E'\\n', {n})), '{w}')"
        for n, w in ((1, "A"), (2, "B"), (3, "C"))
    ]
    return " || ".join(parts)


def _pg_name_sql(source: str) -> str:
    return f"to_tsvector('simple'::regconfig, split_part({source}, E'\\n', 1))"


def create_index_sql(vendor: str, table: str, source: str = "search_text") -> list[str]:
    """SQL that creates the full-text index of ``table`` over its ``source`` column and fills it.

    Idempotent. PostgreSQL: a narrow side table ``<table>_search(id, name,
    document)`` — the name line's tsvector and the weighted document (name A,
    labels B, text C) — with a GIN index on each, kept in step by a trigger on
    ``table``. A common word matches a third of the directory, and the
    database must visit the row of every match: in the side table that is
    about 5,000 pages at 100,000 organisations instead of the 34,000 of the
    organisation table itself. SQLite: an FTS5 table ``<table>_fts(name,
    labels, body)`` kept in step by triggers.
    """
    if vendor == "postgresql":
        side = side_table(table)
        row = f"NEW.id, {_pg_name_sql('NEW.' + source)}, {_pg_vector_sql('NEW.' + source)}"
        return [
            f"CREATE TABLE IF NOT EXISTS {side} "
            "(id bigint PRIMARY KEY, name tsvector NOT NULL, document tsvector NOT NULL)",
            f"""CREATE OR REPLACE FUNCTION {side}_sync() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    DELETE FROM {side} WHERE id = OLD.id;
                ELSE
                    INSERT INTO {side} (id, name, document) VALUES ({row})
                    ON CONFLICT (id) DO UPDATE
                    SET name = EXCLUDED.name, document = EXCLUDED.document;
                END IF;
                RETURN NULL;
            END $$ LANGUAGE plpgsql""",
            f"CREATE OR REPLACE TRIGGER {side}_write AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {side}_sync()",
            f"CREATE OR REPLACE TRIGGER {side}_update AFTER UPDATE OF {source} ON {table} "
            f"FOR EACH ROW WHEN (OLD.{source} IS DISTINCT FROM NEW.{source}) "
            f"EXECUTE FUNCTION {side}_sync()",
            f"INSERT INTO {side} (id, name, document) "
            f"SELECT id, {_pg_name_sql(source)}, {_pg_vector_sql(source)} FROM {table} "
            "ON CONFLICT (id) DO NOTHING",
            f"CREATE INDEX IF NOT EXISTS {side}_name_gin ON {side} USING GIN (name)",
            f"CREATE INDEX IF NOT EXISTS {side}_document_gin ON {side} USING GIN (document)",
        ]
    if vendor == "sqlite":
        fts = fts_table(table)
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(name, labels, body, "
            "tokenize = 'unicode61 remove_diacritics 0')",
            *_sqlite_triggers(table, source),
            f"DELETE FROM {fts}",
            _sqlite_fill(table, source),
        ]
    return []


def _sqlite_lines(row: str, source: str) -> tuple[str, str, str]:
    # The three lines of the document, split in SQL for the triggers.
    text = f"{row}{source}"
    first = f"instr({text} || char(10), char(10))"
    rest = f"substr({text}, {first} + 1)"
    second = f"instr({rest} || char(10), char(10))"
    return (
        f"substr({text}, 1, {first} - 1)",
        f"substr({rest}, 1, {second} - 1)",
        f"substr({rest}, {second} + 1)",
    )


def _sqlite_triggers(table: str, source: str) -> list[str]:
    fts = fts_table(table)
    insert = f"INSERT INTO {fts}(rowid, name, labels, body) VALUES (new.id, {', '.join(_sqlite_lines('new.', source))});"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {source} ON {table} BEGIN "
        f"DELETE FROM {fts} WHERE rowid = old.id; {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"DELETE FROM {fts} WHERE rowid = old.id; END",
    ]


def _sqlite_fill(table: str, source: str) -> str:
    lines = ", ".join(_sqlite_lines("", source))
    return (
        f"INSERT INTO {fts_table(table)}(rowid, name, labels, body) SELECT id, {lines} FROM {table}"
    )


def ensure_index(connection, table: str, source: str = "search_text") -> bool:
    """After ``migrate``: reinstall the SQLite triggers a table rebuild dropped, and resync.

    SQLite's schema editor rebuilds a table (copy, drop, rename) for many
    ``ALTER``s, which drops its triggers; the FTS5 table itself survives.
    Returns True when the index had to be repaired. PostgreSQL keeps a
    table's triggers through any ``ALTER TABLE``, so there is nothing to do.
    """
    if connection.vendor != "sqlite":
        return False
    fts = fts_table(table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [f"{fts}%"],
        )
        present = {row[0] for row in cursor.fetchall()}
        if fts not in present:
            return False  # before the search_index migration
        wanted = {f"{fts}_insert", f"{fts}_update", f"{fts}_delete"}
        if wanted <= present:
            return False
        for sql in _sqlite_triggers(table, source):
            cursor.execute(sql)
        cursor.execute(f"DELETE FROM {fts}")
        cursor.execute(_sqlite_fill(table, source))
    return True


def drop_index_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        side = side_table(table)
        return [
            f"DROP TRIGGER IF EXISTS {side}_write ON {table}",
            f"DROP TRIGGER IF EXISTS {side}_update ON {table}",
            f"DROP FUNCTION IF EXISTS {side}_sync()",
            f"DROP TABLE IF EXISTS {side}",
        ]
    if vendor == "sqlite":
        fts = fts_table(table)
        return [
            f"DROP TRIGGER IF EXISTS {fts}_insert",
            f"DROP TRIGGER IF EXISTS {fts}_update",
            f"DROP TRIGGER IF EXISTS {fts}_delete",
            f"DROP TABLE IF EXISTS {fts}",
        ]
    return []


# ts_rank weights are listed for D, C, B, A (A = name, B = labels, C = body).
_PG_WEIGHTS = f"{{0, {WEIGHT_BODY / WEIGHT_NAME}, {WEIGHT_LABELS / WEIGHT_NAME}, 1}}"


def match_sql(vendor: str, table: str, query: Query) -> tuple[str, list[str]]:
    """``SELECT id, score`` of the rows of ``table`` that match every term; higher score first.

    The score weighs name over labels over body (bm25 on SQLite, ts_rank on
    PostgreSQL); only its order matters.
    """
    if vendor == "postgresql":
        weights = _PG_WEIGHTS
        return (
            f"SELECT id, ts_rank('{weights}'::float4[], document, q) "
            f"FROM {side_table(table)}, to_tsquery('simple'::regconfig, %s) q WHERE document @@ q",
            [query.tsquery()],
        )
    fts = fts_table(table)
    # bm25 is lower for better matches; negate it so higher is better on both.
    return (
        f"SELECT rowid, -bm25({fts}, {WEIGHT_NAME}, {WEIGHT_LABELS}, {WEIGHT_BODY}) "
        f"FROM {fts} WHERE {fts} MATCH %s",
        [query.fts5()],
    )


def line_ids_sql(
    vendor: str, table: str, query: Query, line: str, *, as_list: bool = False
) -> tuple[str, list[str]]:
    """``SELECT id`` of the rows whose ``line`` ("name" or "labels") alone holds every term.

    For a cheap relevance order. With ``as_list``, one row: the ids as one
    comma-separated text (``id_array`` reads it).
    """
    ids = _ids(vendor, as_list)
    if vendor == "postgresql":
        weight = {"name": "A", "labels": "B"}[line]
        text = " & ".join(
            "(" + " <-> ".join(f"'{s}':{weight}" for s in term.stems) + ")" for term in query.terms
        )
        return (
            f"SELECT {ids} FROM {side_table(table)} "
            "WHERE document @@ to_tsquery('simple'::regconfig, %s)",
            [text],
        )
    fts = fts_table(table)
    return f"SELECT {ids} FROM {fts} WHERE {fts} MATCH %s", [f"{line} : ({query.fts5()})"]


def _term_fts5(term: Term) -> str:
    return '"' + " ".join(term.stems) + '"'


def _term_tsquery(term: Term) -> str:
    return "(" + " <-> ".join(f"'{s}'" for s in term.stems) + ")"


def hits_sql(vendor: str, table: str, query: Query) -> tuple[str, list[str]]:
    """``SELECT tag, ids`` for each term: tag ``2·i`` lists the rows whose name line holds
    term *i*, ``2·i + 1`` those whose name or text holds it; one statement for the whole query.

    For callers that combine the terms themselves (the directory adds the
    taxonomy labels from its own index and scores name / labels / text).
    The ids come as one comma-separated text per tag (``id_array`` reads it):
    a common word matches a third of the directory, and one string of 30,000
    ids crosses from the database to Python about five times faster than
    30,000 rows. On PostgreSQL the name line has its own GIN index in the side
    table (``create_index_sql``).
    """
    parts, params = [], []
    for i, term in enumerate(query.terms):
        if vendor == "postgresql":
            ids = _ids(vendor, as_list=True)
            parts.append(
                f"SELECT {2 * i}, {ids} FROM {side_table(table)} "
                "WHERE name @@ to_tsquery('simple'::regconfig, %s)"
            )
            parts.append(
                f"SELECT {2 * i + 1}, {ids} FROM {side_table(table)} "
                "WHERE document @@ to_tsquery('simple'::regconfig, %s)"
            )
            params += [_term_tsquery(term), _term_tsquery(term)]
        else:
            fts = fts_table(table)
            ids = _ids(vendor, as_list=True)
            parts.append(f"SELECT {2 * i}, {ids} FROM {fts} WHERE {fts} MATCH %s")
            parts.append(f"SELECT {2 * i + 1}, {ids} FROM {fts} WHERE {fts} MATCH %s")
            params += [f"name : {_term_fts5(term)}", f"{{name body}} : {_term_fts5(term)}"]
    return " UNION ALL ".join(parts), params


def _ids(vendor: str, as_list: bool) -> str:
    """The select list of an id query: the ids, or all of them as one comma-separated text."""
    if vendor == "postgresql":
        return "string_agg(id::text, ',')" if as_list else "id"
    return "group_concat(rowid)" if as_list else "rowid"


def id_array(text: str | None):
    """The ids of a comma-separated text as an int64 NumPy array (empty for None)."""
    import numpy as np

    if not text:
        return np.empty(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def ids_sql(
    vendor: str, table: str, query: Query, *, as_list: bool = False
) -> tuple[str, list[str]]:
    """``SELECT id`` of the matching rows, for ``pk__in=RawSQL(...)``.

    With ``as_list``, one row: the ids as one comma-separated text (``id_array`` reads it).
    """
    ids = _ids(vendor, as_list)
    if vendor == "postgresql":
        return (
            f"SELECT {ids} FROM {side_table(table)} "
            "WHERE document @@ to_tsquery('simple'::regconfig, %s)",
            [query.tsquery()],
        )
    fts = fts_table(table)
    return f"SELECT {ids} FROM {fts} WHERE {fts} MATCH %s", [query.fts5()]


class FullTextAdminSearch:
    """ModelAdmin mixin: the admin's search box finds what the site's search finds, too.

    The model's ``search_text`` must hold a search document indexed by
    ``create_index_sql``. Rows the admin's own ``search_fields`` find stay in.
    """

    def get_search_results(self, request, queryset, search_term):
        from django.db import connection
        from django.db.models.expressions import RawSQL

        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        query = parse(search_term)
        if query:
            sql, params = ids_sql(connection.vendor, self.model._meta.db_table, query)
            results = results | queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611
        return results, may_have_duplicates
