"""The search pipeline without a database: parser, stems, documents, and fuzzing of the parser."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerhub import search

STEM_CASES = [
    # Lithuanian inflections and spellings without diacritics meet.
    (["Klaipėda", "Klaipėdos", "Klaipeda", "klaipedoje"], "klaiped"),
    (["jaunimas", "jaunimo", "jaunimui"], "jaunim"),
    (["savivaldybė", "savivaldybės", "savivaldybių"], "savivaldyb"),
    (["savanorystė", "savanorystės"], "savanoryst"),
    # Latvian (light stemmer): cases and palatalisation.
    (["Liepāja", "Liepājā", "Liepājas", "Liepaja"], None),
    (["jaunatne", "jaunatnes", "jaunatni"], "jaunatn"),
    (["pašvaldība", "pašvaldības", "pašvaldību"], "pasvaldib"),
    (["darbs", "darba", "darbu"], "darb"),
    # English (Snowball).
    (["volunteering", "volunteers", "volunteer"], "volunt"),
    (["municipality", "municipalities"], "municip"),
    (["work", "works", "working"], "work"),
]


@pytest.mark.parametrize(("forms", "expected"), STEM_CASES)
def test_inflected_forms_share_one_stem(forms, expected):
    stems = {search.stem(form.lower()) for form in forms}
    assert len(stems) == 1, stems
    if expected:
        assert stems == {expected}


@pytest.mark.parametrize(
    ("word", "stem"),
    [("jauniešiem", "jaunieš"), ("darbs", "darb"), ("kokš", "kok"), ("upēm", "up")],
)
def test_the_latvian_light_stemmer(word, stem):
    assert search.latvian_stem(word) == stem or search.latvian_stem(word).startswith(stem)


def test_a_query_reads_words_and_quoted_phrases():
    query = search.parse('Liepāja "youth work", volunteering!')
    assert [term.stems for term in query.terms] == [("liep",), ("youth", "work"), ("volunt",)]
    assert query.terms[1].is_phrase
    assert query.fts5() == '"liep" AND "youth work" AND "volunt"'
    assert query.tsquery() == "('liep') & ('youth' <-> 'work') & ('volunt')"


@pytest.mark.parametrize(
    "raw",
    ["", "   ", '"', '""', "***", "((", "NEAR OR AND NOT", "\x00", ";--", "' OR 1=1 --"],
)
def test_syntax_is_never_passed_through(raw):
    query = search.parse(raw)
    for term in query.terms:
        for stem in term.stems:
            assert re.fullmatch(r"[^\W_]+", stem)


def test_typographic_quotes_make_a_phrase_and_an_unbalanced_quote_closes_at_the_end():
    assert search.parse("„jaunimo centras“").terms[0].is_phrase
    assert search.parse('"youth work').terms[0].stems == ("youth", "work")


def test_stopwords_are_dropped_from_queries_and_documents():
    assert search.parse("Liepāja and the volunteering") == search.parse("Liepāja volunteering")
    assert "and" not in search.document(name="Sport and Culture", labels=[], body=[]).split()


def test_queries_are_capped():
    query = search.parse(" ".join(f"word{i}x" for i in range(50)))
    assert sum(len(term.stems) for term in query.terms) == search.MAX_WORDS
    assert not search.parse("x" * 5000).terms[0].stems[0][search.MAX_QUERY_CHARS :]


def test_a_document_has_name_labels_and_body_lines():
    document = search.document(
        name="Klaipėdos rajono savivaldybė",
        labels=["Youth work", "Darbs ar jaunatni", "Darbas su jaunimu"],
        body=["Gargždai", "Savivaldybė rūpinasi jaunimu."],
    )
    name, labels, body = document.split("\n")
    assert name.split() == ["klaiped", "rajon", "savivaldyb"]
    assert {"youth", "work", "jaunatn", "jaunim"} <= set(labels.split())
    assert "jaunim" in body.split()


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=1200))
def test_the_parser_accepts_anything(raw):
    query = search.parse(raw)
    assert sum(len(term.stems) for term in query.terms) <= search.MAX_WORDS
    for term in query.terms:
        for stem in term.stems:
            assert re.fullmatch(r"[^\W_]+", stem), stem
            assert '"' not in stem and "'" not in stem
    # Both database syntaxes are built from those stems only.
    assert query.fts5().count('"') == 2 * len(query.terms)
    assert query.tsquery().count("'") == 2 * sum(len(term.stems) for term in query.terms)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aāčeēėgģiīįklķļnņsšuūųzž AEIOU"), max_size=40))
def test_diacritics_never_change_what_a_query_finds(raw):
    assert search.parse(raw) == search.parse(search.normalise(raw))
