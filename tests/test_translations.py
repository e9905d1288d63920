"""The French and Dutch catalogues are complete, compiled, and used by the interface."""

import re
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "comptoir" / "locale"


def _entries(po: Path) -> list[str]:
    return po.read_text(encoding="utf-8").split("\n\n")[1:]


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    entries = _entries(po)
    assert len(entries) > 100
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""$(?!\n")', e, re.M)]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize(("lang", "word"), [("fr", "Résolu"), ("nl", "Opgelost")])
def test_status_names_show_in_the_agents_language(lang, word):
    assert (LOCALE / lang / "LC_MESSAGES" / "django.mo").exists()
    with translation.override(lang):
        assert translation.gettext("Solved") == word
