"""The safety check's patterns and its lexicon (`bot/lexicons/safety.toml`): a few words that
must occur close together in a normalised message, in any order, within one clause; or, when
the pattern says so, next to each other in order ("="), in order but apart ("<"), anywhere
in the clause ("&"), or with the last word ending its clause ("$"). Kept apart from bot/safety.py, which decides, and bot/safety_normalise.py, which reads the message."""

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

LEXICON_PATH = Path(__file__).parent / "lexicons" / "safety.toml"
# Later rounds' patterns, in the same sections: their lists extend the main file's.
MORE_LEXICON_PATH = Path(__file__).parent / "lexicons" / "safety_more.toml"
# Self-harm said inside a conversation with the receptionist (answers, cancellations).
DIALOGUE_LEXICON_PATH = Path(__file__).parent / "lexicons" / "safety_dialogue.toml"
LEXICON_PATHS = (LEXICON_PATH, MORE_LEXICON_PATH, DIALOGUE_LEXICON_PATH)
# Every form of the verbs the lexicon writes as "~lemma" ("~pensar": pienso, pensaba, pensé…),
# built by `manage.py safety_words` from simplemma's lemmatisation dictionary.
INFLECTIONS_PATH = Path(__file__).parent / "lexicons" / "spanish_inflections.txt"
BOUNDARY = "|"  # a comma or full stop: ends a clause, and the reach of a negation
# First-person and reflexive pronouns that Spanish may place before the verb phrase:
# "me quiero matar" is "quiero matarme", "se va a tirar" is "va a tirarse".
CLITICS = ("me", "se")


@dataclass(frozen=True)
class Slot:
    """One word position of a pattern: any of `words`, any form of a verb written "~lemma"
    (`forms`: real words, so never targets of typo correction), or any word starting with a
    prefix."""

    words: frozenset[str]
    prefixes: tuple[str, ...]
    forms: frozenset[str] = frozenset()

    @cached_property
    def candidates(self) -> frozenset[str] | None:
        """Every word the slot may accept (a superset), or None for a prefix slot: a message
        holding none of them cannot fill the slot, which is cheap to tell."""
        if self.prefixes:
            return None
        stems = self.words | {w[:-2] for w in self.words if w.endswith("me") and len(w) > 2}
        return self.words | self.forms | {stem + end for stem in stems for end in ("me", "se", "os", "nos")}

    def accepts(self, token: str) -> bool:
        if token in self.words or token in self.forms or (self.prefixes and token.startswith(self.prefixes)):
            return True
        # "matarme" / "matarse" (see bot.safety_normalise._fuse_clitics) also fill a slot written "matar",
        # and "cortarse" / "matarnos" one written "cortarme": the same act said of others.
        ending = token[-2:]
        if ending not in ("me", "se", "os"):
            return False
        stem = token[:-3] if ending == "os" and token.endswith("nos") else token[:-2]
        return bool(stem) and (stem in self.words or stem + "me" in self.words)


