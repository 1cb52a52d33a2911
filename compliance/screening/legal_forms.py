"""Legal forms across languages, folded to one symbol per form.

A legal form says what kind of company a party is, not which one: it is carried as a
low-weight symbol so ``Co., Ltd.``, ``Company Limited`` and ``有限公司`` agree with each other,
while a match on the legal form alone can never reach the review threshold.
Phrases are matched on normalised ASCII tokens (after transliteration and the joining of
single letters, so ``S.A. de C.V.`` arrives as ``sa de cv`` and ``Sp. z o.o.`` as ``sp zoo``).
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

from compliance.screening.tunables import TUNABLES

# Multi-token phrases -> symbol. Longest phrase wins.
PHRASES: dict[tuple[str, ...], str] = {
    ("limited", "liability", "company"): "llc",
    ("limited", "liability", "partnership"): "llp",
    ("limited", "partnership"): "lp",
    ("joint", "stock", "company"): "jsc",
    ("jointstock", "company"): "jsc",
    ("open", "joint", "stock", "company"): "ojsc",
    ("closed", "joint", "stock", "company"): "cjsc",
    ("public", "joint", "stock", "company"): "pjsc",
    ("public", "limited", "company"): "plc",
    ("private", "limited", "company"): "pvt",
    ("private", "limited"): "pvt",
    ("sp", "zoo"): "spzoo",
    ("spzoo",): "spzoo",
    ("sa", "de", "cv"): "sadecv",
    ("s", "de", "rl"): "srl",
    ("sdn", "bhd"): "sdnbhd",
    ("pt", "tbk"): "tbk",
    ("societe", "anonyme"): "sa",
    ("sociedad", "anonima"): "sa",
    ("sociedade", "anonima"): "sa",
    ("societa", "per", "azioni"): "spa",
    ("sociedad", "limitada"): "sl",
    ("societe", "a", "responsabilite", "limitee"): "sarl",
    ("gesellschaft", "mit", "beschrankter", "haftung"): "gmbh",
    ("kabushiki", "kaisha"): "kk",
    ("yugen", "kaisha"): "yk",
    ("godo", "kaisha"): "gk",
    ("youxian", "gongsi"): "ltd",
    ("you", "xian", "gongsi"): "ltd",
    ("you", "xian", "zeren", "gongsi"): "llc",
    ("gufen", "you", "xian", "gongsi"): "jsc",
    ("gu", "fen", "youxian", "gongsi"): "jsc",
    ("gu", "fen", "you", "xian", "gongsi"): "jsc",
    ("gong", "si"): "co",
    ("youxian", "gong", "si"): "ltd",
    ("youxian", "zeren", "gongsi"): "llc",
    ("gufen", "youxian", "gongsi"): "jsc",
    ("obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"): "llc",
    ("obshchestvo", "s", "ogranichennoi", "otvetstvennostiu"): "llc",
    ("obshchestvo", "ogranichennoy", "otvetstvennostyu"): "llc",  # the "S" left out or glued
    ("obshchestvo", "ogranichennoi", "otvetstvennostiu"): "llc",
    ("aktsionernoe", "obshchestvo"): "jsc",
    ("aktsionernoye", "obshchestvo"): "jsc",
    ("otkrytoe", "aktsionernoe", "obshchestvo"): "ojsc",
    ("zakrytoe", "aktsionernoe", "obshchestvo"): "cjsc",
    ("publichnoe", "aktsionernoe", "obshchestvo"): "pjsc",
    ("federal", "state", "unitary", "enterprise"): "fgup",
    ("state", "unitary", "enterprise"): "gup",
    ("free", "zone", "establishment"): "fze",
    ("free", "zone", "company"): "fzco",
    ("fz", "llc"): "llc",
    ("ltd", "sti"): "ltdsti",
    ("spolka", "z", "ograniczona", "odpowiedzialnoscia"): "spzoo",
    ("spolka", "akcyjna"): "sa",
    ("spolecnost", "s", "rucenim", "omezenym"): "sro",
    ("spolocnost", "s", "rucenim", "obmedzenym"): "sro",
    ("akciova", "spolecnost"): "as",
    ("akciova", "spolocnost"): "as",
    ("drustvo", "s", "ogranicenom", "odgovornoscu"): "doo",
    ("aksionerno", "druzhestvo"): "ad",
    ("anonymi", "etaireia"): "sa",
    ("osakeyhtio",): "oy",
    ("aktiebolag",): "ab",
    ("aksjeselskap",): "as",
    ("aktieselskab",): "as",
    ("anpartsselskab",): "aps",
    ("osauhing",): "ou",
    ("aktsiaselts",): "as",
    ("naamloze", "vennootschap"): "nv",
    ("besloten", "vennootschap"): "bv",
    ("societa", "a", "responsabilita", "limitata"): "srl",
    ("sociedade", "limitada"): "ltd",
    ("sociedad", "de", "responsabilidad", "limitada"): "srl",
    ("private", "joint", "stock", "company"): "jsc",
    # the form written without its "Company" ("Open Joint-Stock Oil and Gas Company Syzran",
    # "Private Joint-Stock Mako Holding"): the same form. A bare "Joint Stock" stays words:
    # it is also part of names ("Voronezh Joint Stock Aircraft Company")
    ("open", "joint", "stock"): "ojsc",
    ("closed", "joint", "stock"): "cjsc",
    ("public", "joint", "stock"): "pjsc",
    ("private", "joint", "stock"): "jsc",
    ("non", "public", "joint", "stock", "company"): "jsc",
    ("scientific", "production", "association"): "npo",
    ("research", "production", "association"): "npo",
    ("limited", "sirketi"): "ltdsti",
    ("anonim", "sirketi"): "as",
    ("sendirian", "berhad"): "sdnbhd",
}

# Spelling variants read as one word inside phrases ("Limited Liability Comp.").
_PHRASE_WORD: dict[str, str] = {
    "co": "company", "comp": "company", "compania": "company", "ltd": "limited",
}  # fmt: skip

# Single tokens -> symbol. ("osoo": the Kyrgyz ОсОО, Общество с ограниченной
# ответственностью, a limited liability company, as the SDN list romanises it: TRO YA OSOO.)
TOKENS: dict[str, str] = {
    "co": "co", "company": "co", "comp": "co", "cie": "co", "compania": "co",
    "companhia": "co", "compagnie": "co", "coy": "co", "gongsi": "co", "kompaniya": "co",
    "kompanii": "co",
    "ltd": "ltd", "limited": "ltd", "ltda": "ltd",
    "corp": "corp", "corporation": "corp", "corpn": "corp", "korporatsiya": "corp",
    "inc": "inc", "incorporated": "inc",
    "llc": "llc", "ooo": "llc", "tov": "llc", "fzllc": "llc", "osoo": "llc",
    "llp": "llp", "lp": "lp", "plc": "plc", "pvt": "pvt", "pte": "pte", "pty": "pty",
    "jsc": "jsc", "ao": "jsc", "ojsc": "ojsc", "oao": "ojsc", "cjsc": "cjsc", "zao": "cjsc",
    "pjsc": "pjsc", "pao": "pjsc", "npao": "jsc", "nao": "jsc", "ooo.": "llc",
    "gmbh": "gmbh", "mbh": "gmbh", "ag": "ag", "aktiengesellschaft": "ag", "kg": "kg",
    "kgaa": "kgaa",
    "sa": "sa", "sas": "sas", "sasu": "sas", "sarl": "sarl", "eurl": "eurl", "snc": "snc",
    "spa": "spa", "srl": "srl", "sl": "sl", "slu": "sl", "sau": "sa", "sadecv": "sadecv",
    "bv": "bv", "nv": "nv", "bvba": "bvba", "cv": "cv",
    "npo": "npo", "npp": "npp", "npk": "npk", "ou": "ou", "uab": "uab", "sia": "sia",
    "oy": "oy", "oyj": "oy", "ab": "ab", "as": "as",
    "asa": "as", "aps": "aps",
    "kk": "kk", "kft": "kft", "zrt": "zrt", "nyrt": "nyrt", "sro": "sro", "doo": "doo",
    "ad": "ad", "ead": "ead", "ood": "ood", "eood": "eood",
    "bhd": "bhd", "sdnbhd": "sdnbhd", "tbk": "tbk", "pt": "pt", "cv.": "cv",
    "fze": "fze", "fz": "fz", "fzco": "fzco", "fzc": "fzc", "fzoo": "fzco", "wll": "wll",
    "sti": "ltdsti", "ltdsti": "ltdsti",
    "obshchestvo": "obshchestvo", "aktsionernoe": "jsc", "aktsionernoye": "jsc",
    "zakrytoe": "closed", "otkrytoe": "open", "publichnoe": "public", "sirketi": "sirketi",
    "anonim": "anonim", "tovarishchestvo": "partnership", "sao": "cjsc", "berhad": "bhd",
    "fgup": "fgup", "fsue": "fgup", "gup": "gup", "mup": "gup", "fgbu": "fgbu", "fgu": "fgu",
}  # fmt: skip

SYMBOLS: frozenset[str] = frozenset(PHRASES.values()) | frozenset(TOKENS.values())
MAX_PHRASE = max(len(p) for p in PHRASES)


# Multi-word phrases by (size, position left out, the other words): finds a phrase in which
# one word is misspelt ("Joint Sttock Company", "Limitex Sirketi").
_PHRASE_WORDS: frozenset[str] = frozenset(w for phrase in PHRASES for w in phrase)
PHRASE_WORDS = _PHRASE_WORDS  # every word of a legal-form phrase ("open", "joint", "stock")
# Legal-form words of 5+ letters: one run onto a name on the right ("SalesPrivat",
# "SMCPrivate") is a word of its own.
LEGAL_PARTS: frozenset[str] = frozenset(w for w in (*TOKENS, *_PHRASE_WORDS) if len(w) >= 5)
_PHRASE_BY_GAP: dict[tuple[int, int, tuple[str, ...]], list[tuple[str, ...]]] = {}
for _phrase in sorted(PHRASES):
    if len(_phrase) >= 2:
        for _m in range(len(_phrase)):
            _gap = (len(_phrase), _m, _phrase[:_m] + _phrase[_m + 1 :])
            _PHRASE_BY_GAP.setdefault(_gap, []).append(_phrase)
MIN_MISSPELT = 5  # a misspelt phrase word this long (and the intended one) may still fold


def _one_edit(a: str, b: str) -> bool:
    """One insertion, deletion, substitution or adjacent transposition apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    return OSA.distance(a, b, score_cutoff=1) <= 1


