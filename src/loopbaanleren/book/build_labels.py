"""How the book names what a build ran on: the kinds of data and the scenarios of simulated data (Dutch)."""

from __future__ import annotations

ROLE_NL = {"students": "studenten", "counsellors": "studieloopbaanbegeleiders", "interviews": "interviews"}
"""Each kind of data (a survey's population, or the interviews) as the book names it."""
SCENARIO_NL = {"default": "het gekalibreerde model", "null": "de negatieve controle (nulscenario)"}
"""The scenarios of simulated data, with how the book names them."""
