"""Benchmark: how well the engine recognises emergencies and statements of self-harm.

Prints, on the frozen held-out set (bench/data/safety/heldout.csv) and, for reference, on
the tuning sets (tuning.csv from public sources, dev.csv written for the project): recall on emergencies, recall on self-harm and precision on ordinary
booking/information messages (the share not mistaken for either), for the detector the
engine used before (`nlu.is_emergency`, which has no self-harm class: a hit counts as
recognised for both) and for `bot.safety.assess`. Also per origin (public text vs.
adapted from a public page), and every miss of the tuning sets. Misses of the held-out set
are counted, never listed: whoever tunes the lexicon must not see them; the held-out scores
are also given on the rows no tuning text equals word for word (bench/tuning_overlap.py).

    .venv/bin/python bench/safety_eval.py [--split heldout|tuning|dev|all]

Targets (issue 7): every self-harm phrasing, >= 95% of emergencies, >= 98% of ordinary
messages left alone."""

import argparse
import csv
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_assistant.test_settings")

import django  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "safety"
LABELS = ("emergency", "self_harm", "ordinary")


def load(split: str) -> list[dict]:
    with open(DATA / f"{split}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def before(text: str) -> str:
    from bot import nlu

    return "emergency" if nlu.is_emergency(text) else "ordinary"


def after(text: str) -> str:
    from bot import safety

    finding = safety.assess(text)
    return finding.concern.value if finding else "ordinary"


def recognised(label: str, predicted: str, *, lenient: bool) -> bool:
    """An emergency or self-harm row is recognised when the detector raises the right
    concern; the old detector has one class only, so any hit counts for it (`lenient`)."""
    if label == "ordinary":
        return predicted == "ordinary"
    return predicted != "ordinary" if lenient else predicted == label


def score(rows: list[dict], detector, *, lenient: bool) -> tuple[dict, list[tuple[dict, str]], float]:
    hits: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    started = time.perf_counter()
    for row in rows:
        predicted = detector(row["text"])
        ok = recognised(row["label"], predicted, lenient=lenient)
        for key in ((row["label"], "all"), (row["label"], row["origin"])):
            hits[key][0] += ok
            hits[key][1] += 1
        if not ok:
            misses.append((row, predicted))
    per_message_ms = (time.perf_counter() - started) * 1000 / max(1, len(rows))
    return hits, misses, per_message_ms


def line(name: str, hits: dict, per_message_ms: float) -> str:
    def pct(label: str, origin: str = "all") -> str:
        ok, total = hits.get((label, origin), (0, 0))
        return f"{100 * ok / total:5.1f}% ({ok}/{total})" if total else "   n/a"

    return (
        f"{name:<22} emergencies {pct('emergency')}  self-harm {pct('self_harm')}  "
        f"ordinary left alone {pct('ordinary')}  {per_message_ms:.2f} ms/message\n"
        f"{'':<22} public text: emergencies {pct('emergency', 'public')}  self-harm {pct('self_harm', 'public')}"
        f"  ordinary {pct('ordinary', 'public')}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("heldout", "tuning", "dev", "all"), default="all")
    args = parser.parse_args()
    django.setup()
    from bench.tuning_overlap import seen_in_tuning
    from bot import safety

    safety.assess("calentar")  # load the lexicon and the word list outside the timing
    splits = ("heldout", "tuning", "dev") if args.split == "all" else (args.split,)
    for split in splits:
        rows = load(split)
        counts = {label: sum(r["label"] == label for r in rows) for label in LABELS}
        print(f"\n== {split}: {len(rows)} messages {counts}")
        old, _, old_ms = score(rows, before, lenient=True)
        new, misses, new_ms = score(rows, after, lenient=False)
        print(line("before (nlu.is_emergency)", old, old_ms))
        print(line("after (bot.safety)", new, new_ms))
        if split == "heldout":
            unseen = [row for row in rows if not seen_in_tuning(row["text"])]
            print(f"{'':<22} on the {len(unseen)} rows no tuning text equals (bench/tuning_overlap.py):")
            print(line("after, unseen", score(unseen, after, lenient=False)[0], new_ms))
        if split != "heldout":
            for row, predicted in misses:
                print(f"   miss [{row['label']} -> {predicted}] {row['text']}")


if __name__ == "__main__":
    main()
