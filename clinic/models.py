"""Clinic data kept by the clinic's admins: who works when, what is covered, when it is open."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from appointments.policy import DocumentKind, accepted_document_kinds


class Weekday(models.IntegerChoices):
    # Python's date.weekday() numbering, so schedules compare directly with dates.
    MONDAY = 0, "Lunes"
    TUESDAY = 1, "Martes"
    WEDNESDAY = 2, "Miércoles"
    THURSDAY = 3, "Jueves"
    FRIDAY = 4, "Viernes"
    SATURDAY = 5, "Sábado"
    SUNDAY = 6, "Domingo"


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"Zona horaria desconocida: {value}") from exc


def audit_history(singular: str, plural: str, **options) -> HistoricalRecords:
    """The audit trail of a model (django-simple-history), named in Spanish: the history
    models' names reach the permission lists that clinic admins read."""
    return HistoricalRecords(
        verbose_name=f"historial de {singular}", verbose_name_plural=f"historial de {plural}", **options
    )


CAP_HELP = "Límite para el asistente. Vacío: el valor por defecto de la instalación."


DOCUMENT_KINDS_HELP = (
    "Separados por comas, en orden de preferencia (un número que encaja en varios es del primero). "
    "Vacío: los de la instalación. Tipos: " + ", ".join(kind.value for kind in DocumentKind) + "."
)


def validate_document_kinds(value: str) -> None:
    unknown = [kind.strip() for kind in value.split(",") if kind.strip() and kind.strip() not in DocumentKind]
    if unknown:
        raise ValidationError("Tipo de documento desconocido: %(kinds)s.", params={"kinds": ", ".join(unknown)})


class Clinic(models.Model):
    name = models.CharField("nombre", max_length=150)
    address = models.CharField("dirección", max_length=255, blank=True)
    phone = models.CharField("teléfono", max_length=32, blank=True)
    reception_phone = models.CharField(
        "teléfono de recepción", max_length=32, blank=True, help_text="Adónde se transfieren las llamadas."
    )
    emergency_number = models.CharField("número de emergencias", max_length=16, default="107")
    crisis_line = models.CharField(
        "línea de prevención del suicidio",
        max_length=120,
        blank=True,
        help_text="Se ofrece a quien expresa ideas de hacerse daño. Vacío: la línea por defecto "
        "(Argentina: 135 y 0800 345 1435).",
    )
    timezone = models.CharField(
        "zona horaria", max_length=64, default="America/Argentina/Buenos_Aires", validators=[validate_timezone]
    )
    greeting = models.CharField(
        "saludo",
        max_length=255,
        blank=True,
        help_text="Se antepone «Buenos días/tardes/noches». Vacío: «{nombre}, ¿en qué puedo ayudarlo?».",
    )
    # Flood limits; empty = the deployment's default (appointments/policy.py).
    bookings_per_number_per_day = models.PositiveSmallIntegerField(
        "turnos nuevos por número y día", null=True, blank=True, help_text=CAP_HELP
    )
    active_bookings_per_patient = models.PositiveSmallIntegerField(
        "turnos futuros por paciente", null=True, blank=True, help_text=CAP_HELP
    )
    messages_per_number_per_minute = models.PositiveSmallIntegerField(
        "mensajes por número y minuto", null=True, blank=True, help_text=CAP_HELP
    )
    accepted_document_kinds = models.CharField(
        "documentos aceptados",
        max_length=120,
        blank=True,
        validators=[validate_document_kinds],
        help_text=DOCUMENT_KINDS_HELP,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # updated_at moves on every save and on catalog bumps: the record's own date says when.
    history = audit_history("clínica", "clínicas", excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "clínica"
        verbose_name_plural = "clínicas"

    def __str__(self):
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def document_kinds(self) -> list[str]:
        """The identity documents this clinic accepts, in order of preference."""
        return accepted_document_kinds(clinic_kinds=self.accepted_document_kinds)


class Specialty(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="specialties", verbose_name="clínica")
    name = models.CharField("nombre", max_length=100)
    aliases = models.CharField(
        "otros nombres",
        max_length=255,
        blank=True,
        help_text="Separados por comas, p. ej. «cardiólogo, corazón».",
    )
    description = models.CharField("descripción", max_length=255, blank=True)
    is_active = models.BooleanField("activa", default=True)

    history = audit_history("especialidad", "especialidades")

    class Meta:
        verbose_name = "especialidad"
        verbose_name_plural = "especialidades"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="unique_specialty_name_per_clinic")]

    def __str__(self):
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.split(",") if alias.strip()]


