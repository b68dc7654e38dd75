"""JSON Lines output files, written atomically: a reader never sees a half-written file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TextIO

from ..records import to_dict

OUTPUT_FILES = ("documents", "events", "claims", "incidents")


def dumps(record: Any) -> str:
    """One record as a compact, key-stable JSON line (the same input gives the same bytes)."""
    return json.dumps(to_dict(record), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class JsonlWriter:
    """Writes ``NAME.jsonl`` files under ``directory`` through temporary files renamed into
    place by :meth:`commit`; :meth:`abort` leaves the previous files untouched."""

    def __init__(self, directory: Path, names: tuple[str, ...] = OUTPUT_FILES) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, TextIO] = {
            name: open(self.directory / f".{name}.jsonl.tmp", "w", encoding="utf-8", newline="\n")
            for name in names
        }
        self.counts = dict.fromkeys(names, 0)

    def write(self, name: str, record: Any) -> None:
        self._files[name].write(dumps(record) + "\n")
        self.counts[name] += 1

    def commit(self) -> dict[str, Path]:
        paths = {}
        for name, handle in self._files.items():
            handle.close()
            final = self.directory / f"{name}.jsonl"
            os.replace(self.directory / f".{name}.jsonl.tmp", final)
            paths[name] = final
        return paths

    def abort(self) -> None:
        for name, handle in self._files.items():
            handle.close()
            (self.directory / f".{name}.jsonl.tmp").unlink(missing_ok=True)
