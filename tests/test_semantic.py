"""The static-vector reader of the semantic ablation (bench/semantic.py), on a small vectors file made here.

The real vectors are distilled offline (scripts/distill_vectors.py, whose --check compares this reader with
model2vec's own encode()); these tests pin the parts that check relies on: BERT-uncased WordPiece tokenization,
the mean-and-normalize embedding, int8 rows with their scales, and a clear error for a file of the wrong shape.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.semantic import SemanticIndex, StaticVectors
from bot.core import KnowledgeBase

VOCAB = ["[PAD]", "[UNK]", "who", "patch", "##es", "the", "guest", "os", "cafe", "?", "'", "s", "iam"]


def write_vectors(path: Path, vectors: np.ndarray, scales: np.ndarray | None = None, vocab=VOCAB) -> Path:
    arrays = {"vocab": np.array(vocab), "unk": np.array("[UNK]"), "vectors": vectors}
    if scales is not None:
        arrays["scales"] = scales
    np.savez_compressed(path, **arrays)
    return path


@pytest.fixture
def vectors(tmp_path: Path) -> StaticVectors:
    rows = np.eye(len(VOCAB), 16, dtype=np.float16)
    return StaticVectors.load(write_vectors(tmp_path / "v.npz", rows))


def ids(vectors: StaticVectors, tokens: list[str]) -> list[int]:
    return [VOCAB.index(t) for t in tokens]


def test_wordpiece_splits_words_into_the_longest_known_pieces(vectors: StaticVectors) -> None:
    assert vectors.token_ids("Who PATCHES the guest OS?") == ids(vectors, ["who", "patch", "##es", "the", "guest",
                                                                           "os", "?"])


def test_accents_are_stripped_and_punctuation_splits_words(vectors: StaticVectors) -> None:
    assert vectors.token_ids("Café's IAM") == ids(vectors, ["cafe", "'", "s", "iam"])


def test_a_word_that_cannot_be_covered_is_left_out_whole(vectors: StaticVectors) -> None:
    # "patchy": "patch" is known but "##y" is not, so the whole word is unknown, and unknown tokens are dropped.
    assert vectors.token_ids("who patchy weather") == ids(vectors, ["who"])


def test_embedding_is_the_normalized_mean_of_the_token_vectors(vectors: StaticVectors) -> None:
    embedded = vectors.embed("who os")
    expected = np.zeros(16)
    expected[[VOCAB.index("who"), VOCAB.index("os")]] = 2 ** -0.5
    assert np.allclose(embedded, expected)


def test_a_text_with_no_known_token_embeds_as_zeros(vectors: StaticVectors) -> None:
    assert not vectors.embed("zzzz qqqq").any()


def test_int8_rows_are_scaled_back(tmp_path: Path) -> None:
    rows = np.zeros((len(VOCAB), 2), dtype=np.int8)
    rows[VOCAB.index("who")] = (127, 0)
    rows[VOCAB.index("os")] = (0, 127)
    scales = np.ones(len(VOCAB), dtype=np.float32)
    scales[VOCAB.index("os")] = 3.0  # "os" three times as long as "who": the mean leans towards it
    loaded = StaticVectors.load(write_vectors(tmp_path / "q.npz", rows, scales))
    assert np.allclose(loaded.embed("who os"), np.array([1.0, 3.0]) / np.sqrt(10))


def test_a_file_of_the_wrong_shape_is_refused_with_its_name(tmp_path: Path) -> None:
    path = write_vectors(tmp_path / "bad.npz", np.zeros((3, 4), dtype=np.float16))
    with pytest.raises(ValueError, match=r"bad\.npz: 13 tokens but 3 vectors"):
        StaticVectors.load(path)


def test_an_entry_scores_highest_for_a_question_in_its_words(kb: KnowledgeBase, tmp_path: Path) -> None:
    guest = next(i for i, e in enumerate(kb.entries) if e.id == "guest-os-patching")
    loaded = StaticVectors.load(write_vectors(tmp_path / "v.npz", np.eye(len(VOCAB), 16, dtype=np.float16)))
    scores = SemanticIndex(kb, loaded, pooling="fields").scores("guest os")
    assert scores[guest] == pytest.approx(float(scores.max()))
    assert scores[guest] > 0.5
