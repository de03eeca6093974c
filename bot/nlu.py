"""Spanish understanding for the offline brain: pure functions over text, no database.

Patients write (or speech recognition transcribes) the way they talk across Latin America:
turno / cita / hora / consulta, obra social / prepaga / EPS / Fonasa / Isapre, vos and
usted, typos, emojis, no accents, no punctuation, numbers as words. The pipeline is:

1. `prepare()`: emojis that carry meaning become words, everything else goes through
   `clinic.selectors.normalize_text` (lower case, no accents, no punctuation).
2. `correct_typos()`: each unknown word of 5+ letters is replaced by the closest word of
   the vocabulary the rules below use (rapidfuzz ratio), so "afendar un truno" reads
   "agendar un turno".
3. Rules (regular expressions over whole words) per intent, then a few documented
   tie-breaks ("cancelar mi turno" is a cancel, not a question about "mi turno").

Dates and times (`extract_when`) use `dateparser` for calendar dates ("3 de diciembre",
"15/12", "dentro de 2 dias", "mañana") and a small pre-processing for what it does not
handle: number words, "y media", "menos cuarto", weekdays with this clinic's rule, and
"a la tarde". Names and DNIs have their own extractors.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import dateparser
from rapidfuzz import fuzz, process
from unidecode import unidecode

from appointments.policy import PartOfDay, part_of_day_ends
from clinic.selectors import normalize_text

# --- intents ---------------------------------------------------------------------------

EMERGENCY = "emergency"
TRANSFER = "transfer"
RESCHEDULE = "reschedule"
CANCEL = "cancel"
MY_APPOINTMENTS = "my_appointments"
BOOK = "book"
ASK_COVERAGE = "ask_coverage"
ASK_SPECIALTIES = "ask_specialties"
ASK_HOURS = "ask_hours"
ASK_ADDRESS = "ask_address"
ASK_CONTACT = "ask_contact"
ASK_PRICE = "ask_price"
HELP = "help"
AFFIRM = "affirm"
DENY = "deny"
GREETING = "greeting"
THANKS = "thanks"
GOODBYE = "goodbye"

# Order in which a brain should act on several requests in one message: safety first,
# then changes to existing turnos (the patient has a turno at stake), then new bookings,
# then questions, then small talk.
INTENT_PRIORITY = [
    EMERGENCY,
    TRANSFER,
    RESCHEDULE,
    CANCEL,
    MY_APPOINTMENTS,
    BOOK,
    ASK_COVERAGE,
    ASK_SPECIALTIES,
    ASK_HOURS,
    ASK_ADDRESS,
    ASK_CONTACT,
    ASK_PRICE,
    HELP,
    AFFIRM,
    DENY,
    GREETING,
    THANKS,
    GOODBYE,
]
TASK_INTENTS = {TRANSFER, RESCHEDULE, CANCEL, MY_APPOINTMENTS, BOOK}
QUESTION_INTENTS = {ASK_COVERAGE, ASK_SPECIALTIES, ASK_HOURS, ASK_ADDRESS, ASK_CONTACT, ASK_PRICE, HELP}


def _words(text: str) -> list[str]:
    return text.split()


# "tenés algo el viernes?", "hay turno mañana?": what follows "tienen/hay" when the
# question is about free slots rather than about a service the clinic offers.
AVAILABILITY_WORDS = set(
    _words(
        "algo alguno alguna algun nada lugar lugares turno turnos hora horas horario horarios cita citas "
        "disponible disponibles disponibilidad espacio cupo cupos vacante"
    )
)


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(phrase.strip() for phrase in text.split(",") if phrase.strip())


def _word_set(text: str) -> frozenset[str]:
    return frozenset(_phrases(text))


# Emojis are words in WhatsApp; unidecode would drop them silently.
EMOJI_WORDS = {
    "👍": " si ",
    "👌": " ok ",
    "✅": " si ",
    "✔": " si ",
    "🙌": " si ",
    "👋": " hola ",
    "🙏": " gracias ",
    "❌": " no ",
    "👎": " no ",
    "🚫": " no ",
    "📅": " turno ",
    "🗓": " turno ",
    "📞": " telefono ",
    "☎": " telefono ",
    "📍": " direccion ",
    "🗺": " direccion ",
    "🚑": " emergencia ",
    "🆘": " emergencia ",
}

# Words the rules below are written with, inflections included: an unknown word is
# corrected only towards these, and a word already here is never "corrected".
VOCABULARY = _words(
    """
turno turnos turnito turnitos cita citas citita consulta consultas consultar control controles chequeo reserva
reservas reservar reservame reservarme reservado reservada reservacion agendar agendame agendarme agendado
agendada agenda anotar anotame anotarme anotado anotada sacar sacame sacarme pedir quiero quisiera queria
necesito necesitaria necesitamos podria podrias gustaria solicitar solicito programar apartar coordinar
conseguir atender atenderme atenderse atienda atiendan atienden atiende atendes disponible disponibles
disponibilidad lugar medico medica medicos medicas doctor doctora doctores doctoras especialista especialistas
especialidad especialidades profesional profesionales servicio servicios cancelar cancelarlo cancelarla
cancela cancelalo cancelala cancelame cancele cancelen cancelo cancelacion cancelado cancelada anular anularlo
anularla anulalo anulala anule anulen anulacion suspender suspendo suspenderlo eliminar eliminarlo eliminalo
borrar borralo desagendar liberar cambiar cambiarlo cambiarla cambialo cambiala cambiame cambio cambie
reprogramar reprogramarlo reprogramarla reprogramame reprogramacion reagendar reagendarlo mover moverlo moverla
movelo postergar postergarlo adelantar adelantarlo atrasar atrasarlo modificar modificarlo trasladar
trasladarlo pasar pasarlo pasarla pasalo pasala hablar persona personas humano humana operador operadora recepcion
recepcionista secretaria secretario asesor asesora agente ejecutivo ejecutiva comunicar comunicarme comunicame
comuniqueme comunicarse transferir transferime derivar derivame contactar atencion obras social sociales
prepaga prepagas cobertura coberturas seguro seguros mutual mutuales convenio convenios aceptan acepta aceptas
reciben trabajan trabajas trabajo particular fonasa isapre isapres horario horarios abren abris abierto
abiertos abierta cierran cierra cerrado cerrados direccion ubicacion ubicados ubicadas ubicada donde quedan
queda consultorio consultorios llegar encuentran telefono telefonos numero contacto correo whatsapp email
gracias graciass adios hasta luego chau chao hola holis buenas buenos buenas tardes noches ayuda ayudame
ayudeme ayudar opcion opciones funciona lunes martes miercoles jueves viernes sabado sabados domingo domingos enero
febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre manana mananas
tarde tardes noche mediodia temprano media cuarto menos pasado proximo proxima semana viene tienen tenes
tiene tenemos cuanto cuesta cuestan precio precios valor sale salen arancel cobran pagar perfecto listo
claro correcto exacto confirmo confirmar confirmado confirmada confirmalo confirmelo acuerdo bueno ninguno
ninguna tampoco negativo primero primera segundo segunda tercero tercera ultimo ultima cualquiera
emergencia urgencia sangrado sangrando respirar desmayo desmaye infarto pecho convulsion
cero once doce trece catorce quince dieciseis diecisiete dieciocho diecinueve veinte veintiuno veintidos
veintitres veinticuatro veinticinco veintiseis veintisiete veintiocho veintinueve treinta cuarenta
cincuenta cuatro cinco siete nueve ciento cientos doscientos trescientos cuatrocientos quinientos
seiscientos setecientos ochocientos novecientos millon millones
"""
)
NUMBER_WORD_TARGETS_EXCLUDED = frozenset(
    _words(
        "cero once doce trece catorce quince dieciseis diecisiete dieciocho diecinueve veinte veintiuno veintidos "
        "veintitres veinticuatro veinticinco veintiseis veintisiete veintiocho veintinueve treinta cuarenta "
        "cincuenta cuatro cinco siete nueve ciento cientos doscientos trescientos cuatrocientos quinientos "
        "seiscientos setecientos ochocientos novecientos millon millones"
    )
)
# Everyday words one letter away from a vocabulary word: never "corrected" ("cuentan" is
# not "cuestan", "llego" is not "luego", "correr" is not "correo").
PROTECTED_WORDS = frozenset(
    _words(
        """
