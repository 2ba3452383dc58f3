"""A semantic signal from static word vectors (issue 11, item 3): how close in meaning a question is to each entry.

The vectors are all-MiniLM-L6-v2 distilled into one vector per WordPiece token by model2vec
(`scripts/distill_vectors.py`). A text's vector is the mean of its tokens' vectors, normalized; the signal is the
cosine between the question's vector and each entry's. Only numpy is needed at run time (no torch, no tokenizers
library): the BERT-uncased WordPiece tokenization is re-done here, and checked against model2vec's own
(`scripts/distill_vectors.py --check`, `tests/test_semantic.py`). BLAS threads are pinned to one: a question costs
a few hundred multiply-adds per entry, which threads would only slow down.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import unicodedata  # noqa: E402
from collections.abc import Iterable  # noqa: E402
from functools import lru_cache  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

import numpy as np  # noqa: E402

if TYPE_CHECKING:  # the distillation venv reads vectors with this module but has no bot dependencies
    from bot.core.model import Entry, KnowledgeBase

MAX_WORD_CHARS = 100
"""BERT's WordPiece reads a longer word as one unknown token."""


class StaticVectors:
    """Token vectors and the tokenizer that indexes them. `embed()` is thread-safe."""

    def __init__(self, vocab: list[str], vectors: np.ndarray, scales: np.ndarray | None, unk: str) -> None:
        self._ids = {token: index for index, token in enumerate(vocab)}
        self._vectors = vectors
        self._scales = scales
        self._unk = self._ids.get(unk)
        self.dims = vectors.shape[1]
        # Words repeat from question to question: their pieces are computed once (and allocate nothing after).
        self._pieces = lru_cache(maxsize=8192)(self._pieces_uncached)

    @classmethod
    def load(cls, path: str | Path) -> StaticVectors:
        """Read the `.npz` that `scripts/distill_vectors.py` writes; raises ValueError naming a malformed file."""
        with np.load(path, allow_pickle=False) as data:
            missing = {"vocab", "vectors", "unk"} - set(data.files)
            if missing:
                raise ValueError(f"{path}: not a vectors file (missing {', '.join(sorted(missing))})")
            vocab = [str(t) for t in data["vocab"]]
            vectors = data["vectors"]
            scales = data["scales"] if "scales" in data.files else None
            unk = str(data["unk"])
        if len(vocab) != len(vectors) or (scales is not None and len(scales) != len(vectors)):
            raise ValueError(f"{path}: {len(vocab)} tokens but {len(vectors)} vectors")
        return cls(vocab, vectors, scales, unk)

    def token_ids(self, text: str) -> list[int]:
        """The WordPiece ids of `text`, unknown tokens left out (as model2vec does)."""
        return [i for word in _basic_tokens(text) for i in self._pieces(word) if i != self._unk]

    def _pieces_uncached(self, word: str) -> tuple[int, ...]:
        """Greedy longest-match-first WordPiece; a word that cannot be covered is one unknown token."""
        unknown = (self._unk,) if self._unk is not None else ()
        if len(word) > MAX_WORD_CHARS:
            return unknown
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self._ids:
                    pieces.append(self._ids[piece])
                    break
                end -= 1
            else:
                return unknown
            start = end
        return tuple(pieces)

    def embed(self, text: str) -> np.ndarray:
        """The normalized mean of the tokens' vectors (float32); zeros for a text with no known token."""
        ids = self.token_ids(text)
        if not ids:
            return np.zeros(self.dims, dtype=np.float32)
        rows = self._vectors[ids].astype(np.float32)
        if self._scales is not None:
            rows *= self._scales[ids, None]
        mean = rows.mean(axis=0)
        norm = float(np.linalg.norm(mean))
        return mean / norm if norm else mean


class SemanticIndex:
    """Every entry's text embedded once; `scores()` gives a question's cosine with each entry, in `kb.entries`
    order.

    `pooling` "text" embeds all of an entry's text as one; "fields" embeds the title, each alias and the summary
    apart, and an entry scores its best field (a question worded like one alias is not diluted by the rest)."""

    def __init__(self, kb: KnowledgeBase, vectors: StaticVectors, *, pooling: str = "text",
                 layer_words: bool = False) -> None:
        if pooling not in ("text", "fields"):
            raise ValueError(f"pooling must be 'text' or 'fields', not {pooling!r}")
        self._vectors = vectors
        rows: list[np.ndarray] = []
        owners: list[int] = []
        for index, entry in enumerate(kb.entries):
            texts = list(_entry_texts(kb, entry, layer_words))
            if pooling == "text":
                texts = [" . ".join(texts)]
            for text in texts:
                rows.append(vectors.embed(text))
                owners.append(index)
        self._matrix = np.vstack(rows) if rows else np.zeros((0, vectors.dims), dtype=np.float32)
        self._owner = np.asarray(owners, dtype=np.intp)
        self._size = len(kb.entries)

    def scores(self, question: str) -> np.ndarray:
        """Cosine (-1..1) between `question` and each entry; zeros when the question has no known token."""
        cosines = self._matrix @ self._vectors.embed(question)
        best = np.full(self._size, -1.0, dtype=np.float32)
        np.maximum.at(best, self._owner, cosines)
        return best


def _entry_texts(kb: KnowledgeBase, entry: Entry, layer_words: bool) -> Iterable[str]:
    yield entry.title
    yield from entry.aliases
    yield entry.summary
    yield entry.explanation
    if layer_words:
        words = [w for lid in entry.layers if (layer := kb.layer(lid)) for w in layer.words]
        if words:
            yield ", ".join(words)


def _basic_tokens(text: str) -> list[str]:
    """BERT-uncased basic tokenization: lower case, accents stripped, split on whitespace and punctuation."""
    text = unicodedata.normalize("NFD", text.lower())
    cleaned = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Mn" or char in "\x00\ufffd" or (category.startswith("C") and char not in "\t\n\r"):
            continue
        cleaned.append(f" {char} " if _is_punctuation(char) or (char >= "\u3400" and _is_cjk(char)) else char)
    return "".join(cleaned).split()


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in (
        (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F), (0x2B740, 0x2B81F),
        (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)))
