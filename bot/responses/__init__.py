"""Every sentence the assistant can say to a patient, written once, by topic, and their
rendering for speech (`for_speech`, applied by the voice channel and the relay).

Callers use `from bot import responses` and `responses.NAME`: each topic module's names are
exported here (bot/tests/test_responses_guard.py checks that no name is defined twice and
that no patient-path module writes a Spanish sentence of its own).
"""

from bot.responses.appointment_errors import *  # noqa: F403
from bot.responses.booking import *  # noqa: F403
from bot.responses.channels import *  # noqa: F403
from bot.responses.common import *  # noqa: F403
from bot.responses.identity import *  # noqa: F403
from bot.responses.info import *  # noqa: F403
from bot.responses.manage import *  # noqa: F403
from bot.responses.reminders import *  # noqa: F403
from bot.responses.safety import *  # noqa: F403
from bot.responses.speech import *  # noqa: F403
from bot.responses.tool_errors import *  # noqa: F403
from bot.responses.waitlist import *  # noqa: F403