class Doctor(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="doctors", verbose_name="clínica")
    first_name = models.CharField("nombre", max_length=100)
    last_name = models.CharField("apellido", max_length=100)
    title = models.CharField("título", max_length=20, default="Dr.", help_text="Dr., Dra., Lic., Od.")
    license_number = models.CharField("matrícula", max_length=40, blank=True)
    specialties = models.ManyToManyField(Specialty, related_name="doctors", verbose_name="especialidades")
    is_active = models.BooleanField("activo", default=True)

    history = audit_history("profesional", "profesionales", m2m_fields=[specialties])

    class Meta:
        verbose_name = "profesional"
        verbose_name_plural = "profesionales"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.title} {self.first_name} {self.last_name}".strip()


class Coverage(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="coverages", verbose_name="clínica")
    name = models.CharField("nombre", max_length=100)
    aliases = models.CharField(
        "otros nombres", max_length=255, blank=True, help_text="Separados por comas, p. ej. «Swiss, SMG»."
    )
    is_accepted = models.BooleanField("aceptada", default=True)
    is_private_pay = models.BooleanField("particular", default=False, help_text="Pago sin cobertura.")
    notes = models.CharField("notas", max_length=255, blank=True, help_text="Copagos, planes no incluidos, etc.")

    history = audit_history("cobertura", "coberturas")

    class Meta:
        verbose_name = "cobertura"
        verbose_name_plural = "coberturas (obras sociales y prepagas)"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="unique_coverage_name_per_clinic")]

    def __str__(self):
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.split(",") if alias.strip()]


class OpeningHours(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="opening_hours", verbose_name="clínica")
    weekday = models.PositiveSmallIntegerField("día", choices=Weekday.choices)
    opens_at = models.TimeField("abre")
    closes_at = models.TimeField("cierra")

    history = audit_history("horario de atención", "horarios de atención")

    class Meta:
        verbose_name = "horario de atención"
        verbose_name_plural = "horarios de atención"
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")), name="opening_hours_open_before_close"
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self):
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError("La hora de apertura debe ser anterior a la de cierre.")


