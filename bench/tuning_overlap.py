"""Which held-out messages the tuning data already holds, word for word.

The held-out sets (bench/understanding_eval.py's first messages, bench/safety_eval.py's
heldout.csv) were frozen before the NLU and the detector were tuned, and nobody tuning reads
them. But short everyday messages ("hola", "cuánto sale la consulta", "quiero morirme") are
written the same way by everyone, and public phrasings reach both a held-out set and the
tuning data written later (dev sets, the safety tuning rows, labelled examples, tests): some
tuning texts equal a held-out one. A score on those says less about phrasings never seen, so
both held-out reports also give the score on the messages no tuning text equals. Equal means
equal after `clinic.selectors.normalize_text` (case, accents, punctuation and spacing aside)."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where tuned-on text lives: the dev sets, the NLU's data files and every app's tests.
DEV_SET_GLOB = "bench/data/dev_*.txt"
SAFETY_TUNING_FILES = ("bench/data/safety/tuning.csv", "bench/data/safety/dev.csv")
SOURCE_GLOBS = ("bot/nlu/data/*.toml", "*/tests/*.py", "clinic/lexicon.py")
# A quoted literal on one line, in double or single quotes (TOML and Python alike).
QUOTED = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'')


def _dev_set_texts(path: Path) -> list[str]:
    """A first message is the text before its first "|"; a dialogue turn follows "> "."""
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("> "):
            texts.append(line[2:])
        elif "|" in line and not line.startswith(("#", "@", "=", "expect")):
            texts.append(line.split("|", 1)[0])
    return texts


def _quoted_texts(path: Path) -> list[str]:
    return [double or single for double, single in QUOTED.findall(path.read_text(encoding="utf-8"))]


@lru_cache(maxsize=1)
def tuning_texts() -> frozenset[str]:
    """Every text the tuning data holds, normalised."""
    from clinic.selectors import normalize_text

    texts = [text for path in sorted(ROOT.glob(DEV_SET_GLOB)) for text in _dev_set_texts(path)]
    for name in SAFETY_TUNING_FILES:
        with open(ROOT / name, newline="", encoding="utf-8") as handle:
            texts += [row["text"] for row in csv.DictReader(handle)]
    texts += [text for pattern in SOURCE_GLOBS for path in sorted(ROOT.glob(pattern)) for text in _quoted_texts(path)]
    return frozenset(normalize_text(text) for text in texts) - {""}


def seen_in_tuning(text: str) -> bool:
    from clinic.selectors import normalize_text

    return normalize_text(text) in tuning_texts()
