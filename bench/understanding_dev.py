"""Rules or a classifier? Intent recognition measured on a dev split of the tuning set.

The tuning set is bot/nlu/data/intent_examples.toml (labelled examples per intent, own
writing). Every fifth example of each intent is held out as the dev split; a character
n-gram classifier (scikit-learn: TF-IDF over 2-5 character n-grams of the normalised text,
logistic regression) is trained on the other four fifths, and both it and the rules engine
(bot/nlu/intents.py over bot/nlu/data/intents.toml) are scored on the dev split: a message is
right when the labelled intent is among those recognised (the classifier gives one).

The rules were written looking at the whole tuning set, so their dev score flatters them;
the classifier's is honest. The numbers decide which recognizer the offline brain uses;
neither is tuned on the held-out sets of bench/understanding_eval.py.

Then the fallback the offline brain uses when the rules find no intent (bot/nlu/examples.py:
the nearest labelled examples vote, char n-gram TF-IDF cosine) is measured on phrasings it
has not seen, per dev tuning file: the file's messages are read by the rules, and the
fallback, built without that file (nor any example equal to one of its messages), answers
where the rules found nothing. Per threshold: messages rescued (now right) and wrong answers
given (the fallback fired and the message is still wrong). Two readings of "the rules":
  - leave-one-file-out: today's rules, which were tuned on the file (flatters them: little
    is left for the fallback);
  - --history: the rules as they were at the commit that added the file, before anyone tuned
    on them (HISTORY; each commit checked out in a temporary detached worktree). This is the
    honest proxy for held-out phrasings, and the one the threshold is chosen on.

Usage: .venv/bin/python bench/understanding_dev.py [--history] [--write-examples]
  --write-examples regenerates bot/nlu/data/dev_intent_examples.toml from the tuning files
  (needs requirements-dev.txt)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV_EVERY = 5
THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
# Yes/no and small talk said along with a request do not change what the message asks for.
MINOR_INTENTS = {"greeting", "affirm", "deny"}
# Each tuning file and the commit that added it before the rules were tuned on it (the
# dev_first_messages commit changed an entity rule in the same commit; the _check files were
# never tuned on, so today's rules are honest for them).
HISTORY = {
    "dev_first_messages": "4d5a075",
    "dev_first_messages_entities": "67d5ec9",
    "dev_first_messages_intents": "826b7a5",
    "dev_first_messages_r2a": "517fa29",
    "dev_first_messages_r2b": "5ea7a3a",
}
DEV_EXAMPLES = ROOT / "bot" / "nlu" / "data" / "dev_intent_examples.toml"
# Run with a tree's own code (today's or an old commit's): texts in, what its rules read out,
# the fallback switched off. Only interfaces every HISTORY commit already had.
READ_WITH_RULES = """
import contextlib, io, json, sys
from unittest import mock
sys.path.insert(0, ".")
texts = json.load(sys.stdin)
from bench.common import setup_demo_django
with contextlib.redirect_stdout(io.StringIO()):
    setup_demo_django(use_database_url=False, prefix="understanding_dev_rules_")
from bench.understanding_adapter import GUESSED_ONLY_WITHOUT
from bench.understanding_eval import MESSAGES_NOW
from bot import nlu
from bot.brains.rules import Turn
from bot.models import Conversation
from bot.types import ToolContext
from clinic.models import Clinic
clinic = Clinic.objects.get(name="Clínica San Rafael")
rows = {}
off = hasattr(nlu, "intent_from_examples")  # the oldest commit had no fallback
with mock.patch.object(nlu, "intent_from_examples", return_value=None) if off else contextlib.nullcontext():
    for text in texts:
        context = ToolContext(conversation=Conversation(clinic=clinic), clinic=clinic, now=MESSAGES_NOW)
        turn = Turn(text=text, context=context, confirm_before_booking=True)
        rows[text] = {"rules": list(turn.intents), "guessed": sorted(GUESSED_ONLY_WITHOUT),
                      "specialty": turn.specialty_in_text() is not None, "doctor": turn.doctor_in_text() is not None,
                      "coverage": bool(getattr(turn, "coverage_in_text", lambda: None)())}
