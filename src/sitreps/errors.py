"""The exception tree of sitreps, in one place.

SitrepsError
├── ConfigError         a setting is unknown or has a bad value
├── InputError          one input cannot be read; becomes a Skip, never ends a batch
├── ModelError          the spaCy pipeline cannot be loaded
├── MissingExtraError   an optional dependency is not installed
├── StoreError          the store cannot be opened, migrated or written
├── EvaluationError     benchmark data is missing or malformed
├── GazetteerError      the gazetteer cannot be built, opened or extended (places.gazetteer)
└── ActorImportError    an actor dictionary cannot be imported (actors.importers; also a ValueError)

Messages say what failed, the value, and how to fix it. Errors carry context (the source,
the stage) as attributes so the CLI can report them without parsing strings.
"""

from __future__ import annotations


class SitrepsError(Exception):
    """Base class of every error sitreps raises on purpose."""


class ConfigError(SitrepsError):
    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class InputError(SitrepsError):
    """One input could not be turned into a document. ``reason`` is a short stable code."""

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        source: str,
        source_id: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.source = source
        self.source_id = source_id
        self.line = line


class ModelError(SitrepsError):
    pass


class MissingExtraError(SitrepsError):
    def __init__(self, package: str, extra: str, purpose: str) -> None:
        super().__init__(
            f"{purpose} needs the package {package!r}, which is not installed. "
            f"Install it with: pip install 'sitreps[{extra}]'"
        )
        self.package = package
        self.extra = extra


class StoreError(SitrepsError):
    pass


class EvaluationError(SitrepsError):
    pass
