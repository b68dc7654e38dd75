"""Settings: the commented defaults in ``default_settings.toml``, layered with a user file,
the environment and CLI flags. Built once, frozen, and passed down; no module-level state.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Mapping, get_type_hints

from .errors import ConfigError

ENV_PREFIX = "SITREPS_"


@dataclass(frozen=True, slots=True)
class InputSettings:
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    max_bytes: int
    detect_encoding: bool
    max_html_depth: int


@dataclass(frozen=True, slots=True)
class CleanSettings:
    drop_related_tail: bool
    related_tail_after: float


@dataclass(frozen=True, slots=True)
class NlpSettings:
    model: str
    batch_size: int
    max_chars: int
    components: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    places: bool
    selective_parse: bool


@dataclass(frozen=True, slots=True)
class StoreSettings:
    url: str


@dataclass(frozen=True, slots=True)
class RunSettings:
    workers: int
    batch_size: int


@dataclass(frozen=True, slots=True)
class Settings:
    input: InputSettings
    clean: CleanSettings
    nlp: NlpSettings
    extract: ExtractSettings
    store: StoreSettings
    run: RunSettings

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return {
            section.name: {
                key: list(value) if isinstance(value, tuple) else value
                for key, value in dataclasses.asdict(getattr(self, section.name)).items()
            }
            for section in dataclasses.fields(self)
        }

    def replace(self, overrides: Mapping[str, Mapping[str, Any]]) -> Settings:
        """A copy with ``{section: {key: value}}`` applied, validated like any other layer."""
        merged = self.to_dict()
        _merge(merged, overrides, origin="overrides")
        return _build(merged)


def _default_dict() -> dict[str, dict[str, Any]]:
    text = resources.files("sitreps").joinpath("default_settings.toml").read_text("utf-8")
    return tomllib.loads(text)


def _section_types() -> dict[str, dict[str, Any]]:
    sections = get_type_hints(Settings)
    return {name: get_type_hints(cls) for name, cls in sections.items()}


def _coerce(value: Any, expected: Any, key: str) -> Any:
    """Check (and for environment strings, convert) one value against its declared type."""
    if expected is bool:
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off"}:
                return False
        if isinstance(value, bool):
            return value
    elif expected is int:
        if isinstance(value, str):
            try:
                return int(value.replace("_", ""))
            except ValueError:
                pass
        elif isinstance(value, int) and not isinstance(value, bool):
            return value
    elif expected is float:
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif expected is str:
        if isinstance(value, str):
            return value
    elif expected == tuple[str, ...]:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return tuple(value)
    type_name = "list of strings" if expected == tuple[str, ...] else expected.__name__
    raise ConfigError(
        f"Setting {key} must be of type {type_name}, got {value!r}. "
        f"See default_settings.toml for its meaning and default.",
        key=key,
    )


def _merge(target: dict[str, dict[str, Any]], layer: Mapping[str, Any], *, origin: str) -> None:
    types = _section_types()
    for section, values in layer.items():
        if section not in types:
            raise ConfigError(
                f"Unknown settings section [{section}] in {origin}; "
                f"known sections: {', '.join(sorted(types))}.",
                key=section,
            )
        if not isinstance(values, Mapping):
            raise ConfigError(f"[{section}] in {origin} must be a table of keys.", key=section)
        for key, value in values.items():
            if key not in types[section]:
                raise ConfigError(
                    f"Unknown setting {section}.{key} in {origin}; "
                    f"known keys of [{section}]: {', '.join(sorted(types[section]))}.",
                    key=f"{section}.{key}",
                )
            target[section][key] = _coerce(value, types[section][key], f"{section}.{key}")


def _build(values: Mapping[str, Mapping[str, Any]]) -> Settings:
    types = _section_types()
    sections = {}
    for name, cls in get_type_hints(Settings).items():
        section_values = {
            key: _coerce(value, types[name][key], f"{name}.{key}")
            for key, value in values[name].items()
        }
        sections[name] = cls(**section_values)
    settings = Settings(**sections)
    _validate(settings)
    return settings


def _validate(settings: Settings) -> None:
    positive = {
        "input.max_bytes": settings.input.max_bytes,
        "input.max_html_depth": settings.input.max_html_depth,
        "nlp.batch_size": settings.nlp.batch_size,
        "nlp.max_chars": settings.nlp.max_chars,
        "run.workers": settings.run.workers,
        "run.batch_size": settings.run.batch_size,
    }
    for key, value in positive.items():
        if value < 1:
            raise ConfigError(f"Setting {key} must be at least 1, got {value}.", key=key)
    if not 0.0 <= settings.clean.related_tail_after <= 1.0:
        raise ConfigError(
            f"Setting clean.related_tail_after must lie in [0, 1], "
            f"got {settings.clean.related_tail_after}.",
            key="clean.related_tail_after",
        )


def _environment_layer(environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    layer: dict[str, dict[str, str]] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        section, _, key = name[len(ENV_PREFIX) :].partition("__")
        layer.setdefault(section.lower(), {})[key.lower()] = value
    return layer


def load_settings(
    *,
    config_file: str | Path | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the settings: defaults <- user file <- environment <- overrides (CLI flags).

    ``config_file`` defaults to ``$SITREPS_CONFIG`` when set. ``environ`` defaults to
    ``os.environ``; variables look like ``SITREPS_STORE__URL``.
    """
    environ = os.environ if environ is None else environ
    values = _default_dict()
    config_file = config_file or environ.get("SITREPS_CONFIG") or None
    if config_file:
        path = Path(config_file)
        try:
            layer = tomllib.loads(path.read_text("utf-8"))
        except OSError as error:
            raise ConfigError(f"Cannot read settings file {path}: {error.strerror}.") from error
        except UnicodeDecodeError as error:
            raise ConfigError(f"Settings file {path} is not UTF-8 text ({error.reason}).") from error
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"Settings file {path} is not valid TOML: {error}.") from error
        _merge(values, layer, origin=str(path))
    _merge(values, _environment_layer(environ), origin="the environment")
    if overrides:
        _merge(values, overrides, origin="command-line flags")
    return _build(values)
