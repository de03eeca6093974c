"""Intent from the nearest labelled examples: the fallback for a message the rules miss.

The rules (data/intents.toml) only know the phrasings someone wrote a pattern for. When they
find no intent, the message is compared with the labelled examples as TF-IDF vectors of 2-4
character n-grams of each word of the normalised text, which shrug off typos, inflections
and word order. The K nearest examples vote for their intent, each with its cosine
similarity (a message that is an example gets that example's label); the winner is taken
only when its own nearest example reaches THRESHOLD.

The examples are data/intent_examples.toml (written as examples) and
data/dev_intent_examples.toml (the dev first messages with one main intent, generated from
bench/data/ by `bench/understanding_dev.py --write-examples`): the rules were written looking
at the dev messages, so they are the phrasings the rules' authors saw; the fallback's job is
the phrasings they did not, and more real phrasings is what helps it most (see below).

Chosen on "unseen phrasings" measured honestly (bench/understanding_dev.py --history): each
dev file read by the rules as they were at the commit that added it, before anyone tuned on
them, with a fallback built without that file. Of the 1,612 dev messages those rules got 1,453
right; rescued / wrong answers given: 1-NN on the written examples alone, 17 / 3 at 0.65
(the old threshold) and 38 / 5 at 0.5; with the dev messages as examples, 1-NN at 0.5 44 / 7;
5-NN voting with them at 0.5, 45 / 5 (7 more than the written examples alone at the same
wrong answers). In a scratch run of the same proxy, a logistic regression over the same
features (scikit-learn) rescued 55 at p >= 0.4 (wrong answers not counted), but takes ~20 s to
train here and would add scikit-learn to production for 10 messages; not shipped. Consulting
the fallback when the rules found only small talk (31 rescued, 13 broken: "no, no es
necesario" read as cancel) or letting a confident one (>= 0.8) overrule the rules (4 rescued,
7 broken) lost more than it won.

Pure python, built once at import (~2,800 examples; 0.1-0.3 s more than the 1,100 before;
candidates by rare n-gram keep a message to a few milliseconds), so no model file and no
scikit-learn at runtime. Never for safety (emergencies are the rules' and bot/safety.py's) nor
for yes/no (answers to a pending question): those labels are left out of the index.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from bot.nlu.lexicon import load
from bot.nlu.normalize import understand

NGRAM_SIZES = (2, 3, 4)
# Chosen by bench/understanding_dev.py --history (rescued / wrong answers in 1,612 messages):
# 0.55: 33 / 3, 0.5: 45 / 5, 0.45: 49 / 6, 0.4: 52 / 9. Below 0.5 each rescue costs about a
# wrong answer, and a wrong answer is worse than "no entendí". Measured on first messages only:
# after a finished task ("y otro para mi papá el mismo día", 0.59 near "otro día para mi cita")
# the old, stricter threshold stays.
THRESHOLD = 0.5
LATER_THRESHOLD = 0.65
K = 5
NOT_FROM_EXAMPLES = frozenset({"emergency", "affirm", "deny"})
EXAMPLE_FILES = ("intent_examples", "dev_intent_examples")
RARE_SHARE = 0.05
SAME = 0.999  # cosine of a text with itself, give or take rounding

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
    """Labelled examples as unit TF-IDF vectors. The candidates for a query are the examples
    that share one of its rarer n-grams (in at most RARE_SHARE of the examples): an example
    sharing only " de" and "la " with it is never near, and skipping them keeps a query to a
    few hundred exact cosines instead of thousands."""

    def __init__(self, examples: list[tuple[str, str]]):
        self.examples = [(understand(text), intent) for text, intent in examples]
        counts = [_grams(text) for text, _intent in self.examples]
        frequency = Counter(gram for grams in counts for gram in grams)
        total = len(counts)
        self.idf = {gram: math.log((1 + total) / (1 + seen)) + 1 for gram, seen in frequency.items()}
        self.unseen_idf = math.log(1 + total) + 1
        self.vectors = [self.vector(grams) for grams in counts]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for index, grams in enumerate(counts):
            for gram in grams:
                if frequency[gram] <= RARE_SHARE * total:
                    self.postings[gram].append(index)

    def vector(self, grams: Counter[str]) -> Vector:
        weights = {gram: (1 + math.log(n)) * self.idf.get(gram, self.unseen_idf) for gram, n in grams.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {gram: w / norm for gram, w in weights.items()}

    def nearest(self, text: str, *, skip: int | None = None) -> Nearest | None:
        """The intent the K most similar examples vote for, with the similarity of its
        nearest one (`skip`: an example left out, for leave-one-out)."""
        query = self.vector(_grams(understand(text)))
        candidates = {index for gram in query for index in self.postings.get(gram, ())} - {skip}
        scored = []
        for index in candidates:
            vector = self.vectors[index]
            scored.append((sum(w * vector.get(gram, 0.0) for gram, w in query.items()), index))
        top = heapq.nlargest(K, scored)
        if not top:
            return None
        if top[0][0] >= SAME:  # the message is a labelled example: its label, whatever the neighbours
            return Nearest(
                intent=self.examples[top[0][1]][1], similarity=top[0][0], example=self.examples[top[0][1]][0]
            )
        votes: dict[str, float] = defaultdict(float)
        for similarity, index in top:
            votes[self.examples[index][1]] += similarity
        intent = max(votes, key=lambda label: votes[label])
        similarity, index = next((s, i) for s, i in top if self.examples[i][1] == intent)
        return Nearest(intent=intent, similarity=similarity, example=self.examples[index][0])


def labelled_examples() -> list[tuple[str, str]]:
    return [
        (text, intent)
        for name in EXAMPLE_FILES
        for intent, texts in load(name).items()
        if intent not in NOT_FROM_EXAMPLES
        for text in texts
    ]


INDEX = ExampleIndex(labelled_examples())


@lru_cache(maxsize=1024)
def intent_from_examples(text: str, *, later: bool = False) -> str | None:
    """The intent the nearest labelled examples vote for, or None below THRESHOLD (`later`:
    after a finished task, where the flow's own readings come first, LATER_THRESHOLD)."""
    nearest = INDEX.nearest(text)
    threshold = LATER_THRESHOLD if later else THRESHOLD
    return nearest.intent if nearest and nearest.similarity >= threshold else None
