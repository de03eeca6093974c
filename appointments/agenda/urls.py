"""The agenda's addresses, served by the admin site under /admin/appointments/agenda/ (the
short address receptionists are given), each behind the admin's login and CSRF checks."""

from django.urls import path

from appointments.agenda import actions, views


def agenda_urls(site) -> list:
    def staff(view):
        def wrapped(request, *args, **kwargs):
            return view(request, site, *args, **kwargs)

        wrapped.__name__ = view.__name__
        return site.admin_view(wrapped)

    prefix = "appointments/agenda/"
    return [
        path(prefix, staff(views.agenda_view), name="appointments_agenda"),
        path(f"{prefix}proximo/", staff(views.next_free_view), name="appointments_agenda_next"),
        path(f"{prefix}hoja/", staff(views.sheet_view), name="appointments_agenda_sheet"),
        path(f"{prefix}csv/", staff(views.csv_view), name="appointments_agenda_csv"),
        path(f"{prefix}reservar/", staff(actions.book_view), name="appointments_agenda_book"),
        path(f"{prefix}pacientes/", staff(actions.patients_json), name="appointments_agenda_patients"),
        path(f"{prefix}turno/<int:pk>/", staff(actions.turno_view), name="appointments_agenda_turno"),
        path(f"{prefix}cierre/<int:pk>/", staff(actions.closure_view), name="appointments_agenda_closure"),
    ]