@dataclass(frozen=True)
class Pattern:
    source: str
    slots: tuple[Slot, ...]
    # Written with a final "$": the last word must end its clause ("ya no quiero estar",
    # not "ya no quiero estar en lista de espera").
    clause_end: bool = False
    # Written with a leading "=": the words in this order, next to each other ("me voy para
    # siempre", not "me voy del país para siempre").
    phrase: bool = False
    # Written with a leading "^": a phrase that also opens its clause ("hoy lo hago, me mato",
    # not "el dentista me mató").
    clause_start: bool = False
    # Written with a leading "<": the words in this order, not necessarily next to each
    # other ("no quiero ya vivir", not "amo vivir, no quiero morir" read backwards).
    ordered: bool = False
    # Written with a leading "&": the words anywhere in one clause, in any order ("el arma de
    # mi viejo está en el cajón y no paro de mirarla").
    clause_wide: bool = False
    # Written "... ! a|b": ignored in a clause that holds one of these words ("me tomé todas
    # las pastillas del antibiótico" is a patient's course, not an overdose).
    unless: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, source: str, sets: dict[str, list[str]]) -> "Pattern":
        """ "@relative" stands for every word of the lexicon's set of that name, "~pensar" for
        every form of the verb (`sets` holds both, keyed with their sign)."""
        slots = []
        source_words, _, unless = source.partition(" ! ")
        words = source_words.split()
        phrase, clause_start, clause_end = words[0] in ("=", "^"), words[0] == "^", words[-1] == "$"
        ordered, clause_wide = words[0] == "<", words[0] == "&"
        for part in words[int(phrase or ordered or clause_wide) : len(words) - int(clause_end)]:
            written = part.split("|")
            options = [word for o in written if not o.startswith("~") for word in sets.get(o, [o])]
            slots.append(
                Slot(
                    words=frozenset(o for o in options if not o.endswith("*")),
                    prefixes=tuple(o[:-1] for o in options if o.endswith("*")),
                    forms=frozenset(word for o in written if o.startswith("~") for word in sets.get(o, [o[1:]])),
                )
            )
        return cls(
            source=source,
            slots=tuple(slots),
            clause_end=clause_end,
            phrase=phrase,
            clause_start=clause_start,
            ordered=ordered,
            clause_wide=clause_wide,
            unless=frozenset(word for o in unless.split("|") for word in sets.get(o, [o])) if unless else frozenset(),
        )

    @property
    def window(self) -> int:
        """The widest span (first to last word) the words may be spread over."""
        return 40 if self.clause_wide else 4 + 2 * (len(self.slots) - 1)

    def may_occur(self, present: set[str]) -> bool:
        """False when a slot has no candidate word among the message's words."""
        return all(slot.candidates is None or not slot.candidates.isdisjoint(present) for slot in self.slots)

    def find(self, tokens: list[str]) -> list[int] | None:
        """The positions of the words of the first occurrence (in the pattern's order)."""
        return next(self.occurrences(tokens), None)

    def occurrences(self, tokens: list[str]) -> Iterator[list[int]]:
        """Every occurrence's (start, end), one per position of the first word: a negated
        one ("no tengo ganas de nada") must not hide a later one ("quiero morirme"). The
        words come from one clause: in "no puedo vivir con esta migraña, quiero turno" the
        "quiero" of the booking does not join the "vivir" of the complaint."""
        for chosen in self._candidates(tokens):
            if not self.unless or not self.unless & set(clause_of(tokens, chosen[0])):
                yield chosen

    def _candidates(self, tokens: list[str]) -> Iterator[list[int]]:
        if self.phrase:
            first = self.slots[0]
            for start in range(len(tokens) - len(self.slots) + 1):
                if not first.accepts(tokens[start]) or (self.clause_start and not _opens_clause(tokens, start)):
                    continue
                chosen = list(range(start, start + len(self.slots)))
                matches = all(slot.accepts(tokens[p]) for slot, p in zip(self.slots, chosen, strict=True))
                if matches and (not self.clause_end or _ends_clause(tokens, chosen[-1])):
                    yield chosen
            return
        positions: list[list[int]] = []
        for slot in reversed(self.slots):  # the last word is the rarest, most often: stop early
            found = [i for i, token in enumerate(tokens) if slot.accepts(token)]
            if not found:
                return
            positions.insert(0, found)
        for anchor in positions[0]:
            chosen = [anchor]
            for options in positions[1:]:
                near = [
                    p
                    for p in options
                    if abs(p - anchor) <= self.window
                    and p not in chosen
                    and _one_clause(tokens, anchor, p)
                    and (not self.ordered or p > chosen[-1])  # in order: the nearest word after
                ]
                if not near:
                    break
                chosen.append(min(near, key=lambda p: abs(p - anchor)))
            else:
                in_order = not self.ordered or chosen == sorted(chosen)
                if (
                    in_order
                    and max(chosen) - min(chosen) <= self.window
                    and (not self.clause_end or _ends_clause(tokens, chosen[-1]))
                ):
                    yield chosen


