"""Text -> comparable name tokens, each with a class that decides how much it weighs.

Pipeline (each step closes one way to evade or miss a match):
invisible characters removed -> symbols dropped (emoji, ™, currency: ``symbols.py``) ->
NFKC -> Cyrillic/Greek look-alikes inside Latin words read as Latin -> words run together
split where the case shows it (``AssociationOrion``) -> casefold -> Han to pinyin (company
words translated) -> Cyrillic transliterated -> diacritics stripped -> anything else through
anyascii -> tokens -> single letters joined (``A-B-C`` -> ``abc``) -> spacing slips undone
(``NewEnergy``, ``Xi an``) -> legal forms folded to symbols (read through misspellings and
other romanisations) -> abbreviations folded -> classes.
Every step is idempotent, so normalising a normalised name changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from anyascii import anyascii

from compliance.screening.confusables import CONFUSABLES, INVISIBLE
from compliance.screening.legal_forms import (
    LEGAL_PARTS,
    LEGAL_STEMS,
    LEGAL_WORDS,
    PHRASE_WORDS,
    fold_legal_forms,
)
from compliance.screening.legal_forms import TOKENS as LEGAL_TOKENS
from compliance.screening.symbols import strip_symbols
from compliance.screening.transliterate import scripts_to_latin, skeleton
from compliance.screening.tunables import TUNABLES
from compliance.screening.vocabulary import (
    CANONICAL,
    GENERIC,
    KNOWN_WORDS,
    LOCATIONS,
    PARTICLES,
    PHRASE_ABBREVIATIONS,
    SPELLED_OUT,
    SPLITTABLE,
    STOPWORDS,
    misspelled_generic,
    respelled_known,
)


class TokenClass(StrEnum):
    """What a token is, which sets its weight and how it may be compared."""

    ORDINARY = "ordinary"
    GENERIC = "generic"
    LEGAL = "legal"
    NUMBER = "number"
    INITIAL = "initial"


_SUBSTANTIVE = frozenset((TokenClass.ORDINARY, TokenClass.NUMBER))


@dataclass(frozen=True, slots=True, init=False)
class Token:
    """One word of a normalised name. ``__init__`` is written out (``init=False``) as the
    generated one would be: compiled, the generated one runs as interpreted bytecode
    (``score.Prepared``; tests/screening/test_native.py holds it to the fields)."""

    text: str
    cls: TokenClass
    skeleton: str
    surface: str = ""  # the folded word before abbreviation folding, when it differs
    promoted: bool = False  # a generic word standing in for a name made only of them

    def __init__(
        self,
        text: str,
        cls: TokenClass,
        skeleton: str,
        surface: str = "",
        promoted: bool = False,
    ) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "cls", cls)
        object.__setattr__(self, "skeleton", skeleton)
        object.__setattr__(self, "surface", surface)
        object.__setattr__(self, "promoted", promoted)

    @property
    def word(self) -> str:
        """The word as written (``technologies``, not ``tech``): used to rejoin split words."""
        return self.surface or self.text

    @property
    def substantive(self) -> bool:
        """Ordinary words and numbers identify a party; the other classes only support."""
        return self.cls in _SUBSTANTIVE


# "and"/"of" and French "et", with the shortest stem each may be split from: "et" ends
# many words ("Market", "Planet", "Speedjet"), so only a 7+ letter stem ("Etudeset")
GLUED_TAILS = (("and", 3), ("of", 3), ("et", 7))


def glued_stem(word: str) -> str | None:
    """``portof`` -> ``port``, ``boilerand`` -> ``boiler``, ``etudeset`` -> ``etudes``:
    the word that "and", "of" or "et" may have been run onto. Only a candidate: the
    Screener splits it off when the word itself is not a listed word and the stem is
    (``Damavand`` stays whole)."""
    for tail, stem in GLUED_TAILS:
        if word.endswith(tail) and len(word) - len(tail) >= stem:
            return word[: -len(tail)]
    return None


def joinable(a: Token, b: Token) -> bool:
    """Whether two neighbouring words may be written as one ("Hua Wei"/"Huawei", "Ship
    Design"/"ShipDesign"): one identifies, or both are generic words. Legal forms are not
    joined (their phrases fold to one symbol first)."""
    return (
        a.substantive
        or b.substantive
        or (a.cls is TokenClass.GENERIC and b.cls is TokenClass.GENERIC)
    )


MIN_REJOINED = 2  # a rejoined run this long may stand for one word (``3-K``/``3K``)
SHORT_JOIN = 4  # ... shorter than this, only with the same letters (``P.AD``/``PAD``)
MAX_RUN = 3  # words one written word may stand for (``Rostov-On-Don``/``RostovOnDon``)
EXACT = "="  # prefix of the join key of a short run or word: its letters, not its skeleton


def join_key(text: str) -> str:
    """The key under which a rejoined run, or a word, meets the other: the romanisation
    skeleton from 4 letters; below, the letters themselves, because short skeletons fold
    unrelated words together (``mrz``/``mrs``, ``lcc``/``llctsts``, ``eend``/``ind``)."""
    return skeleton(text) if len(text) >= SHORT_JOIN else EXACT + text


def word_join_key(t: Token) -> str | None:
    """The key of an ordinary word or number that a run of the other name may rejoin to."""
    if (t.cls is TokenClass.ORDINARY or t.cls is TokenClass.NUMBER) and len(t.text) >= MIN_REJOINED:
        return t.skeleton if len(t.text) >= SHORT_JOIN else EXACT + t.text
    return None


def _swallowed(a: str, b: str) -> bool:
    """A single letter next to a word that, written as one with it, keeps the word's own
    key: the letter vanishes in the romanisation skeleton (a doubled letter folds, ``ij``
    reads ``i``: ``A Ardalan`` -> ``aardalan`` ~ ``ardalan``, ``Choi J`` -> ``choij`` ~
    ``choi``), so an initial standing for a given name would be lost, not joined. Only in
    a name shaped like a person's (``rejoined_runs``): ``R Rocket Enterprises`` still meets
    ``RRocket``."""
    if len(a) == 1:
        return join_key(a + b) == join_key(b)
    if len(b) == 1:
        return join_key(a + b) == join_key(a)
    return False


def rejoined_runs(tokens: Sequence[Token]) -> list[tuple[int, int, str]]:
    """``(position, size, join key)`` of each run of two or three neighbouring words that
    may be written as one word, each neighbouring pair joinable (``Abd al Salam`` /
    ``AbdalSalam``, ``BZKT-Almaz-Antey`` / ``BZKTAlmazAntey``). Index keys and the scorer's
    rejoining both come from here, so they always agree."""
    out: list[tuple[int, int, str]] = []
    if len(tokens) < 2:
        return out
    # one pass; joinable() of each neighbouring pair from the classes, looked up once
    generic = TokenClass.GENERIC
    a = tokens[0]
    a_sub, a_gen, a_word = a.cls in _SUBSTANTIVE, a.cls is generic, a.surface or a.text
    pending: tuple[int, str] | None = None  # the previous pair, if joinable: (i, joined)
    # a person-shaped name (ordinary words and initials only) keeps its initials apart
    person = all(t.cls is TokenClass.ORDINARY or t.cls is TokenClass.INITIAL for t in tokens)
    for i in range(1, len(tokens)):
        b = tokens[i]
        b_sub, b_gen, b_word = b.cls in _SUBSTANTIVE, b.cls is generic, b.surface or b.text
        if (a_sub or b_sub or (a_gen and b_gen)) and not (person and _swallowed(a_word, b_word)):
            joined = a_word + b_word
            if pending is not None:
                out.append((pending[0], MAX_RUN, join_key(pending[1] + b_word)))
            out.append((i - 1, 2, join_key(joined)))
            pending = (i - 1, joined)
        else:
            pending = None
        a_sub, a_gen, a_word = b_sub, b_gen, b_word
    return out


@dataclass(frozen=True, slots=True)
class NormalizedName:
    original: str
    tokens: tuple[Token, ...]

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


_INVISIBLE_TABLE = {ord(c): None for c in INVISIBLE}
_CONFUSABLE_CHARS = frozenset(CONFUSABLES)
_LATIN = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"\w+")
_DIGIT_SEP = re.compile(r"(?<=\d)[.,'](?=\d{3}\b)")
_APOSTROPHE = re.compile(r"(?<=\w)['’`´ʼ](?=\w)")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _read_lookalikes(text: str) -> str:
    """Read Cyrillic/Greek look-alikes as Latin inside words that already contain Latin, and
    in words made only of look-alikes that no real word is: Greek and Cyrillic mixed
    (``ΜΕС``), or a Cyrillic letter outside Russian (``САЅ``)."""
    if not _CONFUSABLE_CHARS.intersection(text):
        return text
    has_latin = _LATIN.search(text) is not None

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if _LATIN.search(word) or (
            all(c in _CONFUSABLES_OR_DIGIT for c in word) and (has_latin or _disguised(word))
        ):
            return "".join(CONFUSABLES.get(c, c) for c in word)
        return word

    return _WORD.sub(fix, text)


_GREEK = re.compile(r"[\u0370-\u03ff]")
_RARE_LOOKALIKES = frozenset("ЅѕԀԁԚԛԜԝһ")  # Macedonian/Abkhaz letters, not in Russian


def _disguised(word: str) -> bool:
    return (_GREEK.search(word) is not None and _CYRILLIC.search(word) is not None) or bool(
        _RARE_LOOKALIKES.intersection(word)
    )


_CONFUSABLES_OR_DIGIT = _CONFUSABLE_CHARS | frozenset("0123456789")


# "andGuidance", "TheSadidians": a small word run into a capitalised one, where the case
# shows the boundary (lower-case "and" before a capital, or "The" before a capitalised word).
_GLUED_SMALL_WORD = re.compile(r"\b(?:and|of|for|the|(?:And|Of|For|The)(?=[A-Z][a-z]))(?=[A-Z])")
# ... or a capitalised "And"/"Of"/"Et" ending a lower-case word: "JoundiEt", "PortOf".
_GLUED_SMALL_TAIL = re.compile(r"(?<=[a-z])(?=(?:And|Of|Et)\b)")


_CAMEL = re.compile(r"[a-z][A-Z]")
_CAMEL_WORD = re.compile(r"[A-Za-z]*[a-z][A-Z][A-Za-z]*")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")
# A word run into dotted initials or an "X&Y" abbreviation: "AerofalconS.L.", "IzhmashR&D".
_GLUED_INITIALS = re.compile(r"(?<=[a-z])(?=[A-Z](?:\.[A-Za-z]|&))")  # not "ZiD."
# ... or an "X&Y" abbreviation run into the next word: "S&DIndustry", "R&DUK".
_GLUED_AMPERSAND = re.compile(r"(?<=&[A-Z])(?=[A-Z])")
_LEFT_JOINERS = STOPWORDS | {"ve", "dis"}  # "VeDis", "VeTicaret" (Turkish "and", "foreign")
LONG_PART = 7  # a company word this long is a word of its own inside a camel-case word


def _split_camel(m: re.Match[str]) -> str:
    """Split a word at a case boundary where a side is a word of its own: a company word of
    7+ letters (``AssociationOrion``, ``HuaweiTechnologies``), a legal form on the right
    (``TradePTY``), a joining word on the left (``VeDis``). Brands written in camel case with
    short company words (``NucTech``, ``RosAero``, ``BiotaGroup``, ``OpenLab``) and syllables
    (``JingDaKaiYue``, ``ElTom``) stay whole, so a typo or a case change still meets them."""
    parts = _CAMEL_BOUNDARY.split(m.group(0))
    out = [parts[0]]
    for part in parts[1:]:
        left, right = out[-1].rsplit(" ", 1)[-1].lower(), part.lower()
        if (
            left in _LEFT_JOINERS
            or right in LEGAL_TOKENS
            or (left in KNOWN_WORDS and len(left) >= LONG_PART)
            or (right in KNOWN_WORDS and len(right) >= LONG_PART)
            or _legal_boundary(left, right)
            or _small_word_glued(left)
            or _small_word_glued(right)
        ):
            out.append(" " + part)
        else:
            out.append(part)
    return "".join(out)


_GLUED_SMALL_WORDS = ("and", "of", "for", "the")
MIN_GLUED_STEM = 5  # letters of a company word that "of"/"and" was run onto (``Plantof``)
MIN_STEM_OF = 4  # ... of any word before "of" at a case boundary (``Portof``)
MIN_STEM_AND = 7  # ... of any word before "and" at a case boundary (``Measurementand``)


def _small_word_glued(part: str) -> bool:
    """A company word with "of", "and", "for" or "the" run onto it in lower case, between
    case boundaries (``HarbinInstituteof Technology``, ``ScienceandTechnology``,
    ``fortheOil``): a word of its own, split from its neighbours (``respace`` then splits
    the small word off). The stem must be a known word, so names that merely end in those
    letters (``IslandTech``, ``GrandTech``, ``HollandAir``) stay whole."""
    for small in _GLUED_SMALL_WORDS:
        if part.endswith(small):
            stem = part[: -len(small)]
            if stem in STOPWORDS or (len(stem) >= MIN_GLUED_STEM and stem in KNOWN_WORDS):
                return True
            # at a case boundary "of" after four letters is the word (``PortofYalta``;
            # ``ProofTech`` keeps its three); "and" after seven that are no "-land" word
            # (``MeasurementandControl``; not ``SwitzerlandTrade``, ``DisneylandTours``)
            if small == "of" and len(stem) >= MIN_STEM_OF:
                return True
            if small == "and" and len(stem) >= MIN_STEM_AND and not stem.endswith("l"):
                return True
    return False


MIN_SIDE = 3  # letters on each side of a case boundary split for a legal-form word


def _legal_boundary(left: str, right: str) -> bool:
    """A legal-form word on one side of a case boundary, read through a misspelling, next to
    a word of 3+ letters: a long one on the left (``ObschchestvoEirburg``), one of 5+
    letters on the right (``SalesPrivat``); or legal-form words on both sides
    (``OpenJoint``). A letter or two before a capital is a typo (``oCmpany``, ``kAtsionernoe``
    with two letters swapped), not a word."""
    if left in PHRASE_WORDS and right in PHRASE_WORDS:
        return True
    if len(left) < MIN_SIDE or len(right) < MIN_SIDE:
        return False
    return _spelled(right) in LEGAL_PARTS or _spelled(left) in LEGAL_STEMS


# Capitals run into a capitalised word: "SMCPrivate", "ISemiconductor".
_CAPS_WORD = re.compile(r"(?<=[A-Z])([A-Z][a-z]+)")


def _split_caps(m: re.Match[str]) -> str:
    """Split capitals from the capitalised word after them when that word, as written, is a
    word of its own: a legal form of 5+ letters (``SMCPrivate``) or a company word of 7+
    letters (``ISemiconductor``). Other capitals-then-word runs stay whole (``BZKTAlmaz``),
    and so does a doubled capital (``JJoint``, a typo)."""
    word = m.group(1)
    low = word.lower()
    if m.string[m.start() - 1] == word[0]:
        return word
    if (low in KNOWN_WORDS and len(low) >= LONG_PART) or low in LEGAL_PARTS:
        return " " + word
    if _small_word_glued(low):  # "CASInstituteof Optics"
        return " " + word
    return word


# Capitals run into a capitalised word: "JSCNPPTopaz", "OOONPKOptolink", "PJSCKazan".
_CAPS_BEFORE_WORD = re.compile(r"\b[A-Z]{2,}(?=[A-Z][a-z])")
MAX_ACRONYM = 4  # letters of a legal-form or company acronym (``PJSC``, ``NPP``, ``OKB``)
MIN_WORD_AFTER = 4  # lower-case letters after the capital of a word two capitals run into


# Russian institutional acronyms among the generic words: NPO, NPP, NPK (research and
# production association / enterprise / complex), NII (research institute), OKB and KB
# (design bureau).
_INSTITUTIONAL = frozenset({"npo", "npp", "npk", "nii", "okb", "kb"})


def _acronyms() -> frozenset[str]:
    """Short legal forms (``jsc``, ``ooo``, ``pao``) and institutional acronyms that capitals
    may run together before a name."""
    legal = {w for w in LEGAL_TOKENS if 2 <= len(w) <= MAX_ACRONYM and w.isalpha()}
    return frozenset(legal | (_INSTITUTIONAL & GENERIC))


@lru_cache(maxsize=4_096)
def _acronym_run(caps: str) -> tuple[str, ...] | None:
    """``JSCNPP`` -> (``JSC``, ``NPP``): capitals that are wholly legal-form and company
    acronyms, longest first; ``None`` when they are not (``IRGC``, ``BZKT`` stay whole)."""
    if not caps:
        return ()
    for size in range(min(MAX_ACRONYM, len(caps)), 1, -1):
        if caps[:size].lower() in _ACRONYMS:
            rest = _acronym_run(caps[size:])
            if rest is not None:
                return (caps[:size], *rest)
    return None


def _split_acronyms(m: re.Match[str]) -> str:
    """Split legal-form and company acronyms run into the name after them (``JSCNPPTopaz``
    -> ``JSC NPP Topaz``): the capitals before a capitalised word show the boundary."""
    caps = m.group(0)
    if len(caps) == 2:
        after = m.string[m.end() + 1 : m.end() + 1 + MIN_WORD_AFTER]
        if len(after) < MIN_WORD_AFTER or not (after.isalpha() and after.islower()):
            return caps  # two capitals before a short word are a name (``AGTech``, ``ASTech``)
    parts = _acronym_run(caps)
    return caps if parts is None else " ".join(parts) + " "


# Capitals run into an "X&Y" abbreviation: "LEMZR&P" (three capitals before it at least, so
# "AT&T" stays as written).
_CAPS_AMPERSAND = re.compile(r"(?<=[A-Z]{3})(?=[A-Z]&[A-Z](?![A-Za-z]))")


_ACRONYMS = _acronyms()


def fold_text(text: str) -> str:
    """Unicode text -> lower-case ASCII with punctuation kept (not yet tokenised)."""
    text = strip_symbols(text.translate(_INVISIBLE_TABLE))  # before NFKC spells ™ as "TM"
    text = unicodedata.normalize("NFKC", text)
    text = _read_lookalikes(text)
    caps_word = _CAPS_WORD.search(text) is not None
    if caps_word:  # acronyms first: "JSCConcernVega" has its case boundary after them
        text = _CAPS_BEFORE_WORD.sub(_split_acronyms, text)
    if _CAMEL.search(text):  # every boundary below has a lower-case letter before a capital
        text = _GLUED_SMALL_TAIL.sub(" ", _GLUED_SMALL_WORD.sub(r"\g<0> ", text))
        text = _GLUED_INITIALS.sub(" ", _CAMEL_WORD.sub(_split_camel, text))
    if caps_word:
        text = _CAPS_WORD.sub(_split_caps, text)
    if "&" in text:
        text = _CAPS_AMPERSAND.sub(" ", _GLUED_AMPERSAND.sub(" ", text))
    text = text.casefold()
    if text.isascii():
        return text
    text = scripts_to_latin(text)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    if not text.isascii():
        text = anyascii(text)
    return text.lower()


# Two small words run together are never a name: "ofthe", "etde" (French "et de").
_GLUED_SMALL: dict[str, tuple[str, ...]] = {
    "ofthe": (), "forthe": (), "andthe": (), "etde": ("de",), "etla": ("la",),
    "etle": ("le",), "etdu": ("du",), "etdes": ("des",), "etles": ("les",),
}  # fmt: skip


# "M/S" (Messrs) run into the name: "M/STROJANS".
_MESSRS = re.compile(r"\bm/s(?=[a-z])")
# A single letter and "and" run together before another single letter: "Eand I" ("E and I").
_GLUED_LETTER_AND = re.compile(r"\b([a-z])and(?=[^a-z0-9]+[a-z](?![a-z0-9]))")


# Words of payment and order text around a name, never part of it (issue 16, section 5a):
# "PAYMENT FOR <name>", "PMT TO <name>", "INVOICE 4471 <name>", "<name> REF 20931",
# "c/o <name>", "ATTN <name>", "BENEFICIARY <name>"; and a generational suffix ending a
# person's name ("<name> JR", "III").
_PAYMENT_TEXT = re.compile(
    r"\b(?:payment|pmt|pymt)(?:\s+(?:to|for|of))?\b"
    r"|\b(?:invoice|inv|ref|reference)\b\W*(?:no\b\W*)?[0-9][0-9/-]*\b"
    r"|(?<![a-z0-9])c/o\b|\b(?:attn|beneficiary|remittance)\b"
)
# Generational suffixes ending a person's name ("<name> JR", "III"), dropped from the word
# list (not the text) so that "Open-III" and "Open I I I" fold like "Open III": idempotent.
_GENERATIONAL = frozenset({"jr", "sr", "iii"})


# "et" (French "and") is also the piece a word split in three often leaves ("Tic ar et" for
# Ticaret, "Ma rk et", "Kuzn et sov"): dropped as a stopword, the word could not be rejoined.
_SPLIT_ET = "et"


def _fragment(word: str) -> bool:
    """A piece of a split word, not a word: 2-3 letters, no word or legal form we know."""
    return (
        2 <= len(word) <= TUNABLES.max_split_fragment
        and word.isalpha()
        and word not in KNOWN_WORDS
        and word not in STOPWORDS
        and word not in LEGAL_TOKENS
    )


def _rejoin_split_et(pieces: list[str]) -> list[str]:
    """ "et" next to a 2-3 letter fragment is glued to it, to the left first (``tic ar et`` ->
    ``tic aret``, ``kuzn et sov`` -> ``kuzn etsov``), so that the scorer's rejoining of split
    words (``rejoined_runs``) meets the listed word; the French "et" between words (``Etudes
    et Fabrications``) has no fragment next to it and is dropped as before."""
    out: list[str] = []
    i = 0
    while i < len(pieces):
        w = pieces[i]
        if w == _SPLIT_ET:
            if out and _fragment(out[-1]):
                out[-1] += w
                i += 1
                continue
            if i + 1 < len(pieces) and _fragment(pieces[i + 1]):
                out.append(w + pieces[i + 1])
                i += 2
                continue
        out.append(w)
        i += 1
    return out


# Spanish "y" ("and") joins two words; first or last in a name it joins nothing and is a
# person's initial ("Y Krasheninnikov", "Kuan Y" for Yuri Krasheninnikov, Yip Kum Kuan).
_EDGE_INITIAL = "y"


def _without_stopwords(words: list[str]) -> list[str]:
    """The words less stopwords; a "y" first or last (of two or more words) is kept."""
    last = len(words) - 1
    return [
        w
        for i, w in enumerate(words)
        if w not in STOPWORDS or (w == _EDGE_INITIAL and last > 0 and (i == 0 or i == last))
    ]


def split_words(text: str) -> list[str]:
    """ASCII text -> words; ``&`` is ``and``; runs of single letters become one word."""
    if "_" in text:
        # a separator like any other punctuation, but a word character to the regexes
        # below: "PAYMENT_" kept its payment word once and lost it when normalised again
        text = text.replace("_", " ")
    if _PAYMENT_TEXT.search(text) is not None:
        text = _PAYMENT_TEXT.sub(" ", text)
    text = text.replace("&", " and ").replace("+", " and ").replace("jointstock", "joint stock")
    text = _DIGIT_SEP.sub("", text)
    text = _APOSTROPHE.sub("", text)
    if "/" in text:
        text = _MESSRS.sub("m/s ", text)
    if "and" in text:
        text = _GLUED_LETTER_AND.sub(r"\1 and", text)
    pieces = [w for w in _NON_ALNUM.split(text) if w]
    if _SPLIT_ET in pieces:
        pieces = _rejoin_split_et(pieces)
    if _EDGE_INITIAL in pieces:
        raw = [part for w in _without_stopwords(pieces) for part in _GLUED_SMALL.get(w, (w,))]
    else:
        raw = [part for w in pieces if w not in STOPWORDS for part in _GLUED_SMALL.get(w, (w,))]
    words: list[str] = []
    run: list[str] = []
    for w in raw:
        if len(w) == 1 and w.isalpha():
            run.append(w)
            continue
        if run:
            words.append("".join(run))
            run = []
        words.append(w)
    if run:
        words.append("".join(run))
    if _EDGE_INITIAL in words:
        words = _without_stopwords(words)
    else:
        words = [w for w in words if w not in STOPWORDS]
    while len(words) > 1 and words[-1] in _GENERATIONAL:
        words.pop()  # a generational suffix needs a word before it
    return words


MIN_THREE_WAY = 6  # letters of a known word rejoined from three pieces


def respace(words: list[str]) -> list[str]:
    """Undo spacing slips around known words: a known word split in two (``Tian Jin``,
    ``You Xian``) or three (``Tr ad ing``) is joined, two known words run together
    (``DesignBureau``, ``ofTechnology``) are split. Applied to both sides alike, so it can
    only make them meet."""
    out: list[str] = []
    split = False
    i = 0
    while i < len(words):
        w = words[i]
        if i + 2 < len(words):
            # a known word split in three ("Tr ad ing", "Insti tu te"): one piece is no word
            joined = w + words[i + 1] + words[i + 2]
            if (
                len(joined) >= MIN_THREE_WAY
                and joined in KNOWN_WORDS
                and not all(p in KNOWN_WORDS for p in words[i : i + 3])
            ):
                out.append(joined)
                i += 3
                continue
        if i + 1 < len(words):
            joined = w + words[i + 1]
            if (
                len(joined) >= 4
                and (joined in KNOWN_WORDS or _respelled_known(w, words[i + 1], joined))
                and not (w in KNOWN_WORDS and words[i + 1] in KNOWN_WORDS)
                # a letter before a legal form written as its symbol stays apart ("O JSC"
                # from "O:AO"): joined, normalising twice gave another name (idempotence)
                and not (len(w) == 1 and words[i + 1] in LEGAL_TOKENS)
                # a known word before a one-letter last word is a surname and its initial
                # ("Srv C", "Tech N"), not an abbreviation written apart: joined, the initial
                # was lost, and "C Srv" and "Srv C" scored differently
                and not (i + 2 == len(words) and len(words[i + 1]) == 1 and w in KNOWN_WORDS)
                # an initial first is not the first letter of a misspelt word ("E Sources"
                # was read as "resources" by one edit, and scored apart from "Sources E")
                and not (i == 0 and len(w) == 1 and joined not in KNOWN_WORDS)
            ):
                out.append(joined)
                i += 2
                continue
        parts = _split_spelled(w)
        split = split or len(parts) > 1
        out.extend(parts)
        i += 1
    if _EDGE_INITIAL in out:
        out = _without_stopwords(out)
    else:
        out = [w for w in out if w not in STOPWORDS]
    # a word split off may join its neighbour ("Micro Electronicsof" -> "micro electronics"
    # -> "microelectronics"): again until nothing splits, so normalising is idempotent (a
    # joined word is known, and a known word is never split, so this ends)
    return respace(out) if split else out


MIN_RESPELLED = 7  # letters of a split word read through a misspelling or romanisation
MAX_RESPELLED_PIECE = 3  # ... when one piece is this short (the check is not free)


def _respelled_known(w: str, nxt: str, joined: str) -> bool:
    """Two pieces, neither a known word, that together are a long generic or legal-form word
    misspelt (``Oty etstvennostyu``, ``Ka pital``): the listed name's word is read through
    the same correction, so the joined query word meets it."""
    return (
        len(joined) >= MIN_RESPELLED
        and min(len(w), len(nxt)) <= MAX_RESPELLED_PIECE
        and w not in KNOWN_WORDS
        and nxt not in KNOWN_WORDS
        and (corrected := misspelled_generic(joined)) is not None
        # not a place: two pinyin syllables are too often one edit from a city ("Yan Chang"
        # ~ Nanchang)
        and corrected not in LOCATIONS
    )


@lru_cache(maxsize=32_768)
def _spelled(word: str) -> str:
    """A one-edit misspelling of a long generic word or legal-form word, or a legal-form word
    under another romanisation, corrected, so that legal-form phrases still fold ("Federal
    State Unitary Enterprese", "Akzionernoe Obschtschestwo")."""
    if word in KNOWN_WORDS:
        return word
    return respelled_known(word) or misspelled_generic(word) or word


def _split_spelled(word: str) -> tuple[str, ...]:
    """Two known words run together, split (read through a misspelling); any other word is
    kept as written: the correction is applied later, with the written form kept as the
    token's surface, so a run-together word containing it can still be rejoined
    (``GazpromTelekom`` against ``Gazprom Telekom``, not ``Gazprom Telecom``)."""
    spelled = _spelled(word)
    parts = _split_known(spelled)
    return parts if len(parts) > 1 else (word,)


@lru_cache(maxsize=32_768)
def _split_known(word: str) -> tuple[str, ...]:
    if len(word) < 6 or word in KNOWN_WORDS or not word.isalpha():
        return (word,)
    # every split below needs a known tail: the first positions of a word longer than any
    # known word cannot give one, and skipping them keeps a long word linear, not quadratic
    for i in range(max(2, len(word) - _LONGEST_KNOWN), len(word) - 1):
        head, tail = word[:i], word[i:]
        if head in STOPWORDS and len(tail) >= 5 and tail in KNOWN_WORDS:
            return (head, tail)
        known_tail = tail in STOPWORDS or (len(tail) >= 5 and tail in KNOWN_WORDS)
        if len(head) >= 5 and head in KNOWN_WORDS and known_tail:
            return (head, tail)
    return _glued(word) or (word,)


def _glued(word: str) -> tuple[str, ...] | None:
    """Company words run together (``NewEnergy``, ``ElectronicsPte``, ``DisTicaret``), split
    when every part is a splittable company word; or a long legal-form word run into the name
    (``ObshchestvoGazprom``), split off. ``None`` when no such reading exists."""
    parts = _known_parts(word)
    if parts is not None:
        return parts
    # a head or a tail must be a legal stem: only positions that short from either end
    n = len(word)
    near = range(3, min(n - 2, _LONGEST_STEM + 1))
    far = range(max(3, n - _LONGEST_STEM, near.stop), n - 2)
    for i in (*near, *far):
        head, tail = word[:i], word[i:]
        if (head in LEGAL_STEMS and len(tail) >= 3) or (tail in LEGAL_STEMS and len(head) >= 3):
            return (head, tail)
    return None


def _known_parts(word: str) -> tuple[str, ...] | None:
    """``word`` as two or more splittable company words, longest head first (``Shipbuilding``
    + ``Aero``, not ``Ship`` + ``Building`` + ``Aero``). Two short words together
    (``Southwest``, ``Semitech``, ``OpenLab``) are more often a name of their own than a slip,
    and a typo in them would no longer meet the name: they stay whole."""
    for i in range(min(len(word) - 3, _LONGEST_SPLITTABLE), 2, -1):  # longer: no known head
        head, tail = word[:i], word[i:]
        if head in SPLITTABLE:
            if tail in SPLITTABLE and (len(head) >= 7 or len(tail) >= 7 or min(i, len(tail)) == 3):
                return (head, tail)
            rest = _known_parts(tail) if len(tail) >= 6 else None
            if rest is not None:
                return (head, *rest)
    return None


_LONGEST_KNOWN = max(map(len, KNOWN_WORDS | STOPWORDS))
_LONGEST_STEM = max(map(len, LEGAL_STEMS))
_LONGEST_SPLITTABLE = max(map(len, SPLITTABLE))


_ORDINAL = re.compile(r"^(?:[0-9]*[02-9])?(?:1st|2nd|3rd)$|^[0-9]*(?:1[0-9]|[04-9])th$")


@lru_cache(maxsize=262_144)
def classify(word: str, legal: str | None = None) -> Token:
    """One folded word (and its legal-form symbol, if it is one) -> a Token (shared)."""
    if legal is not None:
        return Token(legal, TokenClass.LEGAL, legal, "" if word == legal else word)
    if word.isdigit():
        return Token(word.lstrip("0") or "0", TokenClass.NUMBER, word.lstrip("0") or "0")
    if word[0].isdigit() and _ORDINAL.match(word):  # "558th" is the number 558
        digits = word.rstrip("stndrh").lstrip("0") or "0"
        return Token(digits, TokenClass.NUMBER, digits, word)
    canonical = CANONICAL.get(word, word)
    if canonical in GENERIC or canonical in PARTICLES:
        return Token(canonical, TokenClass.GENERIC, canonical, "" if canonical == word else word)
    corrected = respelled_known(word) or misspelled_generic(word)
    if corrected is not None:
        symbol = LEGAL_WORDS.get(corrected)
        if symbol is not None:
            return Token(symbol, TokenClass.LEGAL, symbol, word)
        corrected = CANONICAL.get(corrected, corrected)
        return Token(corrected, TokenClass.GENERIC, corrected, word)
    if len(word) == 1:
        return Token(word, TokenClass.INITIAL, word)
    full = SPELLED_OUT.get(word)
    if full is not None:
        return Token(full, TokenClass.ORDINARY, skeleton(full), word)
    return Token(word, TokenClass.ORDINARY, skeleton(word))


def normalize_uncached(name: str) -> NormalizedName:
    """A name as it is compared: ordered tokens with classes (order kept for display only)."""
    words = respace(split_words(fold_text(name)))
    if any(len(w) == 4 and w.endswith("and") for w in words):
        # a letter run onto "and" ("Eand I") is split off only before a single letter, which
        # respace may split off later ("Kand&SMC": "smc" -> "s mc"): the words are read once
        # more, so that normalising the normalised name gives it back (idempotence)
        words = respace(split_words(" ".join(words)))
    # legal-form phrases are recognised through misspellings and abbreviations of their words
    spelled = [PHRASE_ABBREVIATIONS.get(w) or _spelled(w) for w in words]
    tokens = tuple(classify(w, symbol) for w, symbol in fold_legal_forms(words, spelled))
    if not any(t.cls is TokenClass.ORDINARY or t.cls is TokenClass.NUMBER for t in tokens):
        promoted = TokenClass.GENERIC
        if not any(t.cls is TokenClass.GENERIC for t in tokens):
            promoted = TokenClass.LEGAL  # a name that is only a legal form ("FGUP")
        tokens = tuple(_promote(t) if t.cls is promoted else t for t in tokens)
    return NormalizedName(original=name, tokens=tokens)


def _promote(token: Token) -> Token:
    """In a name made only of generic words ("Shanghai Institute of Optics"), or only of a
    legal form, those words are what identifies it: they are compared as ordinary words."""
    return Token(token.text, TokenClass.ORDINARY, skeleton(token.text), token.surface, True)


normalize_name = lru_cache(maxsize=32_768)(normalize_uncached)


def normalize_text(name: str) -> str:
    """The normalised name as one string (for display, keys and idempotence checks)."""
    return normalize_name(name).text