def _misspelt_phrase(words: list[str], known: list[bool], i: int, size: int) -> str | None:
    """The symbol of a phrase of ``size`` words at ``i`` in which exactly one word is a
    one-edit misspelling (the intended word 5+ letters long, the misspelt one 5+ or, for a
    letter left out, ``TUNABLES.min_misspelt_legal`` letters: ``Joint Stck Company``) and
    every other word is exact."""
    off = [m for m in range(size) if not known[i + m]]
    if len(off) > 1:
        return None
    window = words[i : i + size]
    for m in off or range(size):
        word = window[m]
        if len(word) < TUNABLES.min_misspelt_legal:
            continue
        for phrase in _PHRASE_BY_GAP.get((size, m, tuple(window[:m] + window[m + 1 :])), ()):
            if len(phrase[m]) >= MIN_MISSPELT and _one_edit(word, phrase[m]):
                return PHRASES[phrase]
    return None


def fold_legal_forms(
    tokens: list[str], spelled: list[str] | None = None
) -> list[tuple[str, str | None]]:
    """Pair each word (or legal-form phrase, joined) with its legal-form symbol, if any.

    ``spelled`` are the same words with misspellings corrected: forms are recognised on
    them, while the words returned stay as written (the caller keeps them as surfaces)."""
    out: list[tuple[str, str | None]] = []
    i = 0
    n = len(tokens)
    if spelled is None:
        spelled = tokens
    words = [_PHRASE_WORD.get(t, t) for t in spelled]
    known = [w in _PHRASE_WORDS for w in words]
    while i < n:
        # a phrase with one misspelt word has a phrase word in its first two places
        fuzzy = known[i] or (i + 1 < n and known[i + 1])
        for size in range(min(MAX_PHRASE, n - i), 1, -1):
            symbol = PHRASES.get(tuple(words[i : i + size]))
            if symbol is None and fuzzy:
                symbol = _misspelt_phrase(words, known, i, size)
            if symbol is not None:
                out.append(("".join(tokens[i : i + size]), symbol))
                i += size
                break
        else:
            tok = spelled[i]
            single = TOKENS.get(tok) or PHRASES.get((tok,))
            if single is None and tok in SYMBOLS:
                single = tok
            out.append((tokens[i], single))
            i += 1
    return out


