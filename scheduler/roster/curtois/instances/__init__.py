"""The 24 Curtois & Qu instances and their best-known values, bundled as package data.

Byte-identical copies of the public files (T. Curtois and R. Qu, "Computational results on new
staff scheduling benchmark instances", University of Nottingham, 2014); see README.md here.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

INSTANCES_DIR = Path(str(files(__name__)))
"""Directory holding ``Instance1.txt`` .. ``Instance24.txt`` and ``best_known.csv``."""
