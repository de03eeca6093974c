"""The two staff roles, declared once for every app: "Recepción" works the agenda (turnos,
patients, conversations, the waitlist, verified numbers); "Administración" also keeps the
clinic's data and messaging choices.

The groups are brought up to date after every `migrate` (and after a test's flush), so a
model added by any app gets its permissions by adding a line here rather than another data
migration. Permissions are only ever added: a clinic that granted a group more keeps it.
"""

from django.apps import AppConfig
from django.apps import apps as django_apps
from django.db.models import Q

RECEPTION = "Recepción"
ADMINISTRATION = "Administración"

ALL = ("view", "add", "change", "delete")
VIEW = ("view",)
CLINIC_DATA = (
    "clinic.clinic",
    "clinic.specialty",
    "clinic.doctor",
    "clinic.coverage",
    "clinic.openinghours",
    "clinic.doctorschedule",
    "clinic.closure",
    "clinic.specialtyterm",
    "clinic.missingservice",
)

ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    RECEPTION: {
        "appointments.appointment": ("view", "add", "change"),
        "appointments.patient": ("view", "add", "change"),
        "bot.conversation": VIEW,
        "bot.message": VIEW,
        **dict.fromkeys(CLINIC_DATA, VIEW),
        "identity.verifiednumber": ("view", "add", "delete"),
        "reminders.outboundmessage": ("view", "change"),
        "reminders.waitlistentry": ("view", "add", "change"),
        "reminders.waitlistoffer": VIEW,
        "reminders.messagingsettings": VIEW,
    },
    ADMINISTRATION: {
        "appointments.appointment": ALL,
        "appointments.patient": ALL,
        "bot.conversation": ("view", "change"),
        "bot.message": VIEW,
        **dict.fromkeys(CLINIC_DATA, ALL),
        "identity.verifiednumber": ALL,
        "reminders.outboundmessage": ("view", "change"),
        "reminders.waitlistentry": ALL,
        "reminders.waitlistoffer": VIEW,
        "reminders.messagingsettings": ("view", "add", "change"),
    },
}


def grants_query(role: str) -> Q:
    """The role's permissions as one filter over auth.Permission."""
    query = Q(pk__in=[])
    for model_label, actions in ROLES[role].items():
        app_label, model = model_label.split(".")
        query |= Q(content_type__app_label=app_label, codename__in=[f"{action}_{model}" for action in actions])
    return query


def sync_staff_groups(**_kwargs):
    """Create the groups and add what ROLES grants. Returns the groups by name."""
    from django.contrib.auth.models import Group, Permission

    groups = {}
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.add(*Permission.objects.filter(grants_query(role)))
        groups[role] = group
    return groups


def sync_after_last_app(sender: AppConfig, **kwargs) -> None:
    """post_migrate is sent once per app with models; auth's own receiver creates each app's
    permissions on its turn, so by the last app's signal they all exist."""
    with_models = [config for config in django_apps.get_app_configs() if config.models_module is not None]
    if with_models and sender.label == with_models[-1].label:
        sync_staff_groups()