# Long legal-form words, for reading a one-edit misspelling ("Corplration") as the form.
LEGAL_WORDS: dict[str, str] = {
    w: TOKENS.get(w) or PHRASES.get((w,)) or w
    for w in (
        *(t for t in TOKENS if len(t) >= 6),
        *(w for phrase in PHRASES for w in phrase if len(w) >= 6 and (w,) in PHRASES),
    )
}

# Long legal-form words that are never part of a company's own word: one run into a name
# (``ObshchestvoGazprom``, ``OtvetstvennostyuTransservis``) is split off.
# English and Romance words are left out: they begin or end real names ("Federalnaya",
# "Coproduction"), and when run into another company word they split as known words anyway.
_COMMON_STEMS = frozenset(
    [
        "association",
        "company",
        "corporation",
        "enterprise",
        "establishment",
        "federal",
        "limited",
        "liability",
        "partnership",
        "private",
        "production",
        "research",
        "scientific",
        "unitary",
        "incorporated",
        "compania",
        "companhia",
        "compagnie",
        "anonima",
        "anonyme",
        "limitada",
        "limitata",
        "limitee",
        "sociedad",
        "sociedade",
        "societa",
        "societe",
        "haftung",
    ]
)
LEGAL_STEMS: frozenset[str] = frozenset(
    w
    for w in (*TOKENS, *(w for phrase in PHRASES for w in phrase))
    if len(w) >= 7 and w.isalpha() and w not in _COMMON_STEMS
)
