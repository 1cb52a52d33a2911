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
        # a letter left out of a five-letter phrase word (T1 deletion)
        ("Joint Stck Company Eleron", "Joint Stock Company Eleron"),
        ("Jint Stock Company Agat", "Joint Stock Company Agat"),
        ("Open Joint Sock Company 75 Arsenal", "Open Joint Stock Company 75 Arsenal"),
    ],
)
def test_one_misspelt_phrase_word_still_folds(misspelt: str, listed: str) -> None:
    assert normalize_text(misspelt) == normalize_text(listed)


@pytest.mark.parametrize(
    "words",
    [
        ["jnt", "stock", "company"],  # a 3-letter misspelling never folds
        ["jint", "stck", "company"],  # two misspelt words: no phrase
        ["joint", "stcok", "compnay"],  # two misspelt words: no phrase
        ["joint", "vertex"],  # not one edit from a phrase word
    ],
)
def test_misspellings_that_do_not_fold(words: list[str]) -> None:
    folded = fold_legal_forms(words)
    assert [w for w, _ in folded] == words
    assert [w for w, symbol in folded if symbol is not None and w != "company"] == []
