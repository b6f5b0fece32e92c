"""The demo and the data generator in one package.

    facts.py      the real networks, institutes, themes, Track-1 bodies and names
    story.py      the demo's series, workshops, agendas and recommendations
    loader.py     load-demo: writes the demo in one unit of work
    bulk.py       the generator's bulk writer and the facts written in bulk
    synthetic.py  generate-data: realistic random data at scale

`from workshops.demo import load` loads the demo.
"""

from __future__ import annotations

from .loader import DEMO_PASSWORD, database_is_empty, load

__all__ = ["DEMO_PASSWORD", "database_is_empty", "load"]
