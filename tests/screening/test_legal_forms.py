"""Legal-form phrases with one misspelt word still fold (T1 typos inside "Joint Stock")."""

from __future__ import annotations

import pytest

from compliance.screening.legal_forms import fold_legal_forms
from compliance.screening.normalize import normalize_text


@pytest.mark.parametrize(
    ("misspelt", "listed"),
    [
        ("Joint Sttock Company NII Steel", "Joint Stock Company NII Steel"),
        ("Jiint Stock Company Agat", "Joint Stock Company Agat"),
        ("Public Joint Sgock Company Arzamas", "Public Joint Stock Company Arzamas"),
        ("Alesta Ticaret Limitex Sirketi", "Alesta Ticaret Limited Sirketi"),
        ("Limited Liabilty Company Vega", "Limited Liability Company Vega"),
    ],
)
def test_one_misspelt_phrase_word_still_folds(misspelt: str, listed: str) -> None:
    assert normalize_text(misspelt) == normalize_text(listed)


@pytest.mark.parametrize(
    "words",
    [
        ["jint", "stock", "company"],  # a 4-letter misspelling never folds
        ["joint", "stcok", "compnay"],  # two misspelt words: no phrase
        ["joint", "vertex"],  # not one edit from a phrase word
    ],
)
def test_misspellings_that_do_not_fold(words: list[str]) -> None:
    folded = fold_legal_forms(words)
    assert [w for w, _ in folded] == words
    assert [w for w, symbol in folded if symbol is not None and w != "company"] == []
