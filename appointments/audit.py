"""Who made a change, for the audit trail (django-simple-history on turnos, patients and the
clinic's data; browsable from each object's "Historial" in the admin).

Staff changes carry the request's user (simple_history's HistoryRequestMiddleware). The
assistant has no user: what its tools change is attributed to the conversation instead,
in the record's change reason ("Asistente – conversación #12"), so a receptionist can open
the conversation that booked, cancelled or moved a turno. A context variable carries it
from the tool call to the records written inside it, without threading it through every
service's arguments."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

_change_reason: ContextVar[str] = ContextVar("audit_change_reason", default="")


def assistant_reason(conversation_id: int) -> str:
    return f"Asistente – conversación #{conversation_id}"


@contextmanager
def attributed_to_conversation(conversation_id: int) -> Iterator[None]:
    """Historical records written inside are attributed to the assistant's conversation."""
    token = _change_reason.set(assistant_reason(conversation_id))
    try:
        yield
    finally:
        _change_reason.reset(token)


@receiver(pre_create_historical_record)
def _attribute(sender, history_instance, **kwargs) -> None:
    reason = _change_reason.get()
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason
