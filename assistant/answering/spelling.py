"""Typo repair against the store's own vocabulary: a question word that no indexed text contains is replaced by the
most frequent indexed word one edit away (symmetric deletion, as in SymSpell). No word list: the documents are the
dictionary, so it follows whatever is ingested. A word the embedding model's tokenizer knows whole is a real word,
not a typo, even when no document uses it ("charging" is not "changing")."""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
MIN_LEN = 5  # shorter words are too often another real word one edit away
SAMPLE_CHUNKS = 20000  # the vocabulary of a very large store is read from this many chunks


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class Speller:
    def __init__(self, texts: list[str], lexicon: frozenset[str] = frozenset()) -> None:
        self.lexicon = lexicon
        self.counts: Counter[str] = Counter(_key(w) for t in texts for w in _WORD.findall(t))
        self._by_delete: dict[str, list[str]] = {}
        for w in self.counts:
            if len(w) >= MIN_LEN - 1:
                for d in _deletes(w) | {w}:
                    self._by_delete.setdefault(d, []).append(w)

    def known(self, word: str) -> bool:
        return _key(word) in self.counts

    def suggest(self, word: str) -> str | None:
        """The most frequent indexed word within one edit (insert, delete, substitute, swap), if any."""
        w = _key(word)
        if len(w) < MIN_LEN or w in self.counts or w in self.lexicon:
            return None
        stem, _, clitic = w.partition("'")
        if clitic and (stem in self.counts or stem in self.lexicon):
            return None  # a known word with its clitic ("where's", "council's"), not a typo of "whereas"
        found: set[str] = set(self._by_delete.get(w, []))
        for d in _deletes(w):
            found.update(self._by_delete.get(d, []))
        found = {f for f in found if _one_edit(w, f)}
        return max(found, key=lambda f: (self.counts[f], f)) if found else None

    def correct(self, text: str) -> str:
        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            s = self.suggest(word)
            if s is None:
                return word
            # Written as typed where it was typed in capitals: "DfE" must still read as the acronym it names.
            return s.upper() if word.isupper() else s.capitalize() if word[0].isupper() else s

        return _WORD.sub(fix, text)


def _key(word: str) -> str:
    """A word as looked up: lower case, one apostrophe ("DfE’s" and "dfe's" are the same word)."""
    return word.lower().replace("’", "'")


def _one_edit(a: str, b: str) -> bool:
    if a == b:
        return False
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))