cuentan cuenta llego llega llegue quede quedo quedamos quedar correr corre corro servis sirve sirven respira
respiro respiran haces hacen hacer hace puedes pueden puedo podes tienes tengo tenia teniamos sacan saque
pasas pasan pase pasado pasada cambian mueve movi atiendo atendio acepto recibe recibo toman tomas tomar
llamo llamar llaman hable hablo habla hablan necesita necesitas quieres quiere queremos quisieramos pedido
pedimos medio medios media tardo tarda nombre numeros hijos hijas semanas viernes martes cerca cerrar abrir
abierta horas horita ahora luego bueno buena buenos buenas mejor tarde noche sobre antes despues cuando
dolor dolores querida querido medicina clinico clinicos confirmacion nuevo nueva nuevos nuevas audio audios
efectivo tarjeta mensaje mensajes medina castro arias correa sosa ruiz rojas ramos lopez vega vera luna silva
estudio estudios receta recetas orden ordenes resultado resultados certificado cuadra esquina quiero cuanto
padre madre hermano hermana esposo esposa abuelo abuela cosas cosa todos todas sabes saben decir digame
"""
    )
)
VOCABULARY_SET = frozenset(VOCABULARY)
# Number words are spelled right by speech recognition and typed as digits; as targets they
# would turn surnames into numbers ("Castro" -> "cuatro") and break a DNI.
CORRECTION_TARGETS = [word for word in VOCABULARY if word not in NUMBER_WORD_TARGETS_EXCLUDED]


def prepare(text: str) -> str:
    """Emojis to words, then lower case without accents or punctuation."""
    for emoji, word in EMOJI_WORDS.items():
        text = (text or "").replace(emoji, word)
    return normalize_text(text)


def _typo_cutoff(word: str) -> float | None:
    # Short words have too many neighbours ("hora"/"ahora"/"ora") to correct safely.
    if len(word) < 5:
        return None
    return 80.0


@lru_cache(maxsize=4096)
def _correct_word(word: str) -> str:
    cutoff = _typo_cutoff(word)
    if cutoff is None or word in VOCABULARY_SET or word in PROTECTED_WORDS or not word.isalpha():
        return word
    # Typing slips rarely hit the first letter; requiring it keeps real words like
    # "martinez" from turning into "martes". The silent h is the exception ("orarios").
    candidates = [v for v in CORRECTION_TARGETS if v[0] == word[0] or (v[0] == "h" and v[1:2] == word[0])]
    match = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=cutoff)
    return match[0] if match else word


def correct_typos(normalized: str) -> str:
    """ "quiero afendar un truno" -> "quiero agendar un turno" (input already normalized)."""
    return " ".join(_correct_word(word) for word in normalized.split())


# Cached: the engine and the brain read the same message several times a turn (~9 calls).
@lru_cache(maxsize=1024)
def understand(text: str) -> str:
    """The text as the rules read it: prepared and typo-corrected."""
    return correct_typos(prepare(text))


def _rx(*patterns: str) -> list[re.Pattern]:
    return [re.compile(pattern) for pattern in patterns]


APPT = r"(?:turnos?|turnitos?|citas?|citita|consultas?|control(?:es)?|chequeo|reservas?|reservacion|sobreturno)"
# Chile says "una hora" for a turno; "a que hora" is a question about time, not a turno.
HORA_APPT = r"(?:(?<!a )(?:una|mi|mis|otra|nueva|alguna) horas?)"
ANY_APPT = rf"(?:{APPT}|{HORA_APPT})"
WANT = (
    r"(?:quiero|quisiera|queria|necesito|necesitaria|necesitamos|me gustaria|podria|podrias|puedo|puede|busco|buscaba)"
)
BOOK_VERB = (
    r"(?:sacar|saca|sacame|sacarme|saco|pedir|pido|pedi|pida|reservar|reserva|reservame|reservarme|reservo|"
    r"agendar|agenda|agendame|agendarme|agendo|agende|programar|apartar|solicitar|solicito|tomar|coordinar|"
    r"conseguir|dar|dame|darme|deme|deme|anotar|anotame|anotarme|anoteme|pasame|paseme)"
)
SPECIALIST = (
    r"(?:medicos?|medicas?|doctora?s?|doctores|especialistas?|dentista|odontolog[oa]|pediatra|oculista|"
    r"clinico|clinica medica|generalista|\w+(?:logo|loga)|\w+iatra)"
)
POSSESSIVE_APPT = rf"(?:mis? {APPT}|mis? horas?|el {APPT}|la cita|la hora que tengo|lo que tengo)"

INTENT_RULES: dict[str, list[re.Pattern]] = {
    TRANSFER: _rx(
        r"\b(?:hablar|comunicar(?:me|se)?|comunicame|comuniqueme|conectar(?:me)?|conectame|pasame|paseme|"
        r"transferir(?:me)?|transferime|derivar(?:me)?|derivame|contactar(?:me)?|atender(?:me)?|atienda)\b"
        r".*\b(?:persona|personas|humano|humana|alguien|operador|operadora|recepcion|recepcionista|"
        r"secretaria|secretario|agente|asesor|asesora|ejecutivo|ejecutiva|empleado|empleada|gente|personal)\b",
        r"\b(?:operador|operadora|recepcionista|secretaria|asesor|asesora|ejecutivo|ejecutiva)\b",
        r"\b(?:un|una) (?:humano|humana|persona de verdad|persona real|persona)\s*$",
        r"\bpersona (?:real|de verdad|de carne)\b",
        r"\bhumano\b",
        r"\balguien (?:que|con quien) (?:me )?(?:atienda|hable|pueda)",
        r"\bsecre\b",
        r"\bno (?:quiero|me gusta) (?:hablar con )?(?:un |una |el |la |esta |este )?(?:robot|maquina|bot|contestadora)",
        r"\batencion al (?:cliente|publico|paciente)\b",
    ),
    RESCHEDULE: _rx(
        r"\breprogram\w*",
        r"\breagend\w*",
        r"\b(?:posterg|adelant|atras|modific|traslad)\w*\b.*\b(?:turno|cita|hora|consulta|para)\b",
        r"\b(?:posterg|traslad)ar\w*",
        r"\b(?:cambi(?:ar|o|a|as|es|e|en|arlo|arla|alo|ala|ame|arme|emos)|mover|moverlo|moverla|movelo|movela|"
        r"pasarlo|pasarla|pasalo|pasala|pasar|correr|correrlo|correlo|corremelo)\b.*"
        rf"\b(?:{APPT}|horas?|dia|fecha|horario|para el|para otro|para la|otro dia|otra fecha|otro horario)\b",
        r"\b(?:cambiarlo|cambiarla|cambialo|cambiala|moverlo|moverla|movelo|pasarlo|pasalo|correrlo)\b",
        rf"\b(?:otro dia|otra fecha|otro horario|otra hora)\b.*\b{POSSESSIVE_APPT}",
        rf"\b{POSSESSIVE_APPT}\b.*\b(?:otro dia|otra fecha|otro horario|otra hora)\b",
    ),
    CANCEL: _rx(
        r"\bcancel\w*",
        r"\banul\w*",
        r"\bsuspend\w*",
        r"\b(?:dar|darlo|darla|darme|darle|doy|de) de baja\b",
        r"\bborr(?:ar|a|alo|ala|en|e|armelo)\b",
        r"\belimin\w*",
        r"\bdesagend\w*",
        r"\bliber(?:ar|o|a|alo|ala)\b",
        r"\bno (?:voy a|vamos a|puedo|podre|podria|podemos|van a|voy|alcanzo a) (?:poder )?(?:ir|asistir|concurrir|acudir|llegar|presentarme)\b",
        r"\bya no (?:lo |la )?(?:necesito|preciso|voy)\b",
        r"\bsin efecto\b",
    ),
    MY_APPOINTMENTS: _rx(
        rf"\bmis (?:{APPT}|horas)\b",
        rf"\bmi (?:proxima |siguiente |ultima )?(?:{APPT}|hora)\b",
        rf"\btengo (?:algun |alguna |un |una |el |la |ya )?(?:{APPT}|hora)\b",
        rf"\b(?:{APPT}|horas?) (?:que )?(?:tengo|tenia|saque|pedi|reserve|agende)\b",
        r"\b(?:estoy|quede|estaba) (?:anotad|agendad|registrad|reservad)\w*",
        r"\b(?:cuando|que dia|a que hora) (?:es|era|tengo|tenia) (?:mi|el|la)\b",
        rf"\b(?:ver|consultar|revisar|chequear|recordar|recordame|confirmar) (?:mi|mis|el|los) (?:{APPT}|hora|horas)\b",
    ),
    BOOK: _rx(
        rf"\b{BOOK_VERB}\b(?: \w+){{0,3}} (?:{APPT}|horas?)\b",
        rf"\b{WANT}\b(?: \w+){{0,3}} {ANY_APPT}\b",
        rf"\b(?:un|una|otro|otra|nuevo|nueva) {APPT}\b",
        rf"\b{HORA_APPT}\b",
        rf"\b{APPT} (?:para|con|el|la|los|en|de) ",
        rf"\b(?:hay|tienen|tenes|tiene|habra|queda|quedan) (?:algun |alguna )?(?:{APPT}|lugar|horas?|disponibilidad)\b",
        r"\b(?:turno|cita|hora|consulta)s? (?:disponibles?|libres?)\b",
        r"\bdisponibilidad\b",
        r"\bhay lugar\b",
        rf"\b{WANT} (?:ver |ir |atenderme |consultar |pasar |que me (?:vea|atienda) )?(?:(?:a|al|la|con|un|una|el) )*{SPECIALIST}\b",
        r"\b(?:necesito|quiero|quisiera|queria|pedir|sacar|agendar|reservar|tomar|conseguir|hay|tienen|tenes) horas? "
        r"(?:para|con|al|a la|el|en)\b",
        r"\b(?:me quiero atender|quiero atenderme|quisiera atenderme|necesito atenderme|que me atienda|que me vea)\b",
        rf"^\s*(?:para )?{APPT}\s*$",
    ),
    ASK_COVERAGE: _rx(
        r"\bobras? social(?:es)?\b",
        r"\bprepagas?\b",
        r"\bcobertura\w*",
        r"\bseguros? (?:medico|de salud|social|privado)",
        r"\bplan(?:es)? de salud\b",
        r"\beps\b",
        r"\bfonasa\b",
        r"\bisapres?\b",
        r"\bmutual\w*",
        r"\bconvenios?\b",
        r"\b(?:aceptan|acepta|aceptas|reciben|recibis|toman|cubren|cubre)\b",
        r"\btrabaj(?:an|as|a) con\b",
        r"\batiend(?:en|es|e) (?:por|con)\b",
        r"\b(?:pago |pagar |consulta |atencion |atender |atenderme |atenderse |forma |manera )particular\b",
        r"\bsin (?:obra social|prepaga|seguro|cobertura)\b",
    ),
    ASK_SPECIALTIES: _rx(
        r"\bespecialidad\w*",
        r"\bespecialistas?\b(?!.*\b(?:quiero|necesito|turno|cita)\b)",
        r"\bque (?:medicos|medicas|doctores|doctoras|profesionales|servicios|areas|especialistas)\b",
        r"\b(?:medicos|doctores|profesionales|servicios) (?:tienen|hay|atienden|ofrecen)\b",
        r"\b(?:tienen|tenes|tiene|hay|hacen|haces|ofrecen|cuentan con|atienden)\b (?!(?:"
        + "|".join(sorted(AVAILABILITY_WORDS))
        + r")\b)\w+",
    ),
    ASK_HOURS: _rx(
        r"\bhorarios?\b",
        r"\b(?:a|hasta|desde|de) que hora (?:abren|cierran|atienden|abre|cierra|atiende|trabajan|estan|empiezan|terminan|puedo)\b",
        r"\b(?:abren|abre|abris|cierran|cierra|cerras|abiertos|abierto|abierta|cerrado|cerrados)\b",
        r"\bque dias (?:atienden|abren|trabajan|estan|atiende)\b",
        r"\b(?:atienden|trabajan|atiende) (?:los |el |este |hoy|manana|en )?(?:sabados?|domingos?|feriados?|fines? de semana|finde|hoy|manana)\b",
        r"\bcuando (?:atienden|abren|trabajan)\b",
        r"\bhora de atencion\b",
    ),
    ASK_ADDRESS: _rx(
        r"\bdireccion\b",
        r"\b(?:a )?donde\b",
        r"\badonde\b",
        r"\bubica\w*",
        r"\bcomo (?:llego|llegar|voy|los encuentro|las encuentro)\b",
        r"\ben que (?:calle|barrio|zona|lugar|parte|altura)\b",
        r"\bdomicilio\b",
        r"\b(?:google )?maps\b",
    ),
    ASK_CONTACT: _rx(
        r"\btelefono\w*",
        r"\b(?:numero|nro) (?:de )?(?:contacto|telefono|whatsapp|la clinica|recepcion)\b",
        r"\b(?:mail|email|e mail|correo)\b",
        r"\bcomo (?:los|las) (?:contacto|llamo|ubico)\b",
        r"\ba que numero\b",
        r"\bwhatsapp\b",
        r"\bcontacto\b",
    ),
    ASK_PRICE: _rx(
        r"\bcuanto (?:sale|salen|cuesta|cuestan|cobran|es|vale|valen|seria|sería|hay que pagar)\b",
        r"\b(?:precio|precios|valor|arancel|costo|tarifa|bono|copago)\b",
    ),
    HELP: _rx(
        r"\b(?:ayuda|ayudame|ayudeme|ayudar|ayudas|ayuden|ayude|help|menu|opciones|instrucciones)\b",
        r"\bque (?:puedo|podes|puede|pueden|sabes|sabe|haces|hace|hacen)(?: hacer| preguntar| pedir| vos| usted| ustedes)?\s*$",
        r"\bque (?:podes|puede|puedes|puedo|cosas puedo|sabes|sabe) hacer\b",
        r"\ben que me (?:podes|puede|puedes|pueden) ayudar\b",
        r"\bcomo funciona\b",
        r"\bpara que (?:sirve|servis|sirves)\b",
        r"\bno entiendo\b",
        r"\bno se (?:como|que hacer)\b",
    ),
    GREETING: _rx(
        r"^(?:hola|holis|holi|ola|olis|buenas|buen dia|buenos dias|buenas tardes|buenas noches|que tal|saludos|hey|ey|"
        r"hello|hi|alo|halo|aló|bueno|quiubo|que onda|como estas|como esta|como le va|como andas)\b",
        r"\bhola\b",
        r"\bbuen(?:os|as)? (?:dias|dia|tardes|noches)\b",
    ),
    THANKS: _rx(
        r"\b(?:gracias|graciass|grax|thanks|thank you|agradezco|agradecido|agradecida|muy amable|muy amables)\b",
    ),
    GOODBYE: _rx(
        r"\b(?:adios|chau|chao|chaito|chauchau|bye|hasta luego|hasta pronto|hasta la proxima|nos vemos|hasta manana)\b",
        r"\bnada mas\b",
        r"\b(?:eso|esto) (?:es|seria|era|fue|sería) todo\b",
        r"^(?:es todo|nada|nada mas|ninguna otra cosa|no nada|no eso es todo|ya esta todo)\b",
        r"\bque (?:tenga|tengas|tengan) (?:un )?(?:buen|buena|lindo|linda|excelente|feliz) (?:dia|tarde|noche|fin|semana)\b",
        r"\bme despido\b",
        r"\bya (?:esta|estamos) (?:todo|listo)?\s*gracias\b",
    ),
}

EMERGENCY_PATTERNS = _rx(
    r"\b(?:me )?duele (?:mucho )?el pecho\b",
    r"\bdolor (?:fuerte |muy fuerte |intenso )?(?:de|en el|al) pecho\b",
    r"\bopresion en el pecho\b",
    r"\bno (?:puedo|puede|podemos) respirar\b",
    r"\b(?:me )?(?:falta|cuesta) (?:el aire|respirar)\b",
    r"\b(?:me ahogo|se ahoga|ahogando|asfixi\w*)\b",
    r"\bsangr(?:ado|ando|a mucho|o mucho|e mucho|a sin parar|ado abundante)\b",
    r"\bhemorragia\b",
    r"\b(?:desmay\w*|inconsciente|no reacciona|perdio el conocimiento|perdi el conocimiento)\b",
    r"\bconvulsi\w*",
    r"\binfarto\b",
    r"\bparo cardi\w*",
    r"\bataque (?:al corazon|cardiaco)\b",
    r"\b(?:acv|ictus|derrame cerebral)\b",
    r"\b(?:cara|boca) (?:torcida|caida|paralizada)\b",
    r"\bno (?:siento|siente|puedo mover|puede mover) (?:el|la|los|las|un|una|medio) (?:brazo|pierna|lado|cuerpo|cara)",
    r"\b(?:suicid\w*|me quiero morir|quitarme la vida|matarme|no quiero vivir)\b",
    r"\b(?:sobredosis|envenen\w*|intoxic\w*)\b",
    r"\b(?:emergencia|urgencia|ambulancia)\b",
    r"\b(?:me|lo|la|nos) (?:atropell|apuñal|acuchill|dispar)\w*",
    r"\bfractura expuesta\b",
    r"\bquemadura (?:grave|grande|muy fuerte)\b",
    r"\bse (?:cayo|golpeo) (?:la cabeza|de cabeza)\b",
    r"\bno (?:respira|despierta)\b",
)
NOT_AN_EMERGENCY = re.compile(r"\bno (?:es|era|seria) (?:una |nada de )?(?:emergencia|urgencia|urgente)\b")


def is_emergency(text: str) -> bool:
    """Words that call for the emergency number before anything else ("me duele el pecho",
    "no puedo respirar", "sangrado", ...). Errs on the side of caution."""
    understood = understand(text)
    if NOT_AN_EMERGENCY.search(understood):
        return False
    return any(pattern.search(understood) for pattern in EMERGENCY_PATTERNS)


AFFIRM_PHRASES = _phrases(
    "si, sii, siii, sip, sep, sisi, claro, dale, ok, oki, okey, okay, oka, listo, perfecto, correcto, "
    "exacto, exactamente, confirmo, confirmado, confirmar, confirmalo, confirmelo, confirma, de acuerdo, "
    "deacuerdo, esta bien, ta bien, vale, simon, obvio, por supuesto, afirmativo, adelante, hagale, "
    "hagamoslo, de una, yapo, ya po, joya, genial, excelente, buenisimo, efectivamente, asi es, eso es, "
    "me sirve, me viene bien, me parece bien, me queda bien, no hay problema, sin problema, seguro, "
    "bien, perfect, yes"
)
# Fillers that mean "yes" only when they are (almost) all the patient said.
WEAK_AFFIRM = ("bueno", "ya", "eso", "va", "sale", "ese", "esa", "bien")
DENY_PHRASES = _phrases(
    "no, nop, nope, nel, negativo, para nada, tampoco, ni ahi, mejor no, ninguno, ninguna, ningun, nah, "
    "nada que ver, claro que no, todavia no, aun no, incorrecto, esta mal, equivocado, dejalo, dejelo, "
    "olvidalo, olvidelo"
)


def yes_no(text: str) -> bool | None:
    """True for a yes, False for a no, None when the patient said neither (or both)."""
    understood = understand(text)
    if not understood:
        return None
    words = understood.split()

    def starts_with(phrases) -> bool:
        return any(understood == p or understood.startswith(p + " ") for p in phrases)

    # "no hay problema" is a yes although it starts with "no".
    if starts_with(("no hay problema", "no hay drama", "no problem", "sin problema")):
        return True
    if starts_with(DENY_PHRASES):
        return False
    if starts_with(AFFIRM_PHRASES):
        return True
    if len(words) <= 3 and starts_with(WEAK_AFFIRM):
        return True
    # The yes or no may come after a filler ("bueno si", "mmm no", "ah ok dale").
    for word in words[:4]:
        if word in ("no", "nop", "nel", "ninguno", "ninguna"):
            return False
        if word in ("si", "sii", "dale", "ok", "okey", "listo", "perfecto", "confirmo", "claro", "correcto"):
            return True
    return None


def is_affirmative(text: str) -> bool:
    """A clear yes ("sí", "dale", "confirmo", "de una", "👍")."""
    return yes_no(text) is True


def is_negative(text: str) -> bool:
    """A clear no ("no", "nel", "ninguno", "mejor no")."""
    return yes_no(text) is False


def detect_intents(text: str) -> list[str]:
    """Every intent the message expresses, in INTENT_PRIORITY order."""
    return list(_intents(text))


# Cached like understand(): the engine's goodbye check and the brain ask for the same message.
@lru_cache(maxsize=1024)
def _intents(text: str) -> tuple[str, ...]:
    understood = understand(text)
    found = {intent for intent, patterns in INTENT_RULES.items() if any(p.search(understood) for p in patterns)}
    if is_emergency(text):
        found.add(EMERGENCY)
    polarity = yes_no(text)
    if polarity is True:
        found.add(AFFIRM)
    elif polarity is False:
        found.add(DENY)

    # Tie-breaks. Changing a turno mentions the turno: "cancelar mi turno" is not also a
    # question about "mi turno" nor a new booking.
    if found & {CANCEL, RESCHEDULE}:
        found -= {MY_APPOINTMENTS, BOOK}
    if MY_APPOINTMENTS in found:
        found.discard(BOOK)
    # "No puedo ir el martes, ¿lo paso al jueves?" moves the turno rather than cancelling it.
    if RESCHEDULE in found and CANCEL in found and not re.search(r"\b(?:cancel|anul|suspend|elimin|borr)", understood):
        found.discard(CANCEL)
    # "tienen turno mañana?" / "tienen OSDE?" / "atienden los sabados?": the generic "do you
    # have X" rule only stands when nothing more specific explains the question.
    generic_offer_question = not re.search(r"\bespecialid|\bespecialista|\bque (?:medicos|doctores)", understood)
    if (
        ASK_SPECIALTIES in found
        and generic_offer_question
        and found - {ASK_SPECIALTIES, GREETING, THANKS, AFFIRM, DENY}
    ):
        found.discard(ASK_SPECIALTIES)
    # "Quiero un turno con la secretaria" never happens; "hablar con recepción" does, and
    # a "no" inside a longer request ("no puedo ir") is not an answer to a yes/no question.
    if found & TASK_INTENTS and DENY in found and len(understood.split()) > 3:
        found.discard(DENY)
    # "Hasta mañana" is a goodbye, not a request for tomorrow; "buenas noches" at the end of a
    # call too, but the engine greets back either way, which is harmless.
    if GOODBYE in found and (found & (TASK_INTENTS | QUESTION_INTENTS)):
        found.discard(GOODBYE)
    return tuple(intent for intent in INTENT_PRIORITY if intent in found)


def detect_intent(text: str) -> str | None:
    intents = detect_intents(text)
    return intents[0] if intents else None


def is_goodbye(text: str) -> bool:
    """The patient is closing the conversation ("gracias, nada más", "adiós", "chau") and
    asks for nothing else in the same message."""
    intents = set(detect_intents(text))
    return GOODBYE in intents and not intents & (TASK_INTENTS | QUESTION_INTENTS | {EMERGENCY})


# --- things the clinic may not offer ----------------------------------------------------

# What patients ask for that a clinic may or may not have. Only display names and
# spellings patients use; whether the clinic offers it comes from the database.
COMMON_SPECIALTIES = {
    "Kinesiología": "kine, kinesio, kinesiologia, kinesiologo, kinesiologa, fisioterapia, fisio, fisioterapeuta, rehabilitacion",
    "Psicología": "psicologia, psicologo, psicologa, psico, terapia, terapeuta",
    "Psiquiatría": "psiquiatria, psiquiatra",
    "Nutrición": "nutricion, nutricionista, nutriologo, dietista",
    "Fonoaudiología": "fonoaudiologia, fonoaudiologo, fonoaudiologa, fono",
    "Urología": "urologia, urologo",
    "Neurología": "neurologia, neurologo, neurologa",
    "Endocrinología": "endocrinologia, endocrinologo, endocrinologa, endocrino",
    "Gastroenterología": "gastroenterologia, gastroenterologo, gastro",
    "Otorrinolaringología": "otorrinolaringologia, otorrino, otorrinolaringologo",
    "Reumatología": "reumatologia, reumatologo",
    "Oncología": "oncologia, oncologo",
    "Neumonología": "neumonologia, neumonologo, neumologo, neumologia",
    "Alergia": "alergia, alergista, alergologo",
    "Cirugía": "cirugia, cirujano",
    "Obstetricia": "obstetricia, obstetra, partera",
    "Podología": "podologia, podologo",
    "Laboratorio": "laboratorio, analisis de sangre, analisis clinicos, extraccion de sangre",
    "Diagnóstico por imágenes": "radiografia, radiografias, rayos x, ecografia, ecografias, resonancia, tomografia, mamografia",
    "Vacunación": "vacunacion, vacuna, vacunas, vacunatorio",
    "Nefrología": "nefrologia, nefrologo",
    "Hematología": "hematologia, hematologo",
    "Infectología": "infectologia, infectologo",
    "Geriatría": "geriatria, geriatra",
}
COMMON_COVERAGES = {
    "Fonasa": "fonasa",
    "Isapre": "isapre, isapres",
    "Banmédica": "banmedica",
    "Colmena": "colmena",
    "Consalud": "consalud",
    "Cruz Blanca": "cruz blanca",
    "Sura": "sura",
    "Sanitas": "sanitas, colsanitas",
    "Nueva EPS": "nueva eps",
    "Compensar": "compensar",
    "Coomeva": "coomeva",
    "Famisanar": "famisanar",
    "IMSS": "imss, seguro social",
    "ISSSTE": "issste",
    "Adeslas": "adeslas",
    "Asisa": "asisa",
    "DKV": "dkv",
    "Mapfre": "mapfre",
    "Sancor Salud": "sancor",
    "Accord Salud": "accord",
    "Unión Personal": "union personal",
    "OSECAC": "osecac",
    "IOSFA": "iosfa",
    "Medicus": "medicus",
    "Prevención Salud": "prevencion salud",
    "Jerárquicos Salud": "jerarquicos",
    "Federada Salud": "federada",
    "Hospital Italiano": "hospital italiano, plan italiano",
    "Hospital Alemán": "hospital aleman",
    "OSPRERA": "osprera",
    "APROSS": "apross",
}


def _aliases(display: str, spellings: str) -> list[str]:
    return [normalize_text(display)] + [normalize_text(s) for s in spellings.split(",") if s.strip()]


def _find_in_table(text: str, table: dict[str, str]) -> str | None:
    understood = f" {understand(text)} "
    for display, spellings in table.items():
        if any(f" {alias} " in understood for alias in _aliases(display, spellings)):
            return display
    # Typos in long single words only ("kinesiolgia"); short ones would match anything.
    words = understood.split()
    for display, spellings in table.items():
        for alias in _aliases(display, spellings):
            if len(alias) >= 6 and " " not in alias and any(fuzz.ratio(alias, word) >= 85 for word in words):
                return display
    return None


def find_common_specialty(text: str) -> str | None:
    """Display name of a well-known specialty the text mentions ("tienen kine?" ->
    "Kinesiología"), whether or not this clinic offers it."""
    return _find_in_table(text, COMMON_SPECIALTIES)


def find_common_coverage(text: str) -> str | None:
    """Display name of a well-known coverage from the region ("aceptan Fonasa?")."""
    return _find_in_table(text, COMMON_COVERAGES)


OFFER_SUBJECT = re.compile(
    r"\b(?:tienen|tenes|tiene|hay|hacen|haces|ofrecen|cuentan con|atienden|atendes|atiende|trabajan con|trabajas con|"
    r"aceptan|aceptas|acepta|reciben|toman|cubren|cubre|atienden por|atienden con)\b (?:(?:el|la|los|las|un|una|por|con|de|servicio de|consultorio de) )*(.+)"
)
SUBJECT_STOPWORDS = {"aca", "ahi", "ustedes", "ahora", "hoy", "por", "favor", "porfa", "che", "alla"}


def extract_offer_subject(text: str) -> str | None:
    """What the patient asks whether the clinic has or accepts: "tienen kine?" -> "kine",
    "trabajan con OSDE" -> "osde". Raw words: the caller resolves them against its data."""
    match = OFFER_SUBJECT.search(understand(text))
    if not match:
        return None
    words = [w for w in match.group(1).split() if w not in SUBJECT_STOPWORDS]
    if words and words[0] in AVAILABILITY_WORDS:
        return None
    return " ".join(words[:4]) or None


# --- numbers ---------------------------------------------------------------------------

UNITS = dict(zip(_words("cero uno dos tres cuatro cinco seis siete ocho nueve"), range(10), strict=True))
# Words that close a number below 30 (no "y" after them, except the old "diez y seis").
TEENS = dict(
    zip(
        _words(
            "diez once doce trece catorce quince dieciseis diecisiete dieciocho diecinueve veinte veintiuno "
            "veintidos veintitres veinticuatro veinticinco veintiseis veintisiete veintiocho veintinueve"
        ),
        range(10, 30),
        strict=True,
    )
) | {"veintiun": 21, "veintiuna": 21}
TENS = dict(zip(_words("treinta cuarenta cincuenta sesenta setenta ochenta noventa"), range(30, 100, 10), strict=True))
HUNDREDS = (
    {"cien": 100, "ciento": 100}
    | {
        f"{stem}ient{ending}": value
        for stem, value in (
            ("dosc", 200),
            ("tresc", 300),
            ("cuatroc", 400),
            ("seisc", 600),
            ("setec", 700),
            ("ochoc", 800),
        )
        for ending in ("os", "as")
    }
    | {"quinientos": 500, "quinientas": 500, "novecientos": 900, "novecientas": 900}
)
NUMBER_WORDS = set(UNITS) | set(TEENS) | set(TENS) | set(HUNDREDS) | {"mil", "millon", "millones"}


def _parse_cardinal(words: list[str], start: int) -> tuple[int, int] | None:
    """Longest Spanish cardinal starting at words[start]: (value, words consumed).
    Handles "treinta y cinco millones ciento veinte mil cuatrocientos" and digit groups
    between the big words ("35 millones 120 mil 400", as speech recognition writes them)."""
    total = 0  # millions already closed
    thousands = 0  # thousands already closed
    group = 0  # below 1000, still open
    last = None  # kind of the previous word
    index = start
    consumed = start
    while index < len(words):
        word = words[index]
        if word in UNITS and last in (None, "tens_y", "hundred", "mil", "millon"):
            group += UNITS[word]
            last = "unit"
        elif word in TEENS and last in (None, "hundred", "mil", "millon"):
            group += TEENS[word]
            last = "teen"
        elif word in TENS and last in (None, "hundred", "mil", "millon"):
            group += TENS[word]
            last = "tens"
        elif word == "y" and last == "tens" and index + 1 < len(words) and words[index + 1] in UNITS:
            last = "tens_y"
        elif (
            word == "y"
            and last == "teen"
            and group % 100 == 10
            and index + 1 < len(words)
            and words[index + 1] in UNITS
        ):
            # "diez y seis": the old spelling of dieciséis, still said.
            last = "tens_y"
        elif word in HUNDREDS and last in (None, "mil", "millon"):
            group += HUNDREDS[word]
            last = "hundred"
        elif (
            word.isdigit()
            and len(word) <= 3
            and (last in ("mil", "millon") or last is None and _next_is_big(words, index))
        ):
            group += int(word)
            last = "digits"
        elif word == "mil" and last != "mil" and thousands == 0:
            thousands = (group or 1) * 1000
            group = 0
            last = "mil"
        elif word in ("millon", "millones") and last not in ("mil", "millon") and total == 0:
            total = (thousands + group or 1) * 1_000_000
            thousands = group = 0
            last = "millon"
        elif word == "un" and index + 1 < len(words) and words[index + 1] in ("millon", "mil") and last is None:
            group = 1
            last = "unit"
        else:
            break
        index += 1
        if last != "tens_y":
            consumed = index
    if consumed == start:
        return None
    if last == "digits" and consumed - start == 1:
        return None
    return total + thousands + group, consumed - start


def _next_is_big(words: list[str], index: int) -> bool:
    return index + 1 < len(words) and words[index + 1] in ("mil", "millon", "millones")


def words_to_digits(normalized: str) -> str:
    """Number words to digits in already-normalized text: "a las diez y media" ->
    "a las 10 y media", "doce millones trescientos mil cuarenta" -> "12300040". Single
    digits said one by one stay separate ("uno dos tres" -> "1 2 3")."""
    words = normalized.split()
    out: list[str] = []
    index = 0
    while index < len(words):
        parsed = _parse_cardinal(words, index)
        if parsed:
            value, length = parsed
            out.append(str(value))
            index += length
        else:
            out.append(words[index])
            index += 1
    return " ".join(out)


# --- dates and times -------------------------------------------------------------------

MORNING = PartOfDay.MORNING.value
AFTERNOON = PartOfDay.AFTERNOON.value

WEEKDAYS = {"lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6}
WEEKDAYS |= {"sabados": 5, "domingos": 6}
MONTHS = _words("enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre")
MONTH_RX = "|".join(MONTHS)

# The clinic is open roughly 8 to 20: a bare "a las 5" means 17:00, nobody books at 5 a.m.
LATEST_MORNING_HOUR_WITHOUT_AM = 7
# When does a part of the day count as "still ahead" for "el martes a la tarde" said on a Tuesday.
PART_OF_DAY_ENDS = {part.value: part_of_day_ends(part) for part in (PartOfDay.MORNING, PartOfDay.AFTERNOON)}


@dataclass(frozen=True)
class When:
    """A requested day and/or time, in the clinic's local calendar. Any field may be None."""

    date: dt.date | None = None
    time: dt.time | None = None
    part_of_day: str | None = None  # MORNING / AFTERNOON

    def __bool__(self) -> bool:
        return bool(self.date or self.time or self.part_of_day)


