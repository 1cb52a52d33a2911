"""Company words: abbreviations folded to one form, and words too common to identify anyone.

The abbreviation table is data (``data/abbreviations.yaml``, each entry with its source).

``COMM``, ``Communication`` and ``Communications`` are one word for matching
(``GUANGZHOU HAIGE COMM GRP`` must find *Guangzhou Haige Communications Group*). Generic
words (industry words, places, particles) still count as evidence when they agree, but with a
low weight, so two names sharing only ``Technology`` or ``Shenzhen`` never look alike.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from compliance._yaml import load_table
from compliance.screening.legal_forms import PHRASE_WORDS, PHRASES
from compliance.screening.legal_forms import TOKENS as LEGAL_TOKENS
from compliance.screening.transliterate import skeleton

ABBREVIATIONS_FILE = resources.files("compliance.screening") / "data" / "abbreviations.yaml"


def _load_groups() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """canonical form -> its spellings, from ``data/abbreviations.yaml`` (sources there): the
    generic groups, and those marked ``generic: false`` (spellings of an identifying word)."""
    data = load_table(ABBREVIATIONS_FILE.read_text(encoding="utf-8"))
    groups: dict[str, tuple[str, ...]] = {}
    identifying: dict[str, tuple[str, ...]] = {}
    for key, entry in data.items():
        words = tuple(str(w) for w in entry["words"])
        if not words or not entry.get("source"):
            raise ValueError(f"abbreviations.yaml: {key}: needs words and a source")
        generic = entry.get("generic", True)
        if not isinstance(generic, bool):
            raise ValueError(f"abbreviations.yaml: {key}: generic must be true or false")
        (groups if generic else identifying)[str(key)] = words
    return groups, identifying


_GROUPS, _IDENTIFYING_GROUPS = _load_groups()

CANONICAL: dict[str, str] = {word: key for key, words in _GROUPS.items() for word in words}
# Spellings of identifying words folded to one form ("mech" -> "mechanical"): the token stays
# an ordinary word, weighed by its rarity.
SPELLED_OUT: dict[str, str] = {
    word: key for key, words in _IDENTIFYING_GROUPS.items() for word in words if word != key
}

_GENERIC_WORDS = (
    "general global branch office factory plant bureau academy bank shipping energy power "
    "capital partners trust fund new first union joint venture supply parts precision "
    "software digital data resources agency consulting medical health design marine motor "
    "motors metal metals steel oil gas air military microelectronics computer commercial "
    "economic cooperation state federal republic ministry works foundation society "
    "organization organisation scientific innovation innovations import export impex "
    "limited liability private public services trade agent agents overseas world universal "
    "transport equipment mining energy petrochemical nuclear space aircraft ship shipbuilding "
    "company enterprises laboratory laboratories lab labs unit division subsidiary affiliate "
    "head headquarters representative holdings concern complex kombinat zavod obyedinenie "
    "nauchno proizvodstvennoe npo npp nii okb kb design scientific research production "
    "institute center centre firm house telecom telecommunications telecommunication "
    "public open closed private joint stock free zone establishment building ticaret sanayi "
    "dis ve"
)
_LOCATIONS = (
    "china chinese russia russian iran iranian syria syrian korea korean north hong kong hongkong "
    "macau "
    "macao taiwan japan india indian pakistan uae emirates dubai sharjah abu dhabi turkey "
    "belarus ukraine germany america american usa uk british europe european asia asian "
    "africa middle east west south moscow petersburg novosibirsk yekaterinburg ekaterinburg "
    "kazan tehran beijing peking shanghai shenzhen guangzhou tianjin chongqing chengdu wuhan "
    "xian hangzhou nanjing suzhou dongguan xiamen harbin shenyang dalian qingdao jinan "
    "changsha zhengzhou hefei fuzhou kunming nanchang taiyuan shijiazhuang hohhot lanzhou "
    "urumqi ningbo wuxi zhuhai foshan hainan guangdong jiangsu zhejiang shandong henan hebei "
    "hubei hunan sichuan shaanxi shanxi fujian anhui jiangxi liaoning jilin heilongjiang "
    "yunnan guizhou guangxi gansu xinjiang tibet qinghai ningxia inner mongolia city province "
    "district region oblast krai kowloon istanbul minsk damascus pyongyang karachi lahore "
    "islamabad mumbai delhi singapore malaysia thailand vietnam armenia kazakhstan "
    "kyrgyzstan uzbekistan tajikistan georgia lebanon iraq cuba venezuela myanmar burma"
)


def _subsequence(short: str, word: str) -> bool:
    """``short`` is written with letters of ``word`` in order, from its first: the shape of
    an abbreviation (``assn``, ``assoc`` of ``association``; not ``products`` of
    ``production``)."""
    if not short or short[0] != word[0] or len(short) >= len(word):
        return False
    rest = iter(word)
    return all(c in rest for c in short)


def _phrase_abbreviations() -> dict[str, str]:
    """An abbreviation of a legal-form phrase word -> that word, from the abbreviation table:
    ``Research and Production Assn.`` folds like ``Research and Production Association``."""
    out: dict[str, str] = {}
    for word in sorted(PHRASE_WORDS):
        key = CANONICAL.get(word)
        if key is None or len(word) < 6:
            continue
        for spelling in _GROUPS[key]:
            if spelling not in PHRASE_WORDS and _subsequence(spelling, word):
                out.setdefault(spelling, word)
    return out


PHRASE_ABBREVIATIONS = _phrase_abbreviations()

# Particles and articles: kept (they carry a little information in names such as
# "Bank of China" vs "China Bank"), weighted like generic words.
_PARTICLES = "de del la le les des du da di do dos das van von der den al el ul bin ibn"

PARTICLES: frozenset[str] = frozenset(_PARTICLES.split())
LOCATIONS: frozenset[str] = frozenset(_LOCATIONS.split()) | {"branch", "office"}
GENERIC: frozenset[str] = frozenset(
    set(_GROUPS) | set(_GENERIC_WORDS.split()) | set(_LOCATIONS.split()) | PARTICLES
)
# Generic words that say what kind of organisation a party is, not what it trades in
# ("Institute", "Academy", "Group", "Holdings", "Centre"): one name is translated with one
# of them or another ("研究院" is "Research Institute" or "Academy"), so two names that differ
# only there do not name different trades (score.py, ``other_trade``). Canonical forms of
# data/abbreviations.yaml where the word has one.
_ORGANISATION = (
    "acad assoc ctr dept ent grp hldg inst intl natl resrch sci univ lab prod dev mgmt sol "
    "svc general global branch office factory plant bureau academy capital partners trust "
    "fund new first union joint venture state federal republic ministry works foundation "
    "society organization organisation scientific innovation innovations limited "
    "liability private public agency overseas world universal company enterprises "
    "laboratory laboratories labs unit division subsidiary affiliate head headquarters "
    "representative holdings concern complex kombinat zavod obyedinenie nauchno "
    "proizvodstvennoe npo npp nii okb kb research production institute center centre firm "
    "house open closed stock free zone establishment cooperation economic services"
)
ORGANISATION: frozenset[str] = frozenset(_ORGANISATION.split())
# Dropped outright: carry nothing ("&" arrives as "and").
STOPWORDS: frozenset[str] = frozenset({"and", "und", "et", "y", "the", "of", "for"})


_LEGAL_SURFACE = (
    "corporation", "incorporated", "company", "limited", "gesellschaft", "aktiengesellschaft",
    "obshchestvo", "aktsionernoe", "otvetstvennostyu", "ogranichennoy", "partnership",
    "liability", "sirketi", "berhad", "sendirian", "kompaniya",
)  # fmt: skip


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


MIN_TRUNCATED = 2  # letters a truncated spelling lacks at least (``electron``/``electronic``)


def _truncation(word: str) -> bool:
    """``word`` is a longer spelling of its group cut short (``electron``, ``technol``):
    an abbreviation, never the target of a misspelling ("Elektron" is a name, not a typo)."""
    longer = [len(w) - len(word) for w in _GROUPS[CANONICAL[word]] if w.startswith(word)]
    # a plural or inflection one letter longer ("electronic"/"electronics") is no truncation
    return min((n for n in longer if n > 0), default=0) >= MIN_TRUNCATED


# Long generic words, for reading a one-edit misspelling ("Tecnology") as the word itself.
_LONG_GENERIC: tuple[str, ...] = tuple(
    sorted(
        {w for w in CANONICAL if len(w) >= 7 and not _truncation(w)}
        | {w for w in GENERIC if len(w) >= 7}
        | {w for w in _LEGAL_SURFACE if len(w) >= 6}
        | {w for phrase in PHRASES for w in phrase if len(w) >= 6}
        | {w for w in LEGAL_TOKENS if len(w) >= 6}
    )
)
_LONG_GENERIC_SET = frozenset(_LONG_GENERIC)
_LONGEST_GENERIC = max(map(len, _LONG_GENERIC))
_GENERIC_BY_DELETE: dict[str, list[str]] = {}
for _word in _LONG_GENERIC:
    for _key in {_word} | _deletes(_word):
        _GENERIC_BY_DELETE.setdefault(_key, []).append(_word)


@lru_cache(maxsize=32_768)
def misspelled_generic(word: str) -> str | None:
    """The long generic word ``word`` is one edit away from, if exactly one is."""
    if len(word) < 6 or len(word) > _LONGEST_GENERIC + 1 or word in _LONG_GENERIC_SET:
        return None  # one edit changes the length by at most one
    found: dict[str, str] = {}
    for key in {word} | _deletes(word):
        for candidate in _GENERIC_BY_DELETE.get(key, ()):
            if _one_edit(word, candidate):
                found[CANONICAL.get(candidate, candidate)] = candidate
    return min(found.values()) if len(found) == 1 else None


def _one_edit(a: str, b: str) -> bool:
    """True if a and b differ by one insertion, deletion, substitution or transposition."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


