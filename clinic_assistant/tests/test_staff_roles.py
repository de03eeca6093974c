"""The staff roles are declared once (clinic_assistant/staff_roles.py) and every permission
they name exists, for every app's models, including those added after the first release."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from clinic_assistant.staff_roles import ADMINISTRATION, RECEPTION, ROLES, grants_query


@pytest.mark.django_db
def test_every_declared_grant_names_a_real_permission():
    for role, grants in ROLES.items():
        for model_label, actions in grants.items():
            model = apps.get_model(model_label)  # raises on a typo
            for action in actions:
                assert Permission.objects.filter(
                    content_type__app_label=model._meta.app_label, codename=f"{action}_{model._meta.model_name}"
                ).exists(), (role, model_label, action)
        expected = sum(len(actions) for actions in grants.values())
        assert Permission.objects.filter(grants_query(role)).count() == expected


@pytest.mark.django_db
def test_migrate_leaves_both_groups_with_their_permissions():
    reception = Group.objects.get(name=RECEPTION)
    administration = Group.objects.get(name=ADMINISTRATION)
    codes = set(reception.permissions.values_list("codename", flat=True))
    assert {"view_specialtyterm", "add_waitlistentry", "change_appointment", "add_verifiednumber"} <= codes
    assert not {"change_specialtyterm", "change_clinic", "delete_appointment"} & codes
    assert {"change_specialtyterm", "add_missingservice", "change_messagingsettings"} <= set(
        administration.permissions.values_list("codename", flat=True)
    )


def test_the_clinic_admin_edits_the_lexicon_and_reception_only_reads_it(client, make_staff_user):
    administration = make_staff_user("marta", ADMINISTRATION)
    client.force_login(administration)
    assert client.get("/admin/clinic/missingservice/add/").status_code == 200

    client.force_login(make_staff_user("ana", RECEPTION))
    assert client.get("/admin/clinic/missingservice/").status_code == 200
    assert client.get("/admin/clinic/missingservice/add/").status_code == 403