def _prepare_for_dates(text: str, *, correct: bool = True) -> str:
    """Like prepare() but keeping what carries meaning in dates and times: "15:30", "9.30",
    "12/12" ("12.345.678" loses its dots so it is not read as a time)."""
    for emoji, word in EMOJI_WORDS.items():
        text = (text or "").replace(emoji, word)
    text = unidecode(text).lower()
    text = re.sub(r"(?<=\d)\.(?=\d{3}(?!\d))", "", text)  # thousands dots
    text = re.sub(r"(?<=\d)[.h](?=\d{2}(?!\d))", ":", text)  # 9.30, 9h30
    text = re.sub(r"(?<=\d)(hs|hrs|h|am|pm)\b", r" \1", text)
    text = re.sub(r"\b([ap])\.? ?m\.?(?=\s|$)", r"\1m", text)
    text = re.sub(r"(?<=\d)(ro|ra|er|do|°|º)\b", "", text)  # 1ro, 1°
    text = re.sub(r"(?<![0-9])[:/]|[:/](?![0-9])", " ", text)
    text = re.sub(r"[^a-z0-9:/]+", " ", text)
    words = [_correct_word(word) if correct else word for word in text.split()]
    return words_to_digits(" ".join(words))


def _hour_for(hour: int, minute: int, *, meridiem: str | None, part: str | None) -> dt.time | None:
    if meridiem == "pm" or part == AFTERNOON or part == "night":
        if hour < 12:
            hour += 12
    elif meridiem == "am" or part == MORNING:
        if hour == 12:
            hour = 0 if meridiem == "am" else 12
    elif 1 <= hour <= LATEST_MORNING_HOUR_WITHOUT_AM:
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return dt.time(hour, minute)


