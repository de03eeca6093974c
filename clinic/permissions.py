"""Permission names in Spanish. Django names the built-in permissions when it creates them,
in English and untranslatable ("Can add turno", stored in the database), and clinic admins
read those names when they give a receptionist her groups. After each migrate the names of
this project's models become "Puede agregar turno", "Puede ver paciente"..., from the
models' Spanish verbose names."""

from django.db import DEFAULT_DB_ALIAS

VERBS = {"add": "agregar", "change": "modificar", "delete": "eliminar", "view": "ver"}
OWN_APPS = {"clinic", "appointments", "bot", "reminders", "identity"}
NAME_MAX_LENGTH = 255


def spanish_name(action: str, verbose_name: str) -> str:
    return f"Puede {VERBS.get(action, action)} {verbose_name}"[:NAME_MAX_LENGTH]


def spanish_permission_names(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver: runs after auth's create_permissions (connected earlier) for the
    same app. Two queries per app: its permissions, then the renamed ones in one update."""
    if sender.label not in OWN_APPS:
        return
    from django.contrib.auth.models import Permission

    wanted = {
        (opts.model_name, f"{action}_{opts.model_name}"): spanish_name(action, opts.verbose_name_raw)
        for opts in (model._meta for model in sender.get_models())
        for action in opts.default_permissions
    }
    renamed = []
    for permission in (
        Permission.objects.using(using).filter(content_type__app_label=sender.label).select_related("content_type")
    ):
        name = wanted.get((permission.content_type.model, permission.codename))
        if name and permission.name != name:
            permission.name = name
            renamed.append(permission)
    Permission.objects.using(using).bulk_update(renamed, ["name"])
