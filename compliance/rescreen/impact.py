"""Which stored counterparties a list update can affect, as a set of blocking keys.

A stored result stays exactly what a full re-screen would give unless one of these holds:

1. an entry was added or amended: any counterparty sharing a blocking key with one of its
   names may now hit it (``blocking_keys`` guarantees no other can);
2. an entry was removed or amended: its hits must go (done from the stored hits, by entry
   hash, without screening);
3. a token weight changed: the scorer weighs ordinary words by their rarity on the screened
   lists (``compliance.screening.score.TokenWeights``), so an update can move the score of a
   pair in which neither entry changed. Every listed name holding such a word, and every
   counterparty holding it, is re-screened.

Everything else - hits on unchanged entries, clear results with no affected key - carries
over; the equality with a full re-screen is tested on the 2022 and 2026 CSL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from compliance.screening.index import token_keys
from compliance.screening.normalize import Token, TokenClass, normalize_name
from compliance.screening.score import TokenWeights
from compliance.screening.transliterate import skeleton
from compliance.watchlists.entry import ListEntry
from compliance.watchlists.snapshot import ListSnapshot

Identity = tuple[str, str]
"""An entry as a stored hit names it: (registry source, entry content hash)."""

_UNSEEN = "\x00unseen-token\x00"


WeightFn = Callable[[Token], float]


@dataclass(frozen=True)
class Vocabulary:
    """Per listed name: its tokens; and the document frequencies the Screener derives."""

    names: tuple[tuple[Identity, tuple[Token, ...]], ...]
    df: dict[str, int]
    tokens: dict[str, Token]
    """One token per distinct word text, to ask the weight of (with its real class)."""

    @property
    def weights(self) -> TokenWeights:
        return TokenWeights(self.df, len(self.names))


def vocabulary(
    snapshots: Sequence[ListSnapshot], cache: dict[str, tuple[Token, ...]] | None = None
) -> Vocabulary:
    """Tokens of every listed name, counted the way ``Screener`` counts them for weights.

    ``cache`` (name text -> tokens) lets two snapshots that share most names normalise each
    name once. ``impact`` checks this mirror against the Screener's own weights and falls
    back to a full re-screen if they ever disagree.
    """
    cache = {} if cache is None else cache
    names: list[tuple[Identity, tuple[Token, ...]]] = []
    df: dict[str, int] = {}
    seen: dict[str, Token] = {}
    for snapshot in snapshots:
        for entry in snapshot.entries:
            ident = (snapshot.source, entry.content_hash())
            for text, _strength in entry.all_names:
                tokens = cache.get(text)
                if tokens is None:
                    tokens = cache[text] = tuple(normalize_name(text).tokens)
                if not tokens:
                    continue
                names.append((ident, tokens))
                for t in tokens:
                    seen.setdefault(t.text, t)
                for word in {t.text for t in tokens}:
                    df[word] = df.get(word, 0) + 1
    return Vocabulary(tuple(names), df, seen)


def name_texts(snapshots: Sequence[ListSnapshot]) -> Counter[str]:
    """Every listed name and alias: equal multisets mean equal word weights."""
    return Counter(text for s in snapshots for e in s.entries for text, _ in e.all_names)


def identities(snapshots: Sequence[ListSnapshot]) -> Counter[Identity]:
    return Counter((s.source, e.content_hash()) for s in snapshots for e in s.entries)


def _unseen(length: int) -> Token:
    word = ("qx" * length)[:length]
    return Token(word, TokenClass.ORDINARY, skeleton(word))


def changed_weights(old: Vocabulary, new: Vocabulary) -> tuple[frozenset[str], bool]:
    """Words whose weight differs, and whether words on neither list changed weight too."""
    w_old, w_new = old.weights, new.weights
    unseen_changed = any(w_old.weight(_unseen(n)) != w_new.weight(_unseen(n)) for n in (1, 2, 3, 8))
    tokens = {**old.tokens, **new.tokens}
    changed = frozenset(
        word for word, tok in tokens.items() if w_old.weight(tok) != w_new.weight(tok)
    )
    return changed, unseen_changed


@dataclass(frozen=True)
class Impact:
    """What an update changes, reduced to what the counterparty store can look up."""

    removed: frozenset[Identity]
    added: frozenset[Identity]
    changed_words: frozenset[str]
    keys: frozenset[str]
    everything: bool
    """True when the change cannot be narrowed (every counterparty must be re-screened)."""


def impact(
    old: Sequence[ListSnapshot], new: Sequence[ListSnapshot], *, check: WeightFn | None
) -> Impact:
    """Compare two snapshot sets; see the module docstring for the rules.

    ``check`` is the weight function of the Screener that will screen against ``new``; when
    the weights derived here disagree with it on any word (or it is None), the impact cannot
    be narrowed and ``everything`` is True.
    """
    old_ids, new_ids = identities(old), identities(new)
    removed = frozenset(i for i, n in old_ids.items() if new_ids.get(i, 0) != n)
    added = frozenset(i for i, n in new_ids.items() if old_ids.get(i, 0) != n)
    keys: set[str] = set()
    everything = False
    if name_texts(old) == name_texts(new):
        # same names, same document frequencies: no weight moved, only added entries matter
        words: frozenset[str] = frozenset()
        for snapshot in new:
            for entry in snapshot.entries:
                if (snapshot.source, entry.content_hash()) in added:
                    for text, _ in entry.all_names:
                        keys |= token_keys(normalize_name(text).tokens)
    else:
        cache: dict[str, tuple[Token, ...]] = {}
        old_vocab, new_vocab = vocabulary(old, cache), vocabulary(new, cache)
        mirror = new_vocab.weights
        everything = check is None or any(
            check(t) != mirror.weight(t) for t in new_vocab.tokens.values()
        )
        words, unseen_changed = changed_weights(old_vocab, new_vocab)
        everything = everything or unseen_changed
        tokens = {**old_vocab.tokens, **new_vocab.tokens}
        # a re-weighted word is looked up as a key below: only ordinary words are keys
        everything = everything or any(tokens[w].cls is not TokenClass.ORDINARY for w in words)
        for ident, name_tokens in new_vocab.names:
            if ident in added or any(t.text in words for t in name_tokens):
                keys |= token_keys(name_tokens)
        for word in words:  # counterparties that carry the word themselves
            keys.add(word)
            keys.add(skeleton(word))
    return Impact(
        removed=removed,
        added=added,
        changed_words=words,
        keys=frozenset(keys),
        everything=everything,
    )


def entries_by_identity(snapshots: Sequence[ListSnapshot]) -> dict[Identity, ListEntry]:
    return {(s.source, e.content_hash()): e for s in snapshots for e in s.entries}