PART_OF_DAY_RX = re.compile(
    r"\b(?:(?:de|por|a|en|durante) la (?P<part>manana|tarde|noche)|(?P<early>temprano|a primera hora|primera hora|"
    r"bien temprano|antes del mediodia|a la mananita)|(?P<late>de tarde|a ultima hora|ultima hora|despues del mediodia|"
    r"tardecita|a la siesta))\b"
)
TIME_RX = re.compile(
    r"\b(?:(?:a|de|desde|para|sobre|tipo|hacia|cerca de|despues de|antes de|por) )?"
    r"(?:(?P<article>las|la) )?"
    r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2})| y (?P<ymin>media|cuarto|\d{1,2})| menos (?P<less>cuarto|\d{1,2})"
    r"| (?P<spaced>[0-5]\d))?"
    r"(?P<oclock> en punto)?"
    r"(?: ?(?P<unit>hs|hrs|horas|h)\b)?"
    r"(?: ?(?P<meridiem>am|pm)\b)?"
)


def _find_time(text: str, part: str | None) -> tuple[dt.time | None, tuple[int, int] | None]:
    """First time expression: "a las 10", "10:30", "9 y media", "las 11 menos cuarto",
    "17 hs", "3 pm". A bare number counts only with "las"/":"/"hs"/"am|pm"/"y media": "el 3"
    is a day, "el 2" may be an option."""
    for match in TIME_RX.finditer(text):
        hour = int(match["hour"])
        article = match["article"]
        minute_text = match["minute"] or match["ymin"] or match["less"] or match["spaced"]
        explicit = match["minute"] or match["unit"] or match["meridiem"] or match["ymin"] or match["less"]
        if article == "la" and hour != 1:
            continue  # "la 2" is an option, "a la una" is 13:00
        if not (article or explicit or match["oclock"]):
            continue
        if match["spaced"] and not article:
            continue
        # "las 3 de diciembre" does not happen, "el 3 de diciembre a las 10" does.
        tail = text[match.end() : match.end() + 14]
        if re.match(rf"\s*(?:de )?(?:{MONTH_RX})\b", tail) or re.match(r"/\d", tail):
            continue
        minute = 0
        if minute_text == "media":
            minute = 30
        elif minute_text == "cuarto":
            minute = 45 if match["less"] else 15
        elif minute_text:
            minute = int(minute_text)
            if match["less"]:
                minute = 60 - minute
        if match["less"]:
            hour -= 1
        meridiem = match["meridiem"]
        value = _hour_for(hour, minute, meridiem=meridiem, part=part)
        if value is not None:
            return value, match.span()
    return None, None