def _known_words() -> frozenset[str]:
    words = set(CANONICAL) | GENERIC | set(LEGAL_TOKENS) | {w for p in PHRASES for w in p}
    words |= {"sons", "daughters", "partners"}
    return frozenset(w for w in words if len(w) >= 3)


# Words whose spelling we know: rejoined when split, split out when run together.
KNOWN_WORDS = _known_words()


# Words that may be split out of a run-together word when every part is one of them
# (``NewEnergy``, ``ElectronicsPte``): company words of 4+ letters, and the 3-letter ones
# that are real words or unmistakable forms (not ``per``, ``del``, ``inv``: too often part
# of a name, ``Persia``, ``Delfin``, ``Invent``; not ``lab`` or ``air``:
# ``OpenLab``, ``PowerAir``, ``Aircompany`` are names of their own).
_SPLITTABLE_SHORT = frozenset({
    "gas", "oil", "new", "dis", "npo", "npp", "okb", "nii", "ltd", "llc", "jsc", "oao", "ooo",
    "zao", "pao", "pte", "pvt", "plc", "inc", "fzc", "fze", "llp", "sti", "tbk", "bhd", "usa",
    "uae", "imp", "exp",
})  # fmt: skip
_NOT_SPLITTABLE = frozenset({"godo", "gong", "comp", "cons", "hold", "serv", "dist"})
SPLITTABLE: frozenset[str] = frozenset(
    w
    for w in KNOWN_WORDS
    if w.isalpha()
    and w not in PARTICLES
    and w not in _NOT_SPLITTABLE
    and (len(w) >= 4 or w in _SPLITTABLE_SHORT)
)


