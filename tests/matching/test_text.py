"""Matching's text: the search pipeline's stems, weighted into comparable vectors."""

import math
import random

import pytest

from matching import text
from matching.text import Corpus, Postings, normalise, similarity, text_stems, vector
from partnerhub import search


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("Liepāja", "liepaja"),
        ("Klaipėda", "klaipeda"),
        ("Łódź", "lodz"),
        ("Ķekavas novads", "kekavas novads"),
        ("Šiauliai, Žemaitija", "siauliai, zemaitija"),
        ("Straße", "strasse"),
        ("ﬁlm", "film"),
    ],
)
def test_normalise_is_the_search_modules(written, plain):
    assert normalise(written) == search.normalise(written) == plain


def test_spellings_with_and_without_diacritics_give_the_same_terms():
    assert text_stems("Liepājas jaunieši") == text_stems("Liepajas jauniesi")
    assert text_stems("Klaipėdos rajonas") == text_stems("KLAIPEDOS RAJONAS")


@pytest.mark.parametrize(
    "inflections",
    [
        ("jaunieši", "jauniešiem", "jauniešu"),  # lv: young people
        ("jaunimui", "jaunimo"),  # lt: youth
        ("Klaipėdos", "Klaipėda", "Klaipeda"),
        ("volunteering", "volunteers", "volunteer"),
    ],
)
def test_inflections_share_one_term(inflections):
    assert len({tuple(text_stems(word)) for word in inflections}) == 1


@pytest.mark.parametrize(
    "words",
    [
        "the project and the organisation with their partners",
        "biedrības projekta aktivitātes un partneri",
        "projekto organizacija ir partneriai",
        "2024 15 100",
        "",
    ],
)
def test_grammar_and_site_words_and_numbers_are_no_terms(words):
    assert text_stems(words) == []


def test_a_vector_has_unit_length_and_at_most_the_slots():
    words = [f"w{chr(97 + i % 26)}{chr(97 + i // 26)}x" for i in range(150)]
    terms = vector(text_stems(" ".join(words)))
    assert len(terms) == text.TERM_SLOTS
    length = math.sqrt(sum(w * w for _t, w in terms)) / text.WEIGHT_SCALE
    assert length == pytest.approx(1.0, abs=1e-3)
    assert [t for t, _w in terms] == sorted(t for t, _w in terms)


def test_similarity_is_symmetric_and_one_for_the_same_text():
    a = vector(text_stems("Youth volunteering on the Baltic coast"))
    b = vector(text_stems("Volunteers clean the coast of Liepāja"))
    assert similarity(a, b) == similarity(b, a) > 0
    assert similarity(a, a) == pytest.approx(1.0, abs=1e-4)
    assert similarity(a, ()) == 0.0


def test_idf_weighs_rare_terms_above_common_ones():
    corpus = Corpus([["youth"]] * 9 + [["dune"]])
    ((_dune, rare),) = vector(["dune"], corpus)[:1]
    weights = dict(vector(["youth", "dune"], corpus))
    assert weights["dune"] > weights["youth"]
    assert rare == text.WEIGHT_SCALE


def test_stored_search_documents_give_the_same_stems_as_the_text():
    description = "Jauniešiem organizējam neformālās izglītības nometnes; youth exchanges in Narva."
    document = search.document(name="Org", labels=(), body=("Daugavpils", description))
    assert text.stems_of(document, without="Daugavpils") == text_stems(description)
    assert text.stems_of("", text=description) == text_stems(description)


def test_surface_words_map_stems_to_the_words_as_written():
    shown = text.surface_words("Volunteering in Liepāja", "volunteers")
    assert shown[search.stem("volunteering")] == "volunteering"
    assert shown[search.stem("liepāja")] == "liepāja"


def test_posting_lists_give_every_rows_dot_product_through_writes_moves_and_rebuilds():
    rng = random.Random(5)
    pool = [f"t{i}" for i in range(30)]
    rows: list[text.Terms] = []
    postings = Postings()

    def check():
        query = vector(rng.choices(pool, k=8))
        expected = [text.shared_dot(query, terms) for terms in rows]
        assert postings.dots(query, len(rows)).tolist() == expected

    for step in range(300):
        action = rng.random()
        if action < 0.5 or not rows:  # append
            rows.append(vector(rng.choices(pool, k=rng.randint(0, 12))))
            postings.set(len(rows) - 1, rows[-1])
        elif action < 0.7:  # overwrite
            row = rng.randrange(len(rows))
            rows[row] = vector(rng.choices(pool, k=rng.randint(0, 12)))
            postings.set(row, rows[row])
        elif action < 0.9:  # remove: the last row moves into the hole
            row, last = rng.randrange(len(rows)), len(rows) - 1
            if row != last:
                rows[row] = rows[last]
                postings.move(last, row)
            rows.pop()
        if step % 7 == 0:
            postings.rebuild(len(rows))
        check()
