"""Writes of clinic data that are more than one admin form: installing the default lexicon."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone

DEFAULT_LEXICON = Path(__file__).resolve().parent / "data" / "lexicon_es.toml"


@cache
def default_lexicon() -> dict:
    """clinic/data/lexicon_es.toml, parsed (see its header)."""
    with DEFAULT_LEXICON.open("rb") as file:
        return tomllib.load(file)


def install_default_lexicon(*, clinic) -> int:
    """Adds the default Spanish lexicon to `clinic`: terms for the specialties it has (by
    name) and the usual services it lacks, with the suggested specialty when it has that one.
    Only adds what is missing, so the admin's edits and deletions of single rows stay as they
    are on a re-run of rows it never had. Returns how many rows were added.

    Uses only the clinic's related managers, so a data migration can call it with the
    historical models."""
    data = default_lexicon()
    added = moved = 0
    with transaction.atomic():
        specialties = {specialty.name: specialty for specialty in clinic.specialties.all()}
        for name, kinds in data["specialties"].items():
            specialty = specialties.get(name)
            if specialty is None:
                continue
            known = set(specialty.terms.values_list("term", flat=True))
            # Round 5e made the general check-ups a kind of their own; a clinic still holding
            # them as the services earlier rounds installed gets them moved (nothing else is).
            checkups = [term for term in kinds.get("checkup", {}).get("terms", []) if term in known]
            moved += specialty.terms.filter(term__in=checkups, kind="service").update(kind="checkup")
            new = [
                (term, kind)
                for kind, entry in kinds.items()
                for term in dict.fromkeys(entry["terms"])
                if term not in known
            ]
            model = specialty.terms.model
            model.objects.bulk_create([model(specialty=specialty, term=term, kind=kind) for term, kind in new])
            added += len(new)
        offered = {name.casefold() for name in specialties}
        known_missing = set(clinic.missing_services.values_list("name", flat=True))
        model = clinic.missing_services.model
        rows = [
            model(
                clinic=clinic,
                name=name,
                terms=", ".join(entry["terms"]),
                suggested_specialty=specialties.get(entry.get("suggest", "")),
                reason=entry.get("reason", "") if entry.get("suggest") in specialties else "",
            )
            for name, entry in data["missing"].items()
            if name not in known_missing and name.casefold() not in offered
        ]
        model.objects.bulk_create(rows)
        added += len(rows)
        if added or moved:
            # bulk_create and update send no signal: tell every process's catalog (clinic.signals).
            type(clinic).objects.filter(pk=clinic.pk).update(updated_at=timezone.now())
    return added


def install_default_lexicon_in_every_clinic(apps, schema_editor) -> None:
    """The data migrations' step (RunPython) when the default lexicon grows: every existing
    clinic gets the new words, through the historical Clinic model."""
    for clinic in apps.get_model("clinic", "Clinic").objects.all():
        install_default_lexicon(clinic=clinic)