def _by_skeleton() -> dict[str, str]:
    found: dict[str, set[str]] = {}
    for w in (*KNOWN_WORDS, *LEGAL_TOKENS):
        if len(w) >= 6 and w.isalpha():
            found.setdefault(skeleton(w), set()).add(w)
    # spellings of one word ("aktsionernoe"/"aktsionernoye") share a skeleton: the first wins
    return {k: min(v) for k, v in found.items()}


_KNOWN_BY_SKELETON = _by_skeleton()


@lru_cache(maxsize=32_768)
def respelled_known(word: str) -> str | None:
    """A long company or legal-form word written under another romanisation of the Cyrillic,
    as the vocabulary spells it: ``Obshhestvo`` (GOST), ``Obschtschestwo`` (German) ->
    ``obshchestvo``; ``Texnologija`` (ISO 9) -> ``tekhnologiya``. The romanisation skeleton
    reconciles most schemes; German ``z`` for ``ц`` (``Akzionernoe``) and ISO ``x`` for ``х``
    are read as ``ts`` and ``kh`` here only, where the word is known to be Russian."""
    if len(word) < 6 or word in KNOWN_WORDS:
        return None
    found = _KNOWN_BY_SKELETON.get(skeleton(word))
    if found is None and "z" in word:
        found = _KNOWN_BY_SKELETON.get(skeleton(word.replace("z", "ts")))
    if found is None and "x" in word:
        found = _KNOWN_BY_SKELETON.get(skeleton(word.replace("x", "kh")))
    return found
