"""Places: the offline gazetteer (``gazetteer.py``), the import of GeoNames dumps into it
(``geonames_import.py``) and the geoparser that resolves place mentions against it
(``geoparse.py``)."""

from __future__ import annotations

from .gazetteer import Gazetteer, GazetteerError, Place, build_gazetteer, default_path
from .geonames_import import import_geonames

__all__ = ["Gazetteer", "GazetteerError", "Place", "build_gazetteer", "default_path", "import_geonames"]