json.dump(rows, sys.stdout)
"""


def split(examples: dict[str, list[str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    train, dev = [], []
    for intent, texts in examples.items():
        for index, text in enumerate(texts):
            (dev if index % DEV_EVERY == DEV_EVERY - 1 else train).append((text, intent))
    return train, dev


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history", action="store_true", help="rules as they were before each file (slow)")
    parser.add_argument("--write-examples", action="store_true", help=f"regenerate {DEV_EXAMPLES.name}")
    args = parser.parse_args()
    from bench.common import setup_demo_django

    setup_demo_django(use_database_url=False, prefix="understanding_dev_")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from bot import nlu
    from bot.nlu.lexicon import load

    train, dev = split(load("intent_examples"))
    print(f"Tuning set: {len(train) + len(dev)} examples, {len({i for _t, i in train})} intents; dev split {len(dev)}")

    started = time.perf_counter()
    rules_right = sum(intent in nlu.detect_intents(text) for text, intent in dev)
    rules_ms = (time.perf_counter() - started) * 1000 / len(dev)

    classifier = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), preprocessor=nlu.understand, sublinear_tf=True),
        LogisticRegression(max_iter=2000, C=10),
    )
    classifier.fit([t for t, _i in train], [i for _t, i in train])
    started = time.perf_counter()
    predicted = classifier.predict([t for t, _i in dev])
    classifier_ms = (time.perf_counter() - started) * 1000 / len(dev)
    classifier_right = sum(p == i for p, (_t, i) in zip(predicted, dev, strict=True))

    print(f"  rules engine        {rules_right / len(dev):6.1%}   {rules_ms:5.2f} ms/message")
    print(f"  char n-gram + LR    {classifier_right / len(dev):6.1%}   {classifier_ms:5.2f} ms/message")
    misses = [(t, i, p) for p, (t, i) in zip(predicted, dev, strict=True) if p != i]
    for text, intent, guess in misses[:10]:
        print(f"    classifier: {text!r} is {intent}, got {guess}")
    if args.write_examples:
        write_dev_examples()
    fallback_report(history=args.history)
    return 0


def single_intent(intents: set[str]) -> str | None:
    """The one intent a dev message is an example of, if it has one the fallback may answer."""
    from bot.nlu import examples

    main = intents - MINOR_INTENTS or intents & {"greeting"}
    if len(main) != 1 or main & examples.NOT_FROM_EXAMPLES:
        return None
    return next(iter(main))


def dev_examples(stems: set[str]) -> list[tuple[str, str]]:
    from bench.understanding_data import DEV_TUNING_MESSAGES_FILES, load_messages

    files = [path for path in DEV_TUNING_MESSAGES_FILES if path.stem in stems]
    return [(m.text, intent) for m in load_messages(*files) if (intent := single_intent(m.intents))]


def write_dev_examples() -> None:
    """The tuning files' single-intent messages as examples of the fallback, grouped by intent
    (those already written as examples left out)."""
    from bench.understanding_data import DEV_TUNING_MESSAGES_FILES
    from bot.nlu import examples
    from bot.nlu.lexicon import load

    written = {examples.understand(t) for texts in load("intent_examples").values() for t in texts}
    by_intent: dict[str, list[str]] = defaultdict(list)
    seen = set(written)
    for text, intent in dev_examples({path.stem for path in DEV_TUNING_MESSAGES_FILES}):
        if (key := examples.understand(text)) not in seen:
            seen.add(key)
            by_intent[intent].append(text)
    lines = [
        "# Generated by `bench/understanding_dev.py --write-examples`: do not edit by hand.",
        "# The dev first messages (bench/data/dev_first_messages*.txt, not the _check files) that",
        "# have one main intent, as more examples of the fallback (bot/nlu/examples.py).",
        "",
    ]
    for intent in sorted(by_intent):
        lines.append(f"{intent} = [")
        lines.extend(f"  {json.dumps(text, ensure_ascii=False)}," for text in by_intent[intent])
        lines.extend(["]", ""])
    DEV_EXAMPLES.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {sum(map(len, by_intent.values()))} examples to {DEV_EXAMPLES.relative_to(ROOT)}")


def read_with_rules(tree: Path, texts: list[str]) -> dict[str, dict]:
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", READ_WITH_RULES],
        cwd=tree,
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def rules_then(tree_of: dict[str, str | None], texts: list[str]) -> dict[str, dict[str, dict]]:
    """Per file stem, what the rules of its tree read in each text (None: today's tree)."""
    out: dict[str, dict[str, dict]] = {}
    today = read_with_rules(ROOT, texts)
    for stem, commit in tree_of.items():
        if commit is None:
            out[stem] = today
            continue
        with tempfile.TemporaryDirectory(prefix="understanding_dev_") as tmp:
            tree = Path(tmp) / "tree"
            subprocess.run(
                ["git", "worktree", "add", "--detach", str(tree), commit], cwd=ROOT, check=True, capture_output=True
            )
            try:
                (tree / ".venv").symlink_to(ROOT / ".venv")
                out[stem] = read_with_rules(tree, texts)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=True)
    return out


