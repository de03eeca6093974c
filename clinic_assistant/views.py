from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError:
        database = "error"
    payload = {"status": "ok" if database == "ok" else "error", "service": "clinic_assistant", "database": database}
    return JsonResponse(payload, status=200 if database == "ok" else 503)
