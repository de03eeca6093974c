"""Settings for Clinic Assistant. Everything that differs between deployments comes
from the environment (12-factor); the defaults make `make run` work with no setup."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
# Render tells each service its own hostname; accept it without extra configuration.
if os.environ.get("RENDER_EXTERNAL_HOSTNAME"):
    ALLOWED_HOSTS.append(os.environ["RENDER_EXTERNAL_HOSTNAME"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
if os.environ.get("RENDER_EXTERNAL_HOSTNAME"):
    CSRF_TRUSTED_ORIGINS.append(f"https://{os.environ['RENDER_EXTERNAL_HOSTNAME']}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "clinic",
    "appointments",
    "bot",
    "reminders",
    "identity",
]

MIDDLEWARE = [
    # Twilio's webhooks go straight to their async views (clinic_assistant/middleware.py).
    "clinic_assistant.middleware.webhooks_first",
    "django.middleware.security.SecurityMiddleware",
    "clinic_assistant.middleware.AsyncWhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who changed what (django-simple-history): the request's user on every historical record.
    "simple_history.middleware.HistoryRequestMiddleware",
    # The admin works on the clinic's wall clock (schedules, hours, turnos, histories).
    "appointments.middleware.clinic_timezone_middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Login throttling (django-axes); last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic_assistant.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "clinic_assistant.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if env_bool("DATABASE_POOL") and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Under ASGI each request runs its database phases on a thread of its own: connections
    # come from a pool (psycopg_pool) and go back to it between phases (bot/asyncdb.py), so a
    # turn waiting on the model holds none. A pool and persistent connections exclude each other.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The pool's health check is a round trip per checkout, i.e. per phase; a connection
    # that broke is replaced by the pool when it is returned.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", "5")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", "20")),
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "5")),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several web threads share one file: wait for a lock instead of failing at once, and
    # take the write lock when a transaction starts, so a booking's availability check and
    # its insert cannot interleave with another booking's (PostgreSQL has its constraint).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused for AXES_COOLOFF_MINUTES, even with the right
# password, and told so in Spanish (templates/registration/lockout.html). Username and
# address together: a stranger cannot lock a receptionist out from elsewhere.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_COOLOFF_MESSAGE = "Acceso bloqueado por demasiados intentos fallidos. Vuelva a intentarlo más tarde."
AXES_PERMALOCK_MESSAGE = "Acceso bloqueado por demasiados intentos fallidos. Pida a un administrador que lo desbloquee."

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# The clinic's wall clock: slots are built per local date in this zone.
CLINIC_TIMEZONE = os.environ.get("CLINIC_TIMEZONE", "America/Argentina/Buenos_Aires")
# The crisis line offered to someone who speaks of harming themselves, when the clinic has
# none of its own (Argentina's Centro de Asistencia al Suicida by default).
SAFETY_CRISIS_LINE = os.environ.get(
    "SAFETY_CRISIS_LINE", "135 (desde CABA y Gran Buenos Aires) o 0800 345 1435 (desde todo el país)"
)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Render terminates TLS at its proxy and forwards plain HTTP with X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", default=True)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # /health is probed by Render over plain HTTP inside its network.
    SECURE_REDIRECT_EXEMPT = [r"^health$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Assistant and channels -------------------------------------------------------
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")
OPENAI_MODEL = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "") or None
OPENAI_TIMEOUT = float(os.environ.get("OPENAI_TIMEOUT", "6"))
# Total model time one patient turn may spend (several requests), well inside Twilio's 15 s.
OPENAI_TURN_BUDGET = float(os.environ.get("OPENAI_TURN_BUDGET", "8"))
# A webhook turn's whole time from the start of its view (queue, lease wait, model, database):
# past it the model is not waited for and the offline brain answers. Under Twilio's 15 s.
TURN_DEADLINE_SECONDS = float(os.environ.get("TURN_DEADLINE_SECONDS", "9"))
OPENAI_TRANSCRIPTION_MODEL = os.environ.get("OPENAI_TRANSCRIPTION_MODEL", "gpt-4o-mini-transcribe")
# Estimated USD of model tokens per clinic-local day; past it the offline brain answers. Unset: no limit.
OPENAI_DAILY_BUDGET_USD = (
    Decimal(os.environ["OPENAI_DAILY_BUDGET_USD"]) if os.environ.get("OPENAI_DAILY_BUDGET_USD") else None
)
BOT_BRAIN = os.environ.get("BOT_BRAIN", "auto")
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_WHATSAPP_NUMBER = os.environ.get("TWILIO_WHATSAPP_NUMBER", "")
TWILIO_PHONE_NUMBER = os.environ.get("TWILIO_PHONE_NUMBER", "")
TWILIO_SMS_NUMBER = os.environ.get("TWILIO_SMS_NUMBER", "")
# The approved WhatsApp reminder template (Content API); a clinic can override it in the admin.
TWILIO_REMINDER_CONTENT_SID = os.environ.get("TWILIO_REMINDER_CONTENT_SID", "")
GOOGLE_APPLICATION_CREDENTIALS = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS", "")
VOICE_LANGUAGE = os.environ.get("VOICE_LANGUAGE", "es-MX")
VOICE_NAME = os.environ.get("VOICE_NAME", "Polly.Mia")
VOICE_TIMEOUT = int(os.environ.get("VOICE_TIMEOUT", "5"))
# gather: every turn a <Gather> webhook (the default); relay: realtime calls over Twilio
# ConversationRelay (streamed answers, barge-in), see bot/channels/relay.py.
VOICE_MODE = os.environ.get("VOICE_MODE", "gather").strip().lower()
if VOICE_MODE not in {"gather", "relay"}:
    raise ImproperlyConfigured("VOICE_MODE must be 'gather' or 'relay'.")
# ConversationRelay's text-to-speech voice (its providers' names, not Polly's); empty: the
# provider's default voice for VOICE_LANGUAGE.
VOICE_RELAY_VOICE = os.environ.get("VOICE_RELAY_VOICE", "")
# Seconds of pause that end an utterance: long enough for a DNI read out in groups of digits. Twilio refuses speechTimeout="auto" once a
# speechModel is set (warning 13335), and the model is set explicitly (see bot/channels/voice.py).
VOICE_SPEECH_TIMEOUT = int(os.environ.get("VOICE_SPEECH_TIMEOUT", "2"))
# Hosts (and their subdomains) that may receive the account's credentials when downloading
# media: a DEBUG deploy without a token must not be talked into sending them anywhere else.
TWILIO_MEDIA_HOSTS = env_list("TWILIO_MEDIA_HOSTS", "twilio.com")

# Caps that stop flooding (enforced by the identity rules): bookings per patient turn, new
# turnos per number per day, active future turnos per patient, messages per number per minute.
BOOKING_CAP_PER_TURN = int(os.environ.get("BOOKING_CAP_PER_TURN", "1"))
BOOKING_CAP_PER_NUMBER_PER_DAY = int(os.environ.get("BOOKING_CAP_PER_NUMBER_PER_DAY", "4"))
BOOKING_CAP_ACTIVE_PER_PATIENT = int(os.environ.get("BOOKING_CAP_ACTIVE_PER_PATIENT", "4"))
MESSAGE_RATE_PER_MINUTE = int(os.environ.get("MESSAGE_RATE_PER_MINUTE", "12"))
# Where the Twilio REST client sends its requests instead of *.twilio.com (tests: a local fake).
TWILIO_API_BASE_URL = os.environ.get("TWILIO_API_BASE_URL", "").rstrip("/")
# Twilio Verify service that sends the one-time codes which prove a patient's number.
TWILIO_VERIFY_SERVICE_SID = os.environ.get("TWILIO_VERIFY_SERVICE_SID", "")

# Booking policy shared by the assistant and the desk (appointments/policy.py).
# Minutes between now and the start of a slot the assistant / reception may still book.
BOOKING_LEAD_MINUTES_ASSISTANT = int(os.environ.get("BOOKING_LEAD_MINUTES_ASSISTANT", "30"))
BOOKING_LEAD_MINUTES_DESK = int(os.environ.get("BOOKING_LEAD_MINUTES_DESK", "0"))
# Identity documents the assistant accepts (appointments/policy.py DocumentKind values).
ACCEPTED_DOCUMENT_KINDS = env_list(
    "ACCEPTED_DOCUMENT_KINDS", "dni_ar,rut_cl,dni_es,nie_es,cc_co,ci_ve,curp_mx,cedula_do"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The twilio SDK logs every request's headers at INFO: noise, and a privacy leak in logs.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "twilio.http_client": {"level": "WARNING"}},
}

# Audit trail: history is read in the admin, never replayed onto a turno or the clinic's
# data (a revert would skip the booking policy and the forms' checks).
SIMPLE_HISTORY_REVERT_DISABLED = True
