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
nearest labelled example by char n-gram TF-IDF cosine) is cross-validated to choose its
threshold: leave-one-out on the examples, and the dev first messages
(bench/data/dev_first_messages*.txt) classified by the fallback alone, as if the rules had
missed every one. Per threshold: coverage (share answered) and precision (share answered
right). Last, the dev messages through the brain with and without the fallback: how many it
rescues and how many it breaks.

Usage: .venv/bin/python bench/understanding_dev.py   (needs requirements-dev.txt)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV_EVERY = 5
THRESHOLDS = (0.5, 0.55, 0.6, 0.62, 0.64, 0.65, 0.66, 0.68, 0.7, 0.75, 0.8)
# Yes/no and small talk said along with a request do not change what the message asks for.
MINOR_INTENTS = {"greeting", "affirm", "deny"}


def split(examples: dict[str, list[str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    train, dev = [], []
    for intent, texts in examples.items():
        for index, text in enumerate(texts):
            (dev if index % DEV_EVERY == DEV_EVERY - 1 else train).append((text, intent))
    return train, dev


def main() -> int:
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
    fallback_report()
    return 0


def _curve(scored: list[tuple[float, bool]]) -> dict[float, tuple[float, float]]:
    """Threshold -> (coverage, precision) of (similarity, right) pairs."""
    curve = {}
    for threshold in THRESHOLDS:
        answered = [right for similarity, right in scored if similarity >= threshold]
        curve[threshold] = (len(answered) / len(scored), sum(answered) / len(answered) if answered else 1.0)
    return curve


def fallback_report() -> None:
    from bench.understanding_adapter import understand_message
    from bench.understanding_data import DEV_TUNING_MESSAGES_FILES, load_messages
    from bench.understanding_eval import MESSAGES_NOW
    from bot import nlu
    from bot.nlu import examples
    from clinic.models import Clinic

    index = examples.INDEX
    loo = []
    for position, (text, intent) in enumerate(index.examples):
        nearest = index.nearest(text, skip=position)
        loo.append((nearest.similarity, nearest.intent == intent) if nearest else (0.0, False))
    dev_messages = [m for m in load_messages(*DEV_TUNING_MESSAGES_FILES) if m.intents - examples.NOT_FROM_EXAMPLES]
    dev = []
    for message in dev_messages:
        nearest = index.nearest(message.text)
        dev.append((nearest.similarity, nearest.intent in message.intents) if nearest else (0.0, False))
    print(
        f"\nFallback from examples (bot/nlu/examples.py), chosen threshold {examples.THRESHOLD}:"
        f" leave-one-out on {len(loo)} examples (accuracy {sum(r for _s, r in loo) / len(loo):.1%}),"
        f" {len(dev)} dev messages alone (accuracy {sum(r for _s, r in dev) / len(dev):.1%})"
    )
    loo_curve, dev_curve = _curve(loo), _curve(dev)
    print("  threshold   LOO coverage  precision   dev coverage  precision")
    for threshold in THRESHOLDS:
        mark = " <" if threshold == examples.THRESHOLD else ""
        (lc, lp), (dc, dp) = loo_curve[threshold], dev_curve[threshold]
        print(f"  {threshold:9.2f}   {lc:12.1%}  {lp:9.1%}   {dc:12.1%}  {dp:9.1%}{mark}")

    clinic = Clinic.objects.get(name="Clínica San Rafael")

    def right(message, understood) -> bool:
        main = understood.intents - MINOR_INTENTS or understood.intents
        return main == (message.intents - MINOR_INTENTS or message.intents)

    everything = load_messages(*DEV_TUNING_MESSAGES_FILES)
    with_fallback = [understand_message(text=m.text, clinic=clinic, now=MESSAGES_NOW) for m in everything]
    with mock.patch.object(nlu, "intent_from_examples", return_value=None):
        without = [understand_message(text=m.text, clinic=clinic, now=MESSAGES_NOW) for m in everything]
    pairs = list(zip(everything, without, with_fallback, strict=True))
    rescued = sum(not right(m, a) and right(m, b) for m, a, b in pairs)
    broken = sum(right(m, a) and not right(m, b) for m, a, b in pairs)
    fired = sum(a.intents != b.intents for _m, a, b in pairs)
    print(
        f"  dev first messages through the brain: fallback changed {fired} of {len(pairs)}, rescued {rescued}, broke {broken}"
    )


if __name__ == "__main__":
    sys.exit(main())