def _blank(text: str, span: tuple[int, int]) -> str:
    return text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]


@lru_cache(maxsize=1024)
def _dateparser(phrase: str, today: dt.date) -> dt.date | None:
    # Cached: a dateparser call costs ~0.3 ms, and for the day-level phrases it gets (no
    # times) the answer depends only on the phrase and today's date.
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time.min),
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(phrase, languages=["es"], settings=settings)
    if parsed is None:
        return None
    day = parsed.date()
    # dateparser's "future" skips today itself ("1 de diciembre" on 1 December -> next year).
    if day.year == today.year + 1 and (day.month, day.day) == (today.month, today.day):
        return today
    return day


def _next_weekday(
    weekday: int, *, now: dt.datetime, time: dt.time | None, part: str | None, next_week: bool
) -> dt.date:
    today = now.date()
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0:
        # Today counts only if what was asked is still ahead: "el martes a las 17" said on a
        # Tuesday at 9 is today; a bare "el martes" on a Tuesday means next week (else the
        # patient would have said "hoy").
        limit = time or (PART_OF_DAY_ENDS.get(part) if part else None)
        if next_week or limit is None or limit <= now.time():
            ahead = 7
    return today + dt.timedelta(days=ahead)


def _day_of_month(day: int, now: dt.datetime) -> dt.date | None:
    """ "el 15": this month if still ahead, else next month (skipping months without that day)."""
    today = now.date()
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            candidate = None
        if candidate and candidate >= today:
            return candidate
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return None


