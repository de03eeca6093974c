"""The NLU's word lists and rules, read from the TOML files in bot/nlu/data/ (see their
headers): kept as data so that they can be read, reviewed and measured apart from the code."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> dict:
    """The parsed data file `name` (without ".toml"), read once per process."""
    with (DATA / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def expand(pattern: str, fragments: dict[str, str]) -> str:
    """`pattern` with every <NAME> replaced by fragments[NAME] (itself already expanded)."""
    return re.sub(r"<([A-Z_]+)>", lambda match: fragments[match[1]], pattern)
