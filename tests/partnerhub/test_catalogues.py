"""The Latvian and Lithuanian catalogues are complete, and the compiled files match them.

`make messages` refreshes the catalogues from the code; this test catches an entry left
untranslated or fuzzy (Django would show it in English) and a .po edited without
running compilemessages (the site would still show the old text).
"""

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ["lv", "lt"]


def entries(path: Path) -> list[dict]:
    """Each entry of a .po file: its flags, msgid, msgid_plural and msgstr[...] texts."""
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        entry = {"flags": "", "texts": {}}
        key = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry["texts"][key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                entry["texts"][key] = ast.literal_eval(value)
        found.append(entry)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    problems = []
    for entry in entries(LOCALE / language / "LC_MESSAGES" / "django.po"):
        texts = entry["texts"]
        if texts["msgid"] == "":
            continue  # the header
        translations = [value for key, value in texts.items() if key.startswith("msgstr")]
        if "fuzzy" in entry["flags"] or not all(translations):
            problems.append(texts["msgid"])
    assert not problems, f"{len(problems)} untranslated or fuzzy: {problems[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_the_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = []
    for entry in entries(folder / "django.po"):
        texts = entry["texts"]
        if texts["msgid"] == "" or "msgid_plural" in texts:
            continue
        context, separator, msgid = texts.get("msgctxt", ""), "\x04", texts["msgid"]
        key = f"{context}{separator}{msgid}" if "msgctxt" in texts else msgid
        if catalogue._catalog.get(key) != texts["msgstr"]:
            stale.append(msgid)
    assert not stale, f"{len(stale)} differ from django.mo (run compilemessages): {stale[:10]}"


def test_the_parser_reads_continued_lines_and_plurals(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: lv\\n"\n\n'
        '#, python-format\nmsgid "one %(n)s"\nmsgid_plural "many %(n)s"\n'
        'msgstr[0] "viens"\nmsgstr[1] ""\n\n'
        '#, fuzzy\nmsgid "a "\n"b"\nmsgstr "x"\n',
        encoding="utf-8",
    )
    found = entries(po)
    assert found[1]["texts"]["msgstr[1]"] == ""
    assert found[2]["texts"]["msgid"] == "a b" and "fuzzy" in found[2]["flags"]
    assert re.search("fuzzy", found[2]["flags"])
