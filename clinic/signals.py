"""Keeps every process's catalog (clinic.selectors.Catalog) in step with the clinic's data:
a change to a specialty, its lexicon, coverage, doctor or opening hours bumps the clinic's updated_at,
which each web instance compares with its snapshot on the next turn."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from clinic.models import Clinic, Coverage, Doctor, MissingService, OpeningHours, Specialty, SpecialtyTerm
from clinic.selectors import forget_catalog


@receiver(post_save, sender=Clinic)
@receiver(post_delete, sender=Clinic)
def clinic_changed(sender, instance, **kwargs):
    # A saved clinic has a new updated_at already; a new one may reuse a deleted one's id
    # (SQLite), whose snapshot must not survive.
    forget_catalog(instance.pk)


def catalog_data_changed(sender, instance, **kwargs):
    forget_catalog(instance.clinic_id)
    Clinic.objects.filter(pk=instance.clinic_id).update(updated_at=timezone.now())


for model in (Specialty, Coverage, Doctor, OpeningHours, SpecialtyTerm, MissingService):
    post_save.connect(catalog_data_changed, sender=model)
    post_delete.connect(catalog_data_changed, sender=model)


@receiver(m2m_changed, sender=Doctor.specialties.through)
def doctor_specialties_changed(sender, instance, action, **kwargs):
    # `instance` is the doctor, or the specialty when the link is changed from its side.
    if action in {"post_add", "post_remove", "post_clear"}:
        catalog_data_changed(sender, instance)
