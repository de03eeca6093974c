"""Permission names in Spanish. Django names the built-in permissions when it creates them,
in English and untranslatable ("Can add turno", stored in the database), and clinic admins
read those names when they give a receptionist her groups. After each migrate the names of
this project's models become "Puede agregar turno", "Puede ver paciente"..., from the
models' Spanish verbose names."""

from django.db import DEFAULT_DB_ALIAS

VERBS = {"add": "agregar", "change": "modificar", "delete": "eliminar", "view": "ver"}
OWN_APPS = {"clinic", "appointments", "bot", "reminders", "identity"}
NAME_MAX_LENGTH = 255


def spanish_permission_names(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver: runs after auth's create_permissions (connected earlier) for the same app."""
    if sender.label not in OWN_APPS:
        return
    from django.contrib.auth.models import Permission

    for model in sender.get_models():
        opts = model._meta
        for action in opts.default_permissions:
            name = f"Puede {VERBS.get(action, action)} {opts.verbose_name_raw}"[:NAME_MAX_LENGTH]
            Permission.objects.using(using).filter(
                content_type__app_label=opts.app_label,
                content_type__model=opts.model_name,
                codename=f"{action}_{opts.model_name}",
            ).exclude(name=name).update(name=name)