def with_fallback(row: dict, intent: str | None) -> set[str]:
    """The brain's intents for a first message: the rules', the fallback's when they found
    none (and no specialty, doctor or coverage was named), then the adapter's guess."""
    intents = set(row["rules"])
    if not intents and intent and not (row["specialty"] or row["doctor"] or row["coverage"]):
        intents = {intent}
    if not intents & set(row["guessed"]):
        if row["specialty"] or row["doctor"]:
            intents.add("book")
        elif row["coverage"]:
            intents.add("ask_coverage")
    return intents


def fallback_report(*, history: bool) -> None:
    from bench.understanding_data import DEV_MESSAGES_FILES, load_messages
    from bot.nlu import examples
    from bot.nlu.lexicon import load

    files = {path.stem: load_messages(path) for path in DEV_MESSAGES_FILES}
    tree_of = {stem: (HISTORY.get(stem) if history else None) for stem in files}
    texts = sorted({m.text for messages in files.values() for m in messages})
    rules = rules_then(tree_of, texts)
    written = [(t, i) for i, ts in load("intent_examples").items() if i not in examples.NOT_FROM_EXAMPLES for t in ts]
    tuning = {stem for stem in files if not stem.endswith("_check")}

    def main_intents(intents: set[str]) -> set[str]:
        return intents - MINOR_INTENTS or intents

    kind = "rules before each file (--history)" if history else "today's rules (leave-one-file-out)"
    print(f"\nFallback (bot/nlu/examples.py) on unseen files, {kind}: rescued / wrong answers per threshold")
    print("(wrong = fired and the message still wrong); shipped: 5-NN on written + dev examples,")
    print(f"threshold {examples.THRESHOLD}")
    candidates = (
        ("1-NN, written examples only", 1, False),
        ("1-NN, written + dev", 1, True),
        ("5-NN vote, written + dev", 5, True),
    )
    for name, k, with_dev in candidates:
        with mock.patch.object(examples, "K", k):
            proxy_table(name, files, rules, written, tuning if with_dev else set())


def proxy_table(name: str, files: dict, rules: dict, written: list[tuple[str, str]], tuning: set[str]) -> None:
    from bot.nlu import examples

    def main_intents(intents: set[str]) -> set[str]:
        return intents - MINOR_INTENTS or intents

    print(f"\n  {name}")
    print(f"  {'file':34} {'n':>5} {'rules':>6}  " + "  ".join(f"{t:>7}" for t in THRESHOLDS))
    totals: dict[float, list[int]] = defaultdict(lambda: [0, 0])
    n_all = right_all = 0
    started = time.perf_counter()
    for stem, messages in files.items():
        held = {examples.understand(m.text) for m in messages}
        train = [(t, i) for t, i in written + dev_examples(tuning - {stem}) if examples.understand(t) not in held]
        index = examples.ExampleIndex(train)
        counts: dict[float, list[int]] = defaultdict(lambda: [0, 0])
        right_before = 0
        for m in messages:
            row, gold = rules[stem][m.text], main_intents(m.intents)
            before = main_intents(with_fallback(row, None)) == gold
            right_before += before
            nearest = index.nearest(m.text)
            for threshold in THRESHOLDS:
                guess = nearest.intent if nearest and nearest.similarity >= threshold else None
                after = with_fallback(row, guess)
                fired = after != with_fallback(row, None)
                counts[threshold][0] += not before and main_intents(after) == gold
                counts[threshold][1] += fired and main_intents(after) != gold
        for threshold in THRESHOLDS:
            totals[threshold][0] += counts[threshold][0]
            totals[threshold][1] += counts[threshold][1]
        n_all += len(messages)
        right_all += right_before
        cells = "  ".join(f"{c[0]:>3}/{c[1]:<3}" for c in (counts[t] for t in THRESHOLDS))
        print(f"  {stem:34} {len(messages):>5} {right_before:>6}  {cells}")
    cells = "  ".join(f"{c[0]:>3}/{c[1]:<3}" for c in (totals[t] for t in THRESHOLDS))
    print(f"  {'all':34} {n_all:>5} {right_all:>6}  {cells}   ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    sys.exit(main())
