"""Where sitreps keeps per-user data (imported actor dictionaries, the compiled gazetteer):
``$SITREPS_HOME``, else ``$XDG_DATA_HOME/sitreps``, else ``~/.local/share/sitreps``."""

from __future__ import annotations

import os
from pathlib import Path


def data_home() -> Path:
    if os.environ.get("SITREPS_HOME"):
        return Path(os.environ["SITREPS_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "sitreps"
