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

Usage: .venv/bin/python bench/understanding_dev.py   (needs requirements-dev.txt)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV_EVERY = 5


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
    return 0


if __name__ == "__main__":
    sys.exit(main())
