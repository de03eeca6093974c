import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args, **kwargs):
    out = StringIO()
    call_command("ensure_admin", *args, stdout=out, **kwargs)
    return out.getvalue()


def test_generated_password_is_printed_once_and_never_changed(monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    first = run()
    match = re.search(r"Admin user 'admin' created\. Password: (\S+)", first)
    assert match, first
    password = match.group(1)
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert user.check_password(password)

    second = run()
    assert "Password" not in second
    assert password not in second
    assert "already exists" in second
    user.refresh_from_db()
    assert user.check_password(password)
    assert get_user_model().objects.count() == 1


def test_password_is_printed_even_when_quiet(monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    assert "Password: " in run(verbosity=0)
    assert run(verbosity=0) == ""


def test_custom_username_and_password_option():
    out = run("--username", "direccion", "--password", "una-clave-larga-1")
    assert "created" in out and "una-clave-larga-1" not in out
    assert get_user_model().objects.get(username="direccion").check_password("una-clave-larga-1")


def test_password_from_environment(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "clave-del-entorno-9")
    out = run()
    assert "clave-del-entorno-9" not in out
    assert get_user_model().objects.get(username="admin").check_password("clave-del-entorno-9")


def test_existing_user_keeps_password_even_with_password_option(django_user_model):
    django_user_model.objects.create_superuser(username="admin", password="original-password-1")
    out = run("--password", "otra-clave-2")
    assert "already exists" in out
    assert django_user_model.objects.get(username="admin").check_password("original-password-1")