def _find_date(text: str, *, now: dt.datetime, time: dt.time | None, part: str | None) -> dt.date | None:
    today = now.date()
    # "primero de diciembre" / "el primero" as a date.
    text = re.sub(rf"\bprimero (?=de (?:{MONTH_RX})\b)", "1 ", text)

    match = re.search(rf"\b(\d{{1,2}}) (?:de )?({MONTH_RX})(?: (?:de |del )?(\d{{4}}))?\b", text)
    if match:
        phrase = f"{match[1]} de {match[2]}" + (f" de {match[3]}" if match[3] else "")
        return _dateparser(phrase, today)
    match = re.search(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b", text)
    if match:
        return _dateparser(match[0], today)
    match = re.search(r"\b(?:dentro de|en) (\d{1,2}|una|un) (dias?|semanas?)\b", text)
    if match:
        return _dateparser(f"dentro de {match[1].replace('una', '1').replace('un', '1')} {match[2]}", today)
    if re.search(r"\bpasado manana\b", text):
        # dateparser does not know "pasado mañana"; it does know "dentro de 2 dias".
        return _dateparser("dentro de 2 dias", today)
    if re.search(r"\b(?<!hasta )manana\b", text):
        return _dateparser("manana", today)
    if re.search(r"\bhoy\b", text):
        return today

    # "el viernes 11": the number is the date, the weekday only confirms it.
    match = re.search(rf"\b(?:{'|'.join(WEEKDAYS)}) (\d{{1,2}})\b(?! (?:hs|horas|de la|y media))", text)
    if match and 1 <= int(match[1]) <= 31:
        return _day_of_month(int(match[1]), now)

    next_week = bool(re.search(r"\b(?:semana que viene|proxima semana|semana proxima|otra semana)\b", text))
    # The first weekday said wins ("el jueves o el viernes" is Thursday), not the first in the table.
    named = [(m.start(), m, WEEKDAYS[m[0]]) for m in re.finditer(rf"\b(?:{'|'.join(WEEKDAYS)})\b", text)]
    for _position, match, weekday in sorted(named, key=lambda item: item[0])[:1]:
        if next_week:
            monday = today + dt.timedelta(days=7 - today.weekday())
            return monday + dt.timedelta(days=weekday)
        after = text[match.end() : match.end() + 16]
        before = text[max(0, match.start() - 10) : match.start()]
        said_next = bool(re.match(r"\s*(?:que viene|proximo|siguiente)\b", after) or re.search(r"proximo\s*$", before))
        return _next_weekday(weekday, now=now, time=time, part=part, next_week=said_next)
    if next_week:
        return today + dt.timedelta(days=7 - today.weekday())

    match = re.search(r"\b(?:el|para el|el dia|dia) (\d{1,2})\b(?! (?:hs|horas|de la|y media))", text)
    if match and 1 <= int(match[1]) <= 31:
        return _day_of_month(int(match[1]), now)
    return None


def extract_when(text: str, *, now: dt.datetime) -> When:
    """Day, time and part of day in what the patient said, relative to `now` (aware, in the
    clinic's time zone): "el miercoles a las diez", "mañana a la tarde", "pasado mañana
    15:30", "el 3 de diciembre a las 9 y media", "el lunes que viene a primera hora"."""
    prepared = _prepare_for_dates(text)
    part = None
    part_match = PART_OF_DAY_RX.search(prepared)
    if part_match:
        part = MORNING if part_match["part"] == "manana" or part_match["early"] else AFTERNOON
        prepared = _blank(prepared, part_match.span())
    time_part = "night" if part_match and part_match["part"] == "noche" else part
    if re.search(r"\bmediodia\b", prepared) and not re.search(r"\b(?:antes|despues) del mediodia\b", prepared):
        prepared = re.sub(r"\b(?:a )?(?:al )?mediodia\b", " a las 12:00 ", prepared)
    prepared = re.sub(r"\bla una\b", "la 1", prepared)

    time, span = _find_time(prepared, time_part)
    if span:
        prepared = _blank(prepared, span)
    date = _find_date(prepared, now=now, time=time, part=part)
    return When(date=date, time=time, part_of_day=part)


# --- choosing among offered options ----------------------------------------------------

ORDINALS = {
    "primero": 0,
    "primera": 0,
    "primer": 0,
    "segundo": 1,
    "segunda": 1,
    "tercero": 2,
    "tercera": 2,
    "tercer": 2,
    "cuarto": 3,
    "cuarta": 3,
    "quinto": 4,
    "quinta": 4,
}


def extract_choice(text: str, count: int) -> int | None:
    """Index of the option picked by position: "el primero", "la segunda opción", "el 2",
    "opción 3", "el último", "cualquiera". Times and days are matched by the brain, which
    knows the options."""
    if count <= 0:
        return None
    understood = words_to_digits(understand(text))
    understood = re.sub(r"\b(\d)(?:ro|ra|do|da|er|to|ta)\b", r"\1", understood)
    if re.search(r"\b(?:ultimo|ultima|ultimito)\b(?! hora)", understood):
        return count - 1
    if re.search(
        r"\b(?:cualquiera|el que sea|la que sea|lo antes posible|el mas (?:temprano|pronto|cercano)|la mas (?:temprana|pronta|cercana))\b",
        understood,
    ):
        return 0
    for word, index in ORDINALS.items():
        if re.search(rf"\b{word}\b(?! (?:hora|de (?:{MONTH_RX})))", understood) and not (
            word == "cuarto" and re.search(r"\b(?:y|menos) cuarto\b", understood)
        ):
            return index if index < count else None
    match = re.search(
        r"^(?:(?:el|la|opcion|numero|nro|n|la opcion|el numero|quiero el|quiero la|me quedo con el|me quedo con la|dame el|dame la) )?(\d)$",
        understood,
    )
    match = match or re.search(r"\b(?:opcion|numero|nro) (\d)\b", understood)
    if match:
        index = int(match[1]) - 1
        return index if 0 <= index < count else None
    return None


# --- names and documents ---------------------------------------------------------------

NAME_INTRO = re.compile(
    r"\b(?:me llamo|mi nombre es|mi nombre completo es|mi nombre seria|soy|habla|le habla|les habla|te habla|"
    r"a nombre de|el nombre es|nombre|nombre completo|el paciente es|la paciente es|paciente|es para)\b\s*"
)
NAME_PARTICLES = {"de", "del", "la", "las", "los", "y", "da", "di", "van", "von", "san"}
NAME_STOP = _word_set(
    "mi, mis, dni, documento, cedula, rut, con, tengo, quiero, quisiera, necesito, para, por, numero, "
    "nro, es, soy, gracias, porfa, favor, el, y"
)
DOCUMENT_LEAD_INS = {"y", "mi", "dni", "documento", "cedula", "rut", "numero", "nro", "con"}
# Words that can follow "soy" without being a name ("soy paciente de ustedes").
NOT_NAMES = _word_set(
    "paciente, pacientes, nuevo, nueva, afiliado, afiliada, socio, socia, mama, papa, madre, padre, "
    "hijo, hija, yo, el, la, de, un, una, quien, si, no, ok, dale, hola, buenas, buenos, gracias, bien, "
    "aca, del, particular, turno, cita, jubilado, jubilada, menor, mayor"
)


def _original_words(text: str) -> list[tuple[str, str]]:
    """(original word with its accents, normalized word) pairs, punctuation dropped."""
    pairs = []
    for raw in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text or ""):
        norm = normalize_text(raw).replace(" ", "")
        if norm:
            pairs.append((raw, norm))
    return pairs


