"""Voice notes to text: download the WhatsApp media from Twilio, then transcribe it with
Google Speech-to-Text (when Google credentials are configured) or OpenAI's transcription API
(when an OpenAI key is set). Without either, TranscriptionUnavailable: the adapter asks the
patient to write instead.

The whole voice-note turn must answer inside Twilio's 15 s webhook limit, engine included,
so every network call here has a short timeout and no silent retries."""

import logging
import struct
import time
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT_SECONDS = 4.0
TRANSCRIPTION_TIMEOUT_SECONDS = 6.0
# Download and transcription together, fallback included; the engine still needs its turn.
TRANSCRIPTION_BUDGET_SECONDS = 9.0
MIN_FALLBACK_SECONDS = 2.5
# WhatsApp caps media at 16 MB; Google's synchronous recognition takes up to ~1 minute of
# audio (about 10 MB of content), far more than any voice note we want to transcribe.
MAX_AUDIO_BYTES = 10 * 1024 * 1024
# Google STT accepts these sample rates for OGG_OPUS; Opus always decodes at 48 kHz.
OPUS_SAMPLE_RATES = {8000, 12000, 16000, 24000, 48000}
DEFAULT_OPUS_SAMPLE_RATE = 48000
# OpenAI picks the decoder by the file name's extension: voice notes go as "voice.ogg"
# (never ".opus"); audio files forwarded into the chat come in other containers.
OPENAI_FILE_NAMES = {
    "audio/ogg": "voice.ogg",
    "audio/opus": "voice.ogg",
    "audio/mpeg": "voice.mp3",
    "audio/mp3": "voice.mp3",
    "audio/mp4": "voice.m4a",
    "audio/m4a": "voice.m4a",
    "audio/x-m4a": "voice.m4a",
    "audio/aac": "voice.m4a",
    "audio/wav": "voice.wav",
    "audio/x-wav": "voice.wav",
    "audio/webm": "voice.webm",
}


class TranscriptionUnavailable(Exception):
    """No speech-to-text provider is configured."""


class TranscriptionFailed(Exception):
    """The media could not be downloaded or the provider failed or timed out."""


@dataclass(frozen=True)
class Transcript:
    text: str
    provider: str


