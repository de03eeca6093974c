"""Intent from the nearest labelled example: the fallback for a message the rules miss.

The rules (data/intents.toml) only know the phrasings someone wrote a pattern for. When they
find no intent, the message is compared with the labelled examples (data/intent_examples.toml)
as TF-IDF vectors of 2-4 character n-grams of each word of the normalised text, which shrug
off typos, inflections and word order; the nearest example's intent is taken only when the
cosine similarity reaches THRESHOLD. Pure python, built once at import (~1,000 examples, a
few milliseconds per message), so no model file and no scikit-learn at runtime.

Never for safety (emergencies are the rules' and bot/safety.py's) nor for yes/no (answers to a
pending question): those labels are left out of the index.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from bot.nlu.lexicon import load
from bot.nlu.normalize import understand

NGRAM_SIZES = (2, 3, 4)
# Chosen by cross-validation (bench/understanding_dev.py): leave-one-out on the examples and
# the dev first messages, the lowest threshold whose precision stays >= 95% / >= 90% (with the
# 1,097 examples and 824 dev messages: 0.65 gives 95.1% / 92.6%, 0.64 only 94.6% / 91.5%).
THRESHOLD = 0.65
NOT_FROM_EXAMPLES = frozenset({"emergency", "affirm", "deny"})

Vector = dict[str, float]


@dataclass(frozen=True)
class Nearest:
    intent: str
    similarity: float
    example: str


def _grams(understood: str) -> Counter[str]:
    grams: Counter[str] = Counter()
    for word in understood.split():
        padded = f" {word} "
        for size in NGRAM_SIZES:
            grams.update(padded[i : i + size] for i in range(len(padded) - size + 1))
    return grams


class ExampleIndex:
    """Labelled examples as unit TF-IDF vectors; `nearest` is a 1-nearest-neighbour search."""

    def __init__(self, examples: list[tuple[str, str]]):
        self.examples = [(understand(text), intent) for text, intent in examples]
        counts = [_grams(text) for text, _intent in self.examples]
        frequency = Counter(gram for grams in counts for gram in grams)
        total = len(counts)
        self.idf = {gram: math.log((1 + total) / (1 + seen)) + 1 for gram, seen in frequency.items()}
        self.unseen_idf = math.log(1 + total) + 1
        self.vectors = [self.vector(grams) for grams in counts]

    def vector(self, grams: Counter[str]) -> Vector:
        weights = {gram: (1 + math.log(n)) * self.idf.get(gram, self.unseen_idf) for gram, n in grams.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {gram: w / norm for gram, w in weights.items()}

    def nearest(self, text: str, *, skip: int | None = None) -> Nearest | None:
        """The most similar example (`skip`: an index left out, for leave-one-out)."""
        query = self.vector(_grams(understand(text)))
        best, best_index = 0.0, None
        for index, vector in enumerate(self.vectors):
            if index == skip:
                continue
            similarity = sum(w * vector.get(gram, 0.0) for gram, w in query.items())
            if similarity > best:
                best, best_index = similarity, index
        if best_index is None:
            return None
        example, intent = self.examples[best_index]
        return Nearest(intent=intent, similarity=best, example=example)


def labelled_examples() -> list[tuple[str, str]]:
    return [
        (text, intent)
        for intent, texts in load("intent_examples").items()
        if intent not in NOT_FROM_EXAMPLES
        for text in texts
    ]


INDEX = ExampleIndex(labelled_examples())


@lru_cache(maxsize=1024)
def intent_from_examples(text: str) -> str | None:
    """The intent of the nearest labelled example, or None below THRESHOLD."""
    nearest = INDEX.nearest(text)
    return nearest.intent if nearest and nearest.similarity >= THRESHOLD else None
