"""Every Spanish sentence a patient can receive lives in bot/responses/: the modules on the
patient's path are parsed and none may write one of its own.

A "sentence" is a string literal (an f-string counts as one, its fields as "X") of three or
more words that reads as Spanish: an ¿ or ¡, or at least two Spanish function words and
more of them than English ones, or an accented letter and no more English than Spanish words. Docstrings, log messages, regular
expressions, lists of plain strings (speech hints, NLU words) and English text (the model's
prompt) are not sentences.
"""

import ast
import re
from pathlib import Path

import pytest

from bot import responses

ROOT = Path(__file__).resolve().parents[2]
# The modules a patient's reply is written in.
PATIENT_PATH = [
    "bot/brains",
    "bot/engine.py",
    "bot/safety.py",
    "bot/tools",
    "bot/reminder_replies.py",
    "bot/reconcile.py",
    "bot/channels",
    "identity/services.py",
    "identity/errors.py",
    "reminders/texts.py",
]

# Function words that tell Spanish from English.
_SPANISH = "el la los las de del que su sus para por con un una es lo le se y al ese esa ya en mi me más debe falta"
_ENGLISH = "the of to and is are you your for on with this that it be an or not if when only never from use"
SPANISH_WORDS = frozenset(_SPANISH.split()) | {"está", "puede", "quiere", "tiene", "hay", "turno", "turnos", "usted"}
ENGLISH_WORDS = frozenset(_ENGLISH.split())
ACCENTED = re.compile(r"[áéíóúñÁÉÍÓÚÑ]")
REGEX_SYNTAX = re.compile(r"\\[bdswBDSW]|\(\?[:=!<]|\[\^")
LOG_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "critical", "log"})
REGEX_FUNCTIONS = frozenset({"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"})


def is_spanish_sentence(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) < 3 or REGEX_SYNTAX.search(text):
        return False
    if "¿" in text or "¡" in text:
        return True
    lowered = [word.lower() for word in words]
    spanish = sum(word in SPANISH_WORDS for word in lowered)
    english = sum(word in ENGLISH_WORDS for word in lowered)
    return (spanish >= 2 and spanish > english) or (bool(ACCENTED.search(text)) and spanish >= english)


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(part.value) if isinstance(part, ast.Constant) else " X " for part in node.values)
    return None


def _is_plain_string(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _called_name(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else ""


def inline_sentences(source: str) -> list[tuple[int, str]]:
    """(line, text) of every Spanish sentence literal in `source` outside docstrings, log
    calls, regular-expression calls and collections of plain strings (word lists)."""
    tree = ast.parse(source)
    ignored: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and _literal(node.value) is not None:
            ignored.add(id(node.value))  # a docstring, or a bare string used as a comment
        elif isinstance(node, ast.Call) and _called_name(node) in LOG_METHODS | REGEX_FUNCTIONS:
            ignored.update(id(inner) for argument in node.args for inner in ast.walk(argument))
        elif isinstance(node, ast.List | ast.Set | ast.Tuple) and all(_is_plain_string(e) for e in node.elts):
            ignored.update(id(element) for element in node.elts)  # word lists: hints, NLU data
    found = []
    for node in ast.walk(tree):
        if id(node) in ignored:
            continue
        if isinstance(node, ast.JoinedStr):
            ignored.update(id(part) for part in node.values)
        text = _literal(node)
        if text is not None and is_spanish_sentence(text):
            found.append((getattr(node, "lineno", 0), text))
    return sorted(found)


def _patient_path_files() -> list[Path]:
    files = []
    for name in PATIENT_PATH:
        path = ROOT / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return [f for f in files if "tests" not in f.parts]


def test_no_patient_path_module_writes_a_spanish_sentence():
    inline = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in _patient_path_files()
        for line, text in inline_sentences(path.read_text())
    ]
    assert not inline, "Move these sentences to bot/responses/:\n" + "\n".join(inline)


SAMPLE = '''
"""Módulo de ejemplo: la documentación en español no cuenta."""
import logging
import re

logger = logging.getLogger(__name__)
PATTERN = re.compile(r"\\bquiero (?:un|el) turno\\b")
PROMPT = "Receptionist of the clinic: answer in Spanish, use the tools, never invent a slot."


def answer(name, error):
    """Lo que se le dice al paciente."""
    logger.info("No se pudo reservar el turno de %s", name)
    if re.search("de la mañana", name):
        return "ok"
    if error:
        return f"{error} ¿Quiere elegir otro horario?"
    return f"Listo, su turno quedó para {name}. Lo esperamos."


WORDS = {"si", "dale", "de acuerdo"}
HINTS = ["sacar turno", "cambiar el turno", "obra social"]
'''


def test_the_detector_finds_inline_sentences_and_nothing_else():
    assert [line for line, _ in inline_sentences(SAMPLE)] == [17, 18]


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("Ese horario ya pasó.", True),
        ("¿Confirma el cambio?", True),
        ("No pude reservar el turno.", True),
        ("Gracias. ¿Y su nombre completo?", True),
        ("Perfecto, X .", False),  # two words
        ("find_available_slots", False),
        ("Step goal: {goal}. State: {state}", False),
        (r"\b(?:nombre|apellido)\b", False),
        ("Slots, doctors, facts: only from tools, never invented; prices: reception.", False),
    ],
)
def test_what_reads_as_a_spanish_sentence(text, sentence):
    assert is_spanish_sentence(text) is sentence


def test_no_response_name_is_defined_in_two_topic_modules():
    """`responses.NAME` is each topic module's name re-exported: a second definition would
    silently replace the first."""
    package = Path(responses.__file__).parent
    owners: dict[str, str] = {}
    clashes = []
    for module in sorted(package.glob("*.py")):
        tree = ast.parse(module.read_text())
        for node in tree.body:
            targets = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                targets = [node.target.id]
            if isinstance(node, ast.FunctionDef):
                targets = [node.name]
            for name in targets:
                if name in owners and not name.startswith("_"):
                    clashes.append(f"{name}: {owners[name]} and {module.name}")
                owners[name] = module.name
    assert not clashes
