"""The frozen, labelled sets of bench/understanding_eval.py, read from bench/data/ (their
headers describe the format and the sources)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
MESSAGES_FILE = DATA / "first_messages.txt"
DIALOGUES_FILE = DATA / "dialogues.txt"
# Tuning sets in the same format, for developing against (the held-out ones above are not):
# every dev_first_messages*.txt and dev_dialogues*.txt, so each area of work keeps its own file.
DEV_MESSAGES_FILES = tuple(sorted(DATA.glob("dev_first_messages*.txt")))
DEV_DIALOGUES_FILES = tuple(sorted(DATA.glob("dev_dialogues*.txt")))
# The *_check files are scored with the others but never tuned on (see their headers): the
# threshold of the fallback from examples (bench/understanding_dev.py) is chosen without them.
DEV_TUNING_MESSAGES_FILES = tuple(path for path in DEV_MESSAGES_FILES if not path.stem.endswith("_check"))
CLINIC_TZ = zoneinfo.ZoneInfo("America/Argentina/Buenos_Aires")


@dataclass
class LabelledMessage:
    text: str
    intents: set[str]
    entities: dict[str, str]
    country: str
    source: str


def _pairs(text: str) -> dict[str, str]:
    pairs = {}
    for item in text.split(";"):
        if item.strip():
            key, _, value = item.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def load_messages(*paths: Path) -> list[LabelledMessage]:
    """The labelled messages of the files (the held-out set by default), in order."""
    messages: list[LabelledMessage] = []
    for path in paths or (MESSAGES_FILE,):
        messages.extend(_messages_of(path))
    return messages


def _messages_of(path: Path) -> list[LabelledMessage]:
    messages, country, source = [], "", ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@country"):
            country = line.split(maxsplit=1)[1].strip()
        elif line.startswith("@source"):
            source = line.split(maxsplit=1)[1].strip()
        else:
            text, intents, entities = (part.strip() for part in line.split("|"))
            intents_set = {i.strip() for i in intents.split(",") if i.strip()}
            messages.append(LabelledMessage(text, intents_set, _pairs(entities), country, source))
    return messages


@dataclass
class Dialogue:
    id: str
    country: str
    channel: str
    start: dt.datetime
    setup: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    turns: list[str] = field(default_factory=list)
    expect: list[tuple[str, dict[str, str]]] = field(default_factory=list)


def _expectation(text: str) -> tuple[str, dict[str, str]]:
    kind, _, rest = text.strip().partition(" ")
    flags = {item.strip(): "" for item in rest.split(";") if item.strip() and "=" not in item}
    return kind, _pairs(";".join(item for item in rest.split(";") if "=" in item)) | flags


def load_dialogues(*paths: Path) -> list[Dialogue]:
    """The dialogues of the files (the held-out set by default), in order."""
    dialogues: list[Dialogue] = []
    for line in (line for path in paths or (DIALOGUES_FILE,) for line in path.read_text(encoding="utf-8").splitlines()):
        if line.startswith("==="):
            ident, country, channel, start = (part.strip() for part in line[3:].split("|"))
            start_at = dt.datetime.fromisoformat(start).replace(tzinfo=CLINIC_TZ)
            dialogues.append(Dialogue(ident, country, channel, start_at))
        elif line.startswith("> "):
            dialogues[-1].turns.append(line[2:])
        elif line.startswith("setup:"):
            dialogues[-1].setup.append(_expectation(line[len("setup:") :]))
        elif line.startswith("expect:"):
            dialogues[-1].expect.append(_expectation(line[len("expect:") :]))
    return dialogues