def _title(word: str) -> str:
    return word.lower() if word.lower() in NAME_PARTICLES else word[:1].upper() + word[1:].lower()


def extract_name(text: str, *, expecting: bool = False) -> str | None:
    """The patient's name: "me llamo Juan Pérez", "soy juan perez", or, when the brain just
    asked for it (`expecting`), the bare "Juan Pérez". Keeps accents, fixes capitals."""
    pairs = _original_words(text)
    if not pairs:
        return None
    norms = [norm for _raw, norm in pairs]
    joined = " ".join(norms)
    start = None
    intro = NAME_INTRO.search(joined)
    if intro:
        start = len(joined[: intro.end()].split())
    elif expecting:
        start = 0
        # Fillers before the name ("si, Juan Pérez", "ok es Juan Pérez").
        while start < len(norms) and norms[start] in {"si", "ok", "dale", "bueno", "claro", "es", "seria", "ah"}:
            start += 1
    if start is None or start >= len(pairs):
        return None
    words: list[str] = []
    stopped_at = None
    for raw, norm in pairs[start:]:
        if (norm in NAME_STOP and not (norm in NAME_PARTICLES and words)) or (
            norm in VOCABULARY_SET and norm not in NAME_PARTICLES
        ):
            stopped_at = norm
            break
        words.append(raw)
        if len(words) >= 6:
            break
    while words and normalize_text(words[-1]) in NAME_PARTICLES:
        words.pop()
    if not words or normalize_text(words[0]) in NOT_NAMES or normalize_text(words[0]) in NAME_PARTICLES:
        return None
    if not expecting and not intro:
        return None
    # A whole sentence is not a name; a bare answer to "¿su nombre?" must look like one,
    # possibly followed by the document ("Juan Pérez, mi DNI es ...").
    if intro is None and stopped_at is not None and stopped_at not in DOCUMENT_LEAD_INS:
        return None
    if any(len(normalize_text(w)) < 2 for w in words if normalize_text(w) not in NAME_PARTICLES):
        return None
    return " ".join(_title(word) for word in words)


DOCUMENT_KEYWORD = re.compile(
    r"\b(?:dni|documento|docu|cedula|ci|cc|rut|run|ine|curp|nie|dni es|numero de documento)\b"
)


def extract_document_number(text: str) -> str | None:
    """The patient's document number: "12345678", "12.345.678", "dni 12 345 678", "doce
    millones trescientos cuarenta y cinco mil seiscientos setenta y ocho", digits said one
    by one. 7 or 8 digits (Argentine DNI); 6 to 10 when the patient says it is a document."""
    prepared = _prepare_for_dates(text, correct=False)
    has_keyword = bool(DOCUMENT_KEYWORD.search(normalize_text(text)))
    # A time ("a las 10:30") is never part of a document.
    prepared = re.sub(r"\b\d{1,2}:\d{2}\b", " ", prepared)
    candidates = []
    for match in re.finditer(r"\d+(?:[ \-/]\d+)*", prepared):
        digits = re.sub(r"\D", "", match[0])
        candidates.append(digits)
    low, high = (6, 10) if has_keyword else (7, 8)
    for digits in candidates:
        if low <= len(digits) <= high:
            return digits
    return None