def clause_of(tokens: list[str], position: int) -> list[str]:
    """The words of the clause that holds `position`."""
    start = next((i + 1 for i in range(position - 1, -1, -1) if tokens[i] == BOUNDARY), 0)
    end = next((i for i in range(position, len(tokens)) if tokens[i] == BOUNDARY), len(tokens))
    return tokens[start:end]


# Words a clause may open with before what it says ("boludo, ya fue, me mato").
_CLAUSE_OPENERS = frozenset(
    ["ya", "fue", "valio", "bueno", "listo", "basta", "che", "mira", "loco", "loca", "chau", "sabes"]
    + ["boludo", "boluda", "wey", "guey", "weon", "weona", "parce", "chamo", "bro", "posta", "neta"]
)


def _opens_clause(tokens: list[str], position: int) -> bool:
    """Whether the word at `position` opens its clause, after openers such as "ya fue"."""
    while position > 0 and tokens[position - 1] in _CLAUSE_OPENERS:
        position -= 1
    return position == 0 or tokens[position - 1] == BOUNDARY


def _one_clause(tokens: list[str], first: int, second: int) -> bool:
    return BOUNDARY not in tokens[min(first, second) : max(first, second)]


# Words that may trail a clause without continuing it ("ya no quiero estar más"), including
# the regional tags people end a post with ("ya no quiero seguir aquí neta").
_CLAUSE_TAIL = frozenset(
    ["mas", "ya", "nomas", "nunca", "jamas", "hoy", "ayer", "anoche", "aca", "aqui"]
    + ["neta", "wey", "guey", "boludo", "boluda", "weon", "weona", "parce", "chamo", "causa", "bro", "posta"]
    + ["tio", "tia"]
)


def _ends_clause(tokens: list[str], position: int) -> bool:
    """Whether the word at `position` ends its clause: only trailing words such as "más"
    before punctuation or the end of the message."""
    rest = tokens[position + 1 :]
    tail = next((i for i, token in enumerate(rest) if token not in _CLAUSE_TAIL), len(rest))
    return tail == len(rest) or rest[tail] == BOUNDARY


def _patterns(sources: list[str], sets: dict[str, list[str]]) -> tuple[Pattern, ...]:
    return tuple(Pattern.parse(source, sets) for source in sources)