def _media_host_allowed(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        return False
    allowed = settings.TWILIO_MEDIA_HOSTS
    host = parts.hostname.lower()
    return any(host == suffix or host.endswith(f".{suffix}") for suffix in allowed)


def download_media(url: str) -> bytes:
    """The media behind a Twilio MediaUrl. Twilio wants HTTP basic auth (account SID + auth
    token) and answers with a redirect to the file; httpx drops the Authorization header
    when the redirect leaves the origin, so the credentials never reach the file's host."""
    if not _media_host_allowed(url):
        raise TranscriptionFailed(f"media host not allowed: {urlsplit(url).hostname}")
    auth = None
    if settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN:
        auth = (settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
    try:
        with (
            httpx.Client(auth=auth, follow_redirects=True, timeout=DOWNLOAD_TIMEOUT_SECONDS, max_redirects=5) as client,
            client.stream("GET", url) as response,
        ):
            response.raise_for_status()
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_AUDIO_BYTES:
                    raise TranscriptionFailed(f"media larger than {MAX_AUDIO_BYTES} bytes")
                chunks.append(chunk)
    except httpx.HTTPError as error:
        raise TranscriptionFailed(f"media download failed: {error.__class__.__name__}: {error}") from error
    data = b"".join(chunks)
    if not data:
        raise TranscriptionFailed("empty media")
    return data


def opus_sample_rate(data: bytes) -> int:
    """The input sample rate in an Ogg Opus identification header ("OpusHead", RFC 7845
    §5.1), when it is one Google accepts; else 48 kHz, the rate Opus decodes at."""
    index = data.find(b"OpusHead", 0, 512)
    if index >= 0 and len(data) >= index + 16:
        (rate,) = struct.unpack_from("<I", data, index + 12)
        if rate in OPUS_SAMPLE_RATES:
            return rate
    return DEFAULT_OPUS_SAMPLE_RATE


def google_language() -> str:
    # Google STT v1 knows the regional Spanish variants (es-MX, es-AR, es-US...) as such.
    return settings.VOICE_LANGUAGE or "es-MX"


@lru_cache(maxsize=1)
def _google_client():
    from google.cloud import speech

    return speech.SpeechClient()


def transcribe_with_google(data: bytes, *, timeout: float = TRANSCRIPTION_TIMEOUT_SECONDS) -> str:
    from google.api_core import exceptions as google_exceptions
    from google.cloud import speech

    config = speech.RecognitionConfig(
        encoding=speech.RecognitionConfig.AudioEncoding.OGG_OPUS,
        sample_rate_hertz=opus_sample_rate(data),
        language_code=google_language(),
        enable_automatic_punctuation=True,
    )
    try:
        response = _google_client().recognize(
            config=config,
            audio=speech.RecognitionAudio(content=data),
            # No client-side retries: the caller's budget is Twilio's 15 s, not Google's deadline.
            retry=None,
            timeout=timeout,
        )
    except google_exceptions.GoogleAPIError as error:
        raise TranscriptionFailed(f"Google STT failed: {error}") from error
    return " ".join(result.alternatives[0].transcript.strip() for result in response.results if result.alternatives)


def _base_type(content_type: str) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def transcribe_with_openai(
    data: bytes, *, content_type: str = "audio/ogg", timeout: float = TRANSCRIPTION_TIMEOUT_SECONDS
) -> str:
    import openai

    base_type = _base_type(content_type)
    file_name = OPENAI_FILE_NAMES.get(base_type)
    if file_name is None:
        raise TranscriptionFailed(f"audio format not supported: {base_type}")

    client = openai.OpenAI(
        api_key=settings.OPENAI_API_KEY,
        base_url=settings.OPENAI_BASE_URL,
        # The SDK defaults to 10 minutes and 2 retries; a voice note must answer well
        # inside Twilio's 15 s.
        timeout=timeout,
        max_retries=0,
    )
    model = settings.OPENAI_TRANSCRIPTION_MODEL
    try:
        result = client.audio.transcriptions.create(
            model=model,
            file=(file_name, data, "audio/ogg" if file_name == "voice.ogg" else base_type),
            language="es",
        )
    except openai.OpenAIError as error:
        raise TranscriptionFailed(f"OpenAI transcription failed: {error.__class__.__name__}: {error}") from error
    return (getattr(result, "text", None) or (result if isinstance(result, str) else "")).strip()


def providers_for(content_type: str) -> list[str]:
    """Configured providers able to take this audio, in order of preference. Google's
    synchronous API gets Opus voice notes (what WhatsApp sends); OpenAI takes the other
    containers and is the fallback when Google fails."""
    providers = []
    if settings.GOOGLE_APPLICATION_CREDENTIALS and _base_type(content_type) in {"audio/ogg", "audio/opus"}:
        providers.append("google")
    if settings.OPENAI_API_KEY:
        providers.append("openai")
    return providers


def transcribe_media(url: str, *, content_type: str = "audio/ogg") -> Transcript:
    """Download the voice note at `url` and return what was said."""
    if not (settings.GOOGLE_APPLICATION_CREDENTIALS or settings.OPENAI_API_KEY):
        raise TranscriptionUnavailable("neither GOOGLE_APPLICATION_CREDENTIALS nor OPENAI_API_KEY is set")
    providers = providers_for(content_type)
    if not providers:
        raise TranscriptionFailed(f"no configured provider takes {content_type}")
    started = time.monotonic()
    data = download_media(url)
    failure: TranscriptionFailed | None = None
    for provider in providers:
        remaining = TRANSCRIPTION_BUDGET_SECONDS - (time.monotonic() - started)
        if failure is not None and remaining < MIN_FALLBACK_SECONDS:
            break  # no time left for a second provider inside Twilio's 15 s
        try:
            if provider == "google":
                text = transcribe_with_google(data, timeout=min(TRANSCRIPTION_TIMEOUT_SECONDS, remaining))
            else:
                text = transcribe_with_openai(
                    data, content_type=content_type, timeout=min(TRANSCRIPTION_TIMEOUT_SECONDS, remaining)
                )
        except TranscriptionFailed as error:
            logger.warning("Transcripción con %s falló: %s", provider, error)
            failure = error
            continue
        logger.info("Audio transcripto con %s (%d bytes, %d caracteres)", provider, len(data), len(text))
        return Transcript(text=text, provider=provider)
    raise failure or TranscriptionFailed("no provider answered")