class DoctorSchedule(models.Model):
    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="schedules", verbose_name="profesional")
    specialty = models.ForeignKey(
        Specialty, on_delete=models.CASCADE, related_name="schedules", verbose_name="especialidad"
    )
    weekday = models.PositiveSmallIntegerField("día", choices=Weekday.choices)
    start_time = models.TimeField("desde")
    end_time = models.TimeField("hasta")
    slot_minutes = models.PositiveSmallIntegerField("duración del turno (min)", default=30)
    valid_from = models.DateField("vigente desde", null=True, blank=True)
    valid_until = models.DateField("vigente hasta", null=True, blank=True)

    history = audit_history("horario del profesional", "horarios de los profesionales")

    class Meta:
        verbose_name = "horario del profesional"
        verbose_name_plural = "horarios del profesional"
        ordering = ["doctor", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(start_time__lt=models.F("end_time")), name="schedule_start_before_end"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="schedule_slot_at_least_5_minutes"),
        ]

    def __str__(self):
        return f"{self.doctor} · {self.specialty} · {self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            raise ValidationError("El horario debe empezar antes de terminar.")
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise ValidationError("La vigencia debe empezar antes de terminar.")
        if self.doctor_id and self.specialty_id and not self.doctor.specialties.filter(pk=self.specialty_id).exists():
            raise ValidationError("El profesional no atiende esa especialidad.")
        if self.doctor_id and self.weekday is not None and self.start_time and self.end_time:
            overlapping = DoctorSchedule.objects.filter(
                doctor_id=self.doctor_id,
                weekday=self.weekday,
                start_time__lt=self.end_time,
                end_time__gt=self.start_time,
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError("Se superpone con otro horario del mismo profesional ese día.")


class Closure(models.Model):
    """A day range when the whole clinic (doctor empty) or one doctor does not attend."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="closures", verbose_name="clínica")
    doctor = models.ForeignKey(
        Doctor,
        on_delete=models.CASCADE,
        related_name="closures",
        null=True,
        blank=True,
        verbose_name="profesional",
        help_text="Vacío: cierra toda la clínica (feriado).",
    )
    start_date = models.DateField("desde")
    end_date = models.DateField("hasta (inclusive)")
    reason = models.CharField("motivo", max_length=150, blank=True)

    history = audit_history("cierre o ausencia", "cierres y ausencias")

    class Meta:
        verbose_name = "cierre o ausencia"
        verbose_name_plural = "cierres y ausencias"
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(start_date__lte=models.F("end_date")), name="closure_start_before_end")
        ]

    def __str__(self):
        who = self.doctor or "Toda la clínica"
        return f"{who}: {self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y} {self.reason}".strip()

    def clean(self):
        if self.start_date and self.end_date and self.start_date > self.end_date:
            raise ValidationError("La fecha de inicio debe ser anterior o igual a la de fin.")


# --- the clinic's lexicon: what patients call things ----------------------------------------


class TermKind(models.TextChoices):
    SYMPTOM = "symptom", "síntoma o motivo"
    SERVICE = "service", "servicio o práctica"
    ABBREVIATION = "abbreviation", "abreviatura o forma de decir"
    # Who the patient is ("mi nena", "niños"): with symptoms it says whose doctor; alone it
    # suggests the specialty like a symptom; a specialty named wins over it.
    PATIENT = "patient", "quién es el paciente"
    # A general check-up ("control anual", "chequeo de rutina"): alone it is the GP's; with a
    # specialty named or suggested it is that one's check-up ("control anual con la ginecóloga").
    CHECKUP = "checkup", "control o chequeo general"


class SpecialtyTerm(models.Model):
    """Words a patient uses that mean a specialty: a symptom ("me torcí la rodilla"), a
    service ("limpieza de dientes") or a short or regional name ("gine"). The assistant books
    that specialty when it hears them; the admin adds the clinic's own."""

    specialty = models.ForeignKey(
        Specialty, on_delete=models.CASCADE, related_name="terms", verbose_name="especialidad"
    )
    term = models.CharField(
        "palabras del paciente",
        max_length=100,
        help_text="Como lo dice el paciente, p. ej. «me torcí la rodilla», «limpieza de dientes», «gine».",
    )
    kind = models.CharField("tipo", max_length=20, choices=TermKind.choices, default=TermKind.SYMPTOM)

    class Meta:
        verbose_name = "palabra de los pacientes"
        verbose_name_plural = "palabras de los pacientes"
        ordering = ["kind", "term"]
        constraints = [models.UniqueConstraint(fields=["specialty", "term"], name="unique_term_per_specialty")]

    def __str__(self):
        return f"{self.term} → {self.specialty}"

    @property
    def clinic_id(self) -> int:
        return self.specialty.clinic_id


class MissingService(models.Model):
    """A service patients ask for that the clinic does not offer ("kinesiología"), and the
    specialty to suggest instead, so the answer is "No tenemos kinesiología; para una lesión
    podemos darle turno con Traumatología" rather than the nearest name."""

    clinic = models.ForeignKey(
        Clinic, on_delete=models.CASCADE, related_name="missing_services", verbose_name="clínica"
    )
    name = models.CharField("servicio que no ofrecemos", max_length=100)
    # A text, not a 255-character field: a service such as the laboratory is asked for by the
    # names of its many tests ("hemoglobina glicosilada, perfil lipídico, ...").
    terms = models.TextField(
        "cómo lo piden",
        blank=True,
        help_text="Separados por comas, p. ej. «kine, kinesio, fisioterapia».",
    )
    suggested_specialty = models.ForeignKey(
        Specialty,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggested_for",
        verbose_name="especialidad sugerida",
    )
    reason = models.CharField(
        "para qué", max_length=150, blank=True, help_text="Completa la sugerencia, p. ej. «para una lesión»."
    )

    class Meta:
        verbose_name = "servicio que no ofrecemos"
        verbose_name_plural = "servicios que no ofrecemos"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="unique_missing_service_per_clinic")]

    def __str__(self):
        return self.name

    @property
    def term_list(self) -> list[str]:
        return [self.name, *(term.strip() for term in self.terms.split(",") if term.strip())]

    def clean(self):
        if self.suggested_specialty_id and self.clinic_id and self.suggested_specialty.clinic_id != self.clinic_id:
            raise ValidationError("La especialidad sugerida debe ser de la misma clínica.")