@dataclass(frozen=True)
class Lexicon:
    self_harm: tuple[Pattern, ...]
    hopeless: tuple[Pattern, ...]
    farewell: tuple[Pattern, ...]
    implied: tuple[Pattern, ...]
    parting: tuple[Pattern, ...]
    resolve: tuple[Pattern, ...]
    unsaid: tuple[Pattern, ...]
    strong: tuple[Pattern, ...]
    weak: tuple[Pattern, ...]
    booking: tuple[Pattern, ...]
    history: tuple[Pattern, ...]
    acute: tuple[Pattern, ...]
    resolved: tuple[Pattern, ...]
    past: tuple[Pattern, ...]
    care: tuple[Pattern, ...]
    channel: tuple[Pattern, ...]
    hypothetical: tuple[Pattern, ...]
    trifling: tuple[Pattern, ...]
    wishes: frozenset[str]
    named: tuple[Pattern, ...]
    leaving: tuple[Pattern, ...]
    negators: frozenset[str]
    transparent: frozenset[str]
    hyperbole: frozenset[str]
    heartache: frozenset[str]
    effort: frozenset[str]
    degree: frozenset[str]
    topics: frozenset[str]
    transitive: frozenset[str]
    objects: dict[str, frozenset[str]]
    determiners: frozenset[str]
    spans: frozenset[str]
    abbreviations: dict[str, str]
    emoji: dict[str, str]
    variants: tuple[tuple[str, str], ...]

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every literal word of every pattern: what unknown words are corrected towards."""
        groups = (
            self.self_harm,
            self.hopeless,
            self.farewell,
            self.implied,
            self.parting,
            self.resolve,
            self.unsaid,
            self.strong,
            self.weak,
            self.booking,
            self.history,
            self.acute,
            self.resolved,
            self.past,
            self.care,
            self.channel,
        )
        return frozenset(word for group in groups for pattern in group for slot in pattern.slots for word in slot.words)

    @property
    def prefixes(self) -> tuple[str, ...]:
        groups = (self.self_harm, self.strong, self.weak)
        return tuple(p for group in groups for pattern in group for slot in pattern.slots for p in slot.prefixes)


def inflections() -> dict[str, list[str]]:
    """ "~lemma" -> the lemma and its forms, from the generated file (a lemma not yet in it,
    just added to the lexicon, stands for itself until the file is rebuilt)."""
    lines = INFLECTIONS_PATH.read_text(encoding="utf-8").splitlines()
    return {f"~{words[0]}": words for words in (line.split() for line in lines if line and not line.startswith("#"))}


def _merged(tables: list[dict]) -> dict:
    """The lexicon files as one: a later file's lists extend, its tables join, the first's."""
    merged: dict = {}
    for table in tables:
        for key, value in table.items():
            if isinstance(value, dict):
                merged[key] = _merged([merged.get(key, {}), value])
            elif isinstance(value, list):
                merged[key] = merged.get(key, []) + value
            else:
                merged[key] = value
    return merged


@cache
def lexicon() -> Lexicon:
    data = _merged([tomllib.loads(path.read_text(encoding="utf-8")) for path in LEXICON_PATHS])
    context, spelling = data["context"], data["spelling"]
    sets = {f"@{name}": words for name, words in data["sets"].items()} | inflections()
    return Lexicon(
        self_harm=_patterns(data["self_harm"]["patterns"], sets),
        hopeless=_patterns(data["self_harm"]["hopeless"], sets),
        farewell=_patterns(data["self_harm"]["farewell"], sets),
        implied=_patterns(data["self_harm"]["implied"], sets),
        parting=_patterns(data["self_harm"]["parting"], sets),
        resolve=_patterns(data["self_harm"]["resolve"], sets),
        unsaid=_patterns(data["self_harm"]["unsaid"], sets),
        strong=_patterns(data["emergency"]["strong"], sets),
        weak=_patterns(data["emergency"]["weak"], sets),
        booking=_patterns(context["booking"], sets),
        history=_patterns(context["history"], sets),
        acute=_patterns(context["acute"], sets),
        resolved=_patterns(context["resolved"], sets),
        past=_patterns(context["past"], sets),
        care=_patterns(context["care"], sets),
        channel=_patterns(context["channel"], sets),
        hypothetical=_patterns(context["hypothetical"], sets),
        trifling=_patterns(context["trifling"], sets),
        wishes=frozenset(context["wishes"]),
        named=_patterns(context["named"], sets),
        leaving=_patterns(context["leaving"], sets),
        negators=frozenset(context["negators"]),
        transparent=frozenset(context["transparent"]),
        hyperbole=frozenset(context["hyperbole"]),
        heartache=frozenset(context["heartache"]),
        effort=frozenset(context["effort"]),
        degree=frozenset(context["degree"]),
        topics=frozenset(context["topics"]),
        transitive=frozenset(context["transitive"]),
        objects={word: frozenset(markers) for word, markers in context["objects"].items()},
        determiners=frozenset(context["determiners"]),
        spans=frozenset(context["spans"]),
        abbreviations=dict(spelling["abbreviations"]),
        emoji=dict(spelling["emoji"]),
        variants=tuple(tuple(pair) for pair in spelling["variants"]),
    )
