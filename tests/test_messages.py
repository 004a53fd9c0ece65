"""Messages as people write them: a scene, what someone said, then a short
question that refers back to it ("Is that true?"); and how a "did you mean"
is kept for real doubts."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeBase, Verdict
from knowledge.reading import (
    CONTEXT_SENTENCE_WEIGHT,
    NAME_SHARE,
    REFERRED_SENTENCE_WEIGHT,
    STATEMENT_FRAME_WEIGHT,
    focus,
)


def answer_key(kb: KnowledgeBase, question: str, locale: str) -> str | None:
    outcome = kb.ask(question, locale)
    assert outcome.verdict == Verdict.ANSWER, (question, outcome.verdict, outcome.matches[:3])
    return outcome.best.key if outcome.best else None


def test_the_sentence_before_the_question_is_what_it_refers_to() -> None:
    weights = [w for _, w in focus("Hi. I'm a nurse. A friend says so. Is that true?")]
    assert weights == [
        CONTEXT_SENTENCE_WEIGHT,
        CONTEXT_SENTENCE_WEIGHT,
        REFERRED_SENTENCE_WEIGHT,
        1.0,
    ]


def test_a_sentence_that_only_sets_a_mood_is_not_what_is_referred_to() -> None:
    text = "A friend says the carrier gets my IP. I'm fine with it. Is that true?"
    weights = [w for _, w in focus(text, names_topic=lambda s: "carrier" in s)]
    assert weights == [REFERRED_SENTENCE_WEIGHT, CONTEXT_SENTENCE_WEIGHT, 1.0]


@pytest.mark.parametrize(
    ("locale", "question", "key"),
    [
        (
            "en-US",
            "My supervisor mentioned Microsoft passes information to our phone company when "
            "we call through Teams. Honestly no objections here, purely wondering. Why does "
            "it do that?",
            "l1.2",
        ),
        (
            "it-IT",
            "La mia capa mi ha spiegato che Microsoft passa dei dati al gestore telefonico "
            "quando telefoniamo. Per me va benissimo, sono solo curiosa. Come mai?",
            "l1.2",
        ),
        (
            "de-DE",
            "Ich bin Koch in einem Hotel. Ein Freund erzählt, dass der Anbieter meine "
            "IP-Adresse bekommt. Stimmt das?",
            "l2.2",
        ),
        (
            "en-US",
            "I'm a nurse on night shifts. A friend says the operator gets the start and "
            "end times of my calls. True?",
            "l2.2",
        ),
    ],
)
def test_is_that_true_leans_on_what_was_said_just_before(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


@pytest.mark.parametrize(
    ("locale", "question", "key"),
    [
        (
            "es-ES",
            "Buenas. Ayer hubo una charla sobre Operator Connect. Una compañera pregunta si "
            "el operador sabe cuánto duran nuestras llamadas. ¿Es así?",
            "l2.2",
        ),
        (
            "ja-JP",
            "昨日 Operator Connect の研修がありました。同僚が、事業者は通話ごとの長さを"
            "知っているのかと聞いています。本当ですか？",
            "l2.2",
        ),
    ],
)
def test_a_bare_is_that_so_asks_the_sentence_it_refers_to_alone(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    # The scene (a meeting, new phones) must not leave the referred sentence
    # in doubt between the call details and the list that holds them.
    assert answer_key(kb, question, locale) == key


def test_a_runner_up_far_behind_is_no_real_doubt(kb: KnowledgeBase) -> None:
    # Under the answer score, the list l2 (0.40) trails its item l2.3 (0.55) by
    # more than DOUBT_MARGIN: not a "did you mean".
    question = (
        "Faccio la commessa in un negozio. Mio fratello dice che il gestore vede dove "
        "sono quando chiamo il 112. È giusto?"
    )
    assert answer_key(kb, question, "it-IT") == "l2.3"


# Everyday words for the notice's things (and for what it does not cover).
VOCABULARY = [
    ("en-US", "Is there a page on how the operator deals with my information?", "p3"),
    ("en-US", "I'm not happy the telco knows who I've been calling.", "l2.2"),
    # "setup" as a noun is the arrangement, not a request to change settings
    ("en-US", "Under this setup, who is responsible for my personal data?", "p1"),
    # "landen" (to end up) stems like "Land" (a country, where data is stored)
    ("de-DE", "Welche Infos landen beim Netzbetreiber?", "l2"),
    # "preisgeben" (to disclose) starts like "Preis" (a price)
    ("de-DE", "Muss ich dem Anbieter meinen Standort beim Notruf preisgeben?", "l2.3"),
    ("en-US", "Can the provider tell when my calls began and when they finished?", "l2.2"),
    # "where do I read" asks where to read more, not how to do something
    ("en-US", "Where do I read up on how my carrier handles this?", "p3"),
    # "records" of calls are call details, not a recording
    ("en-US", "Will the carrier get the records of who I phoned?", "l2.2"),
    ("es-ES", "¿Puede el operador bajarse mis datos de llamadas?", "p2"),
    ("it-IT", "Il gestore può salvare i dati delle mie chiamate?", "p2"),
    # "registro dei trattamenti" is the GDPR record, not a recording
    ("it-IT", "Per il registro dei trattamenti: chi è il titolare dei dati?", "p1"),
]


@pytest.mark.parametrize(("locale", "question", "key"), VOCABULARY)
def test_everyday_words_for_the_notices_things(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


def test_holding_on_to_data_is_retention(kb: KnowledgeBase) -> None:
    outcome = kb.ask("Will my provider hold on to my call history?", "en-US")
    assert outcome.verdict == Verdict.NOT_COVERED, outcome.matches[:2]


@pytest.mark.parametrize(
    ("locale", "question"),
    [
        ("en-US", "I don't want the operator to know my salary."),
        ("de-DE", "Mir wäre lieber, der Anbieter kennt mein Gehalt nicht."),
    ],
)
def test_everyday_concepts_around_a_word_the_notice_lacks_are_not_a_doubt(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    # Only "operator" and "know" are the notice's: its passages hold nothing of
    # the salary, so no "did you mean" among them either.
    outcome = kb.ask(question, locale)
    assert outcome.verdict == Verdict.NOT_COVERED, outcome.matches[:3]


def test_a_worry_about_a_number_floating_around_is_about_sharing(kb: KnowledgeBase) -> None:
    question = "I don't love the idea of my phone number sitting around at some telecom outfit."
    assert answer_key(kb, question, "en-US") == "l2.1"


def test_a_browsing_history_is_not_the_call_history(kb: KnowledgeBase) -> None:
    # "historial" alone is the call history (call details); of browsing it is not.
    outcome = kb.ask("No quiero que el operador vea mi historial de navegación.", "es-ES")
    assert outcome.verdict == Verdict.NOT_COVERED, outcome.matches[:2]


@pytest.mark.parametrize(
    ("locale", "question", "key"),
    [
        ("en-US", "Does the phone company know when I hung up?", "l2.2"),
        ("fr-FR", "L'opérateur sait-il quand je raccroche ?", "l2.2"),
        ("it-IT", "Il gestore sa quando riattacco?", "l2.2"),
        ("es-ES", "¿Quién manda sobre la información personal?", "p1"),
        # to place a call is to call, not a place (a location)
        ("en-US", "When I place a call, does the operator see my operating system?", "l2.2"),
    ],
)
def test_hanging_up_is_a_call_time_and_who_rules_the_data_is_the_controller(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


def test_the_session_initiation_protocol_is_no_start_time(kb: KnowledgeBase) -> None:
    # es: "protocolo de inicio de sesión" spells out SIP; its "inicio" (start)
    # made the phone-number item a rival for "¿a qué hora se inician mis llamadas?".
    slots = kb.indexes["es-ES"].analyzer.slots("protocolo de inicio de sesión")
    keys = {k for s in slots for k in s.keys}
    assert "~sip" in keys and "~call_times" not in keys


@pytest.mark.parametrize(
    ("locale", "question"),
    [
        (
            "en-US",
            "I run a support hotline for a charity. Does the carrier get the caller numbers?",
        ),
        ("es-ES", "¿El operador sabe quién me llama?"),
        ("it-IT", "Il gestore sa chi mi chiama?"),
    ],
)
def test_who_calls_me_is_a_call_detail(kb: KnowledgeBase, locale: str, question: str) -> None:
    # The callers' numbers are the call details (l2.2), not the user's own number.
    assert answer_key(kb, question, locale) == "l2.2"


@pytest.mark.parametrize(
    ("locale", "question", "key"),
    [
        ("it-IT", "Chi comanda sulle informazioni personali?", "p1"),
        ("ja-JP", "なぜ事業者に情報を送るのですか？", "l1.2"),
        # the other party's number is a call detail, not the user's own number
        ("ja-JP", "相手の番号は事業者に見えますか？", "l2.2"),
    ],
)
def test_who_rules_why_send_and_the_other_partys_number(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


@pytest.mark.parametrize(
    ("locale", "question", "key"),
    [
        (
            "en-US",
            "My colleague says the operator receives our IP addresses and operating systems. "
            "Where can I read about that?",
            "l2.2",
        ),
        (
            "de-DE",
            "Ich habe gehört, dass der Anbieter bei Notrufen meinen Standort bekommt. "
            "Wo kann ich das nachlesen?",
            "l2.3",
        ),
        (
            "it-IT",
            "Mi hanno detto che il gestore riceve il mio numero di telefono. Dove posso leggerlo?",
            "l2.1",
        ),
    ],
)
def test_where_can_i_read_that_asks_about_what_the_context_says(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


def test_where_can_i_read_more_after_a_context_without_a_topic_is_the_links(
    kb: KnowledgeBase,
) -> None:
    question = "We're a small shop with five phones. Where can I read more?"
    assert answer_key(kb, question, "en-US") == "p3"


def test_for_it_to_work_well_is_proper_functioning(kb: KnowledgeBase) -> None:
    # "pour que tout marche bien" names the notice's purpose (proper functioning),
    # so "where can I read that?" points at it.
    question = (
        "Mon collègue dit que Microsoft envoie des infos à l'opérateur pour que tout "
        "marche bien. Où puis-je lire ça ?"
    )
    assert answer_key(kb, question, "fr-FR") == "l1.2"


@pytest.mark.parametrize(
    ("locale", "question", "key"),
    [
        ("en-US", "Could the carrier grab my call history?", "p2"),
        ("it-IT", "Il gestore può tenersi una copia dei dati delle chiamate?", "p2"),
    ],
)
def test_grabbing_or_keeping_a_copy_is_exporting(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


def test_the_wrapping_of_an_irritation_is_not_its_topic(kb: KnowledgeBase) -> None:
    slots = kb.indexes["en-US"].analyzer.slots("Honestly it irks me that the telco knows my OS")
    assert {s.surface for s in slots} == {"telco", "knows", "os"}


# Whose the data is names the controller, in every language.
OWNERSHIP = [
    ("en-US", "Who do my call records belong to?"),
    ("fr-FR", "À qui appartiennent les données de mes appels ?"),
    ("de-DE", "Wem gehören die Daten meiner Anrufe?"),
    ("es-ES", "¿A quién pertenecen los datos de mis llamadas?"),
    ("it-IT", "A chi appartengono i dati delle mie chiamate?"),
    ("ja-JP", "通話のデータは誰のものですか？"),
]


@pytest.mark.parametrize(("locale", "question"), OWNERSHIP)
def test_whose_the_data_is_asks_for_the_controller(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    assert answer_key(kb, question, locale) == "p1"


# A number that ends up with, lands at, falls into the hands of the carrier is
# shared with it; "Land" as a country stays a storage place.
ENDS_UP_WITH = [
    ("de-DE", "Mich stört, dass meine Handynummer beim Netzbetreiber landet.", "l2.1"),
    ("it-IT", "Non voglio che il mio numero di cellulare finisca nelle mani del gestore.", "l2.1"),
    ("fr-FR", "Je n'aime pas que mon numéro de portable se retrouve chez l'opérateur.", "l2.1"),
    ("es-ES", "No quiero que mi número de móvil acabe en manos de la operadora.", "l2.1"),
    ("ja-JP", "携帯番号が通信事業者の手に渡るのは困ります。", "l2.1"),
]


@pytest.mark.parametrize(("locale", "question", "key"), ENDS_UP_WITH)
def test_what_ends_up_with_the_carrier_is_shared_with_it(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


def test_a_country_is_still_where_data_is_stored(kb: KnowledgeBase) -> None:
    outcome = kb.ask("In welchem Land liegen die Anrufdaten?", "de-DE")
    assert outcome.verdict == Verdict.NOT_COVERED


# Who is liable, who answers for the data, is the controller.
LIABLE = [
    ("en-US", "Which firm is on the hook if my personal data is misused?"),
    ("fr-FR", "Qui est juridiquement responsable de mes données personnelles ?"),
    ("de-DE", "Wer haftet eigentlich für personenbezogene Daten bei Operator Connect?"),
    ("es-ES", "¿Quién responde legalmente por los datos personales de los usuarios?"),
    ("it-IT", "Chi risponde legalmente dei dati personali degli utenti?"),
    ("ja-JP", "個人データについて法的責任を負うのはどこですか？"),
]


@pytest.mark.parametrize(("locale", "question"), LIABLE)
def test_who_is_liable_is_the_controller(kb: KnowledgeBase, locale: str, question: str) -> None:
    assert answer_key(kb, question, locale) == "p1"


# Other people's numbers, the sound of a call, are call details and quality;
# keeping one's number when moving to the service is porting, not covered.
DETAILS_AND_PORTING = [
    ("en-US", "Will the carrier see the numbers of people ringing me?", "l2.2"),
    ("fr-FR", "L'opérateur a-t-il le numéro des personnes qui me téléphonent ?", "l2.2"),
    ("es-ES", "¿El operador ve el número de las personas que me llaman?", "l2.2"),
    ("en-US", "Is the sound quality of my calls reported to the telco?", "l2.2"),
    ("de-DE", "Erfährt der Anbieter etwas über die Tonqualität meiner Gespräche?", "l2.2"),
    ("it-IT", "La qualità audio delle chiamate viene condivisa con il gestore?", "l2.2"),
    ("es-ES", "¿Puedo portar mi número de siempre al operador?", None),
    ("ja-JP", "今使っている番号を引き継げますか？", None),
]


@pytest.mark.parametrize(("locale", "question", "key"), DETAILS_AND_PORTING)
def test_other_peoples_numbers_call_sound_and_porting(
    kb: KnowledgeBase, locale: str, question: str, key: str | None
) -> None:
    if key is None:
        assert kb.ask(question, locale).verdict == Verdict.NOT_COVERED
    else:
        assert answer_key(kb, question, locale) == key


# "Where is that written?", "Can you sum it up?" point at what the context says,
# in every language.
POINTING = [
    (
        "en-US",
        "My team lead says Microsoft hands data over so the carrier can fix faults. "
        "Where does it say that?",
        "l1.2",
    ),
    (
        "fr-FR",
        "Ma collègue dit que l'opérateur peut télécharger nos données d'appel. Où est-ce écrit ?",
        "p2",
    ),
    (
        "es-ES",
        "Un compañero dice que el operador recibe la ubicación en una llamada al 112. "
        "¿Dónde lo pone?",
        "l2.3",
    ),
    (
        "it-IT",
        "Un collega dice che il gestore può scaricare i dati delle chiamate. Dove sta scritto?",
        "p2",
    ),
    (
        "de-DE",
        "Ich muss meinem Team erklären, welche Daten der Netzbetreiber bekommt. "
        "Kannst du das zusammenfassen?",
        "l2",
    ),
]


@pytest.mark.parametrize(("locale", "question", "key"), POINTING)
def test_where_is_that_written_points_at_the_context(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


# A relative's remark, a mood, then "what for?": the purpose of the sharing.
WHAT_FOR = [
    (
        "fr-FR",
        "Ma fille pense que Microsoft envoie nos données à l'opérateur. Je suis un peu "
        "inquiet. C'est pour quoi faire ?",
    ),
    (
        "it-IT",
        "Mio marito dice che Microsoft passa i dati delle chiamate al gestore. "
        "Non mi piace molto. A che pro?",
    ),
    ("it-IT", "Perché i dati delle mie chiamate finiscono al gestore?"),
]


@pytest.mark.parametrize(("locale", "question"), WHAT_FOR)
def test_what_for_after_a_remark_asks_why_microsoft_shares(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    assert answer_key(kb, question, locale) == "l1.2"


# Who decides over the data is the controller; the device's software is its
# operating system; hanging up is a call time, which the "why share" passage
# does not hold; advertising partners are advertising in a German compound.
EVERYDAY = [
    ("en-US", "Who decides what happens to my personal data here?", "p1"),
    ("de-DE", "Wer entscheidet über meine personenbezogenen Daten?", "p1"),
    ("ja-JP", "個人データの扱いを決めるのは誰ですか？", "p1"),
    ("en-US", "Can the carrier tell which software version my laptop runs?", "l2.2"),
    ("es-ES", "¿El operador sabe qué software usa mi portátil?", "l2.2"),
    ("en-US", "Not thrilled that the telco knows when I hang up.", "l2.2"),
    ("de-DE", "Hat der Netzbetreiber Zugang zur Anruferkennung?", "l2.2"),
]


@pytest.mark.parametrize(("locale", "question", "key"), EVERYDAY)
def test_deciding_software_and_hanging_up(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


def test_advertising_partners_are_not_covered(kb: KnowledgeBase) -> None:
    outcome = kb.ask("Landen meine Anrufdaten bei Werbepartnern?", "de-DE")
    assert outcome.verdict == Verdict.NOT_COVERED


# Encryption, where in the world data lies, and stopping the sharing: topics
# the notice does not cover, in every language, whatever words they share with it.
NOT_COVERED_CLOSE = [
    ("en-US", "Are my call details encrypted before the carrier gets them?"),
    ("fr-FR", "Mon numéro de téléphone est-il chiffré lors de l'envoi à l'opérateur ?"),
    ("de-DE", "Wird meine IP-Adresse verschlüsselt an den Anbieter übertragen?"),
    ("es-ES", "¿Mi ubicación de emergencia viaja cifrada al operador?"),
    ("it-IT", "L'URI SIP viene inviato crittografato al gestore?"),
    ("ja-JP", "通話の詳細は暗号化して事業者に送られますか？"),
    ("it-IT", "I dati delle chiamate sono archiviati negli Stati Uniti?"),
    ("ja-JP", "通話データは欧州のどこにありますか？"),
    ("en-US", "Can I stop them passing my phone number to the operator?"),
    ("ja-JP", "電話番号の共有をやめさせることはできますか？"),
]


@pytest.mark.parametrize(("locale", "question"), NOT_COVERED_CLOSE)
def test_encryption_places_and_stopping_are_not_covered(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    assert kb.ask(question, locale).verdict == Verdict.NOT_COVERED


# The SIP URI's long name ("Uniform Resource Identifiers") is the SIP URI: its
# "identifiers" are not the caller identifiers of the call-details item, so a
# question about callers' identifiers or numbers finds the call details.
CALLERS = [
    ("en-US", "Besides my own number, does the carrier receive the callers' phone numbers?"),
    ("en-US", "Does the provider see caller identifiers when customers ring our hotline?"),
    ("fr-FR", "En plus de mon numéro, l'opérateur voit-il le numéro de ceux qui appellent ?"),
    ("es-ES", "Además de mi número, ¿el operador ve los números de quienes llaman?"),
    ("it-IT", "Oltre al mio numero, il gestore vede i numeri di chi chiama?"),
    ("ja-JP", "自分の番号以外に、かけてきた人の番号も事業者に伝わりますか？"),
    ("ja-JP", "かけてきた人の識別子は事業者に渡りますか？"),
]


@pytest.mark.parametrize(("locale", "question"), CALLERS)
def test_callers_identifiers_are_call_details(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    assert answer_key(kb, question, locale) == "l2.2"


def test_others_is_not_changing_settings(kb: KnowledgeBase) -> None:
    # German "anderen" (others) stems like "ändern" (to change, not covered):
    # calling others outside Teams is what the feature does.
    question = "Kann ich mit Operator Connect auch mit anderen außerhalb von Teams telefonieren?"
    assert answer_key(kb, question, "de-DE") == "l1.1"
    assert kb.ask("Wie kann ich meine Rufnummer ändern?", "de-DE").verdict == Verdict.NOT_COVERED


# Words that only look like a topic the notice lacks: a public IP is no
# advertising (es/it "público" stems like "publicidad"), "objective" is no
# objection, "gerichtet" (directed) is no court.
LOOKALIKES = [
    ("es-ES", "¿El operador ve mi IP pública cuando llamo?", "l2.2"),
    ("it-IT", "Il gestore vede il mio indirizzo IP pubblico?", "l2.2"),
    ("en-US", "What is the objective of handing data to the carrier?", "l1.2"),
    ("de-DE", "Sind die Daten an den Netzbetreiber gerichtet, auch meine IP-Adresse?", "l2.2"),
]


@pytest.mark.parametrize(("locale", "question", "key"), LOOKALIKES)
def test_lookalikes_of_uncovered_topics_are_answered(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


# When the sharing starts is when the organisation turns the feature on (the
# why-share passage), not a call's start time; a call's start is a call detail.
@pytest.mark.parametrize(
    ("locale", "question", "key"),
    [
        ("en-US", "Since when does Microsoft share data with our carrier?", "l1.2"),
        ("fr-FR", "Depuis quand Microsoft partage-t-il des données avec l'opérateur ?", "l1.2"),
        ("es-ES", "¿Cuándo empieza a compartir Microsoft los datos con el operador?", "l1.2"),
        ("en-US", "Does the telco see when each of my calls starts?", "l2.2"),
        ("it-IT", "Il gestore sa a che ora iniziano le mie telefonate?", "l2.2"),
    ],
)
def test_when_the_sharing_starts_is_not_a_call_time(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


# Keeping what was exported is exporting (concepts.yaml 'excused'); how long it
# is kept is retention, which the notice does not cover.
KEEPING_AN_EXPORT = [
    ("en-US", "Can the carrier download my call data and keep it on their side?"),
    ("fr-FR", "L'opérateur peut-il récupérer une copie de mes appels et la garder de son côté ?"),
    ("de-DE", "Kann der Anbieter meine Anrufdaten herunterladen und bei sich speichern?"),
    ("es-ES", "¿Puede el operador descargar mis datos y guardarlos en sus sistemas?"),
    ("ja-JP", "事業者は通話データをエクスポートして手元に保存できますか？"),
]
HOW_LONG_AN_EXPORT_IS_KEPT = [
    ("en-US", "How long can the carrier keep the data it downloads?"),
    ("fr-FR", "Combien de temps l'opérateur garde-t-il les données exportées ?"),
    ("de-DE", "Wie lange darf der Anbieter heruntergeladene Daten speichern?"),
    ("es-ES", "¿Durante cuánto tiempo guarda el operador los datos descargados?"),
    ("it-IT", "Per quanto tempo il gestore conserva i dati scaricati?"),
    ("ja-JP", "ダウンロードしたデータを事業者はいつまで保存しますか？"),
]


@pytest.mark.parametrize(("locale", "question"), KEEPING_AN_EXPORT)
def test_keeping_what_was_exported_is_exporting(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    assert answer_key(kb, question, locale) == "p2"


@pytest.mark.parametrize(("locale", "question"), HOW_LONG_AN_EXPORT_IS_KEPT)
def test_how_long_an_export_is_kept_is_not_covered(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    assert kb.ask(question, locale).verdict == Verdict.NOT_COVERED


@pytest.mark.parametrize(
    "question",
    [
        "¿Qué información recibe la operadora cuando llamo con Teams?",
        "¿Qué datos le llegan al proveedor cuando hago llamadas?",
    ],
)
def test_spanish_que_before_a_noun_asks_which(kb: KnowledgeBase, question: str) -> None:
    # "qué" folds to "que", a stop word ("dice que..."): before "información",
    # "datos", "tipo de" it is the question word, so the message asks which
    # data, not a doubt between the emergency and call-detail items.
    assert answer_key(kb, question, "es-ES") in {"l2", "l2.2"}


# Worries in the past tense and about what the carrier does with the data.
WORRIES = [
    ("en-US", "Bit uneasy that the telco can see who called me yesterday.", "l2.2"),
    ("fr-FR", "Ça me gêne que l'opérateur sache qui m'a appelé ce matin.", "l2.2"),
    ("de-DE", "Mir gefällt nicht, dass der Netzbetreiber sieht, wer mich angerufen hat.", "l2.2"),
    ("it-IT", "Non mi piace che il gestore sappia chi mi ha chiamato stamattina.", "l2.2"),
    ("fr-FR", "J'aimerais savoir ce que le fournisseur fait de ces données.", "p3"),
    ("de-DE", "Mich interessiert, was der Netzbetreiber mit diesen Daten macht.", "p3"),
    ("it-IT", "Vorrei sapere cosa fa il gestore con questi dati.", "p3"),
    ("ja-JP", "通信事業者がデータで何をするのか気になります。", "p3"),
    # "in the first place" is no place (a location)
    (
        "en-US",
        "I never understood why Microsoft shares my info with the telco in the first place.",
        "l1.2",
    ),
]


@pytest.mark.parametrize(("locale", "question", "key"), WORRIES)
def test_worries_about_past_calls_and_what_the_carrier_does(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


# Where to find the carrier's own rules is the privacy-links passage, not a
# how-to request; where to find one's own things in Teams still is one.
@pytest.mark.parametrize(
    ("locale", "question"),
    [
        ("en-US", "Where do I find the carrier's terms of use?"),
        ("de-DE", "Wo finde ich die Datenschutzbestimmungen meines Anbieters?"),
        ("es-ES", "¿Dónde encuentro la política de privacidad de mi operador?"),
        ("it-IT", "Dove trovo l'informativa privacy del mio gestore?"),
        ("fr-FR", "Où trouver la politique de confidentialité de mon opérateur ?"),
    ],
)
def test_where_to_find_the_carriers_rules_is_the_links(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    assert answer_key(kb, question, locale) == "p3"


def test_where_to_find_ones_own_things_is_a_how_to(kb: KnowledgeBase) -> None:
    outcome = kb.ask("Where do I find my call history in Teams?", "en-US")
    assert outcome.verdict == Verdict.NOT_COVERED


@pytest.mark.parametrize(
    ("locale", "question", "key"),
    [
        ("en-US", "Does the carrier get my landline extension?", "l2.1"),
        ("es-ES", "¿El operador recibe mi teléfono fijo?", "l2.1"),
        ("de-DE", "Kann der Anbieter meine Anrufdaten abziehen?", "p2"),
        ("ja-JP", "事業者にグローバルIPアドレスは伝わりますか？", "l2.2"),
    ],
)
def test_landlines_pulling_data_and_global_ips(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


def test_what_can_i_do_about_it_is_a_how_to_but_with_the_feature_asks_what_it_does(
    kb: KnowledgeBase,
) -> None:
    # "What can I do?" asks for help the notice does not give; "what can I do
    # with Operator Connect?" asks what the feature is for.
    for locale, question in (
        ("en-US", "My calls keep dropping, what can I do?"),
        ("it-IT", "Le chiamate si sentono male, cosa posso fare?"),
        ("es-ES", "Se corta la llamada a menudo, ¿qué puedo hacer?"),
    ):
        assert kb.ask(question, locale).verdict == Verdict.NOT_COVERED, question
    for locale, question in (
        ("en-US", "What can I do with Operator Connect?"),
        ("it-IT", "Cosa posso fare con Operator Connect?"),
        ("es-ES", "¿Qué puedo hacer con Operator Connect?"),
    ):
        assert answer_key(kb, question, locale) == "l1.1", question


# Whom Microsoft shares with (the 'recipient' intent) is the why-share passage,
# which names the carrier as the one who receives.
@pytest.mark.parametrize(
    ("locale", "question"),
    [
        ("fr-FR", "À qui sont transmises mes informations ?"),
        ("it-IT", "Con chi condivide Microsoft i dati?"),
        ("es-ES", "¿Con quién se comparten mis datos?"),
        ("ja-JP", "私のデータは誰に渡りますか？"),
        ("de-DE", "An wen gibt Microsoft meine Daten weiter?"),
        ("de-DE", "Wer bekommt eigentlich meine Daten?"),
    ],
)
def test_whom_microsoft_shares_with_is_the_carrier(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    assert answer_key(kb, question, locale) == "l1.2"


# German separable verbs leave their particle at the end: "bewahrt … auf"
# (keeps, not covered), "lädt … herunter" (downloads), "geht … mit … um" (handles).
@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("Lädt der Netzbetreiber meine Anrufdaten herunter?", "p2"),
        ("Wie geht der Anbieter mit meinen Informationen um?", "p3"),
        ("Wie lange bewahrt der Netzbetreiber meine Verbindungsdaten auf?", None),
    ],
)
def test_german_separable_verbs(kb: KnowledgeBase, question: str, key: str | None) -> None:
    if key is None:
        assert kb.ask(question, "de-DE").verdict == Verdict.NOT_COVERED
    else:
        assert answer_key(kb, question, "de-DE") == key


def test_sms_c_koi_is_what_is(kb: KnowledgeBase) -> None:
    # "c koi" is "c'est quoi" (what is): set aside like it, so "c koi operator
    # connect" asks what the feature is, not which data are shared.
    assert answer_key(kb, "c koi operator connect ?", "fr-FR") == "l1.1"
    assert answer_key(kb, "c koi les infos partagees avec l operateur", "fr-FR") == "l2"


# Close questions the notice does not answer although they share its words:
# the user downloading their own data, onward sharing with other companies,
# something in return, what an employer can see.
NEAR_BUT_NOT_COVERED = [
    ("en-US", "Am I able to export my call records myself?"),
    ("fr-FR", "Comment obtenir moi-même une copie de mes données d'appel ?"),
    ("de-DE", "Kann ich die Anrufdaten auch ich selbst exportieren?"),
    ("es-ES", "¿Puedo exportar yo misma mis registros de llamadas?"),
    ("it-IT", "Posso esportare io stesso i dati delle mie chiamate?"),
    ("ja-JP", "通話記録を自分でエクスポートできますか？"),
    ("en-US", "Is my phone number sold or given to other companies?"),
    ("de-DE", "Landet meine Telefonnummer auch bei anderen Unternehmen?"),
    ("it-IT", "Il gestore gira i miei dati ad altre società?"),
    ("es-ES", "¿Qué recibe Microsoft a cambio de compartir mis datos?"),
    ("es-ES", "¿Mi jefe puede ver a quién llamo?"),
    ("ja-JP", "上司は私の通話相手を見られますか？"),
]


@pytest.mark.parametrize(("locale", "question"), NEAR_BUT_NOT_COVERED)
def test_near_questions_the_notice_does_not_answer(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    assert kb.ask(question, locale).verdict == Verdict.NOT_COVERED


@pytest.mark.parametrize(
    ("locale", "question"),
    [
        ("de-DE", "Holt der Anbieter die Anrufdaten raus?"),
        ("it-IT", "Il gestore può tirare fuori i miei dati?"),
        ("fr-FR", "L'opérateur peut-il sortir les données de mes appels ?"),
    ],
)
def test_taking_the_data_out_is_exporting(kb: KnowledgeBase, locale: str, question: str) -> None:
    assert answer_key(kb, question, locale) == "p2"


@pytest.mark.parametrize(
    ("locale", "question", "key"),
    [
        # an ambulance is an emergency call in German and French too
        ("de-DE", "Geht mein Standort raus, wenn ich den Krankenwagen rufe?", "l2.3"),
        ("fr-FR", "Ma position part-elle chez l'opérateur quand j'appelle une ambulance ?", "l2.3"),
        # 管理者 is the controller; an IT admin is システム管理者 / IT管理者
        ("ja-JP", "管理者はMicrosoftと通信事業者のどちらですか？", "p1"),
    ],
)
def test_ambulances_and_the_japanese_controller(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


@pytest.mark.parametrize(
    ("locale", "question"),
    [
        (
            "it-IT",
            "Ieri in riunione si è parlato di indirizzi IP. "
            "Il gestore riceve quello del mio portatile?",
        ),
        (
            "es-ES",
            "Ayer en la reunión se habló de direcciones IP. ¿El operador recibe la de mi portátil?",
        ),
        (
            "en-US",
            "Yesterday's meeting was about IP addresses. "
            "Does the carrier get the one from my laptop?",
        ),
    ],
)
def test_the_one_from_my_laptop_is_what_the_context_names(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    # "quello del", "la de", "the one from" point back at the IP addresses of
    # the sentence before (concepts.yaml pointers: referent).
    assert answer_key(kb, question, locale) == "l2.2"


@pytest.mark.parametrize(
    ("locale", "question"),
    [
        ("en-US", "Will the operator hold my call details indefinitely?"),
        ("es-ES", "¿El proveedor se queda con mi número de teléfono?"),
        ("it-IT", "Il gestore conserva per sempre la mia posizione?"),
        ("de-DE", "Liegen meine Anrufdaten für immer beim Anbieter?"),
        ("ja-JP", "事業者は私の通話記録をずっと持っていますか？"),
    ],
)
def test_keeping_forever_is_retention(kb: KnowledgeBase, locale: str, question: str) -> None:
    assert kb.ask(question, locale).verdict == Verdict.NOT_COVERED


def test_who_looks_after_the_data_is_the_controller(kb: KnowledgeBase) -> None:
    assert answer_key(kb, "Who looks after my personal data, Microsoft or BT?", "en-US") == "p1"
    assert answer_key(kb, "¿Quién se encarga de mis datos personales?", "es-ES") == "p1"


# "Am I right?" is no reason (fr raison, es razón, it ragione ask "why");
# a router or an internet box is the device, not a topic; copying onto the
# carrier's own servers is exporting, servers alone a storage place.
@pytest.mark.parametrize(
    ("locale", "question", "key"),
    [
        (
            "es-ES",
            "Mi jefe dice que Microsoft es el responsable del tratamiento. ¿Tiene razón?",
            "p1",
        ),
        ("it-IT", "Il mio capo dice che il gestore può scaricare i dati. Ha ragione?", "p2"),
        (
            "fr-FR",
            "On m'a dit que Microsoft est responsable du traitement. J'ai hésité. J'ai raison ?",
            "p1",
        ),
        ("fr-FR", "L'adresse IP de ma box part-elle chez l'opérateur ?", "l2.2"),
        ("de-DE", "Sieht der Anbieter die IP-Adresse meiner Fritzbox?", "l2.2"),
        ("en-US", "Can the operator copy my call data onto its own servers?", "p2"),
        ("es-ES", "¿El operador puede copiar mis datos en sus propios servidores?", "p2"),
    ],
)
def test_am_i_right_routers_and_the_carriers_own_servers(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


def test_servers_alone_are_still_where_data_is_stored(kb: KnowledgeBase) -> None:
    assert kb.ask("On which servers is my call data?", "en-US").verdict == Verdict.NOT_COVERED


# "The notice mentions X. What's that about?": the notice named as the document
# is set aside, and "what's that about" points at X (six languages).
@pytest.mark.parametrize(
    ("locale", "question", "key"),
    [
        ("en-US", "The notice talks about exporting. What's that about?", "p2"),
        ("fr-FR", "La notice parle d'exportation. De quoi s'agit-il ?", "p2"),
        ("de-DE", "Im Hinweis steht etwas vom Exportieren. Was bedeutet das?", "p2"),
        ("es-ES", "El aviso habla de exportar. ¿Qué significa eso?", "p2"),
        ("it-IT", "L'informativa parla di esportazione. Di cosa si tratta?", "p2"),
        ("ja-JP", "お知らせにエクスポートとありました。それは何ですか？", "p2"),
        # "does that really happen?" is no handling of data
        ("en-US", "A friend says the carrier gets my IP address. Does that really happen?", "l2.2"),
        ("de-DE", "Angeblich bekommt der Anbieter meine IP-Adresse. Wie kommt das?", "l1.2"),
    ],
)
def test_what_the_notice_mentions_and_what_that_is_about(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


def test_a_pointer_with_nothing_before_it_is_only_phrasing(kb: KnowledgeBase) -> None:
    # "di che si tratta" points back; alone it must not weigh as a topic the
    # notice lacks.
    assert answer_key(kb, "Di che si tratta, Operator Connect?", "it-IT") == "l1.1"


@pytest.mark.parametrize(
    ("locale", "question"),
    [
        # keeping for years is a retention period (six languages)
        ("en-US", "I'd rather the telco didn't hold onto my call history for years."),
        ("it-IT", "Spero che il gestore non tenga i miei dati per anni."),
        ("de-DE", "Behält der Anbieter meine Anrufdaten jahrelang?"),
        ("ja-JP", "事業者は通話データを何年も持っていますか？"),
        # calls heard by someone at the carrier is recording, not "I was asked"
        ("ja-JP", "事業者の人に通話を聞かれることはありますか？"),
    ],
)
def test_years_of_keeping_and_calls_overheard_are_not_covered(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    assert kb.ask(question, locale).verdict == Verdict.NOT_COVERED


def test_being_asked_is_still_set_aside_in_japanese(kb: KnowledgeBase) -> None:
    question = "同僚からIPアドレスについて聞かれました。事業者はIPアドレスを受け取りますか？"
    assert answer_key(kb, question, "ja-JP") == "l2.2"


@pytest.mark.parametrize(
    ("locale", "question"),
    [
        ("de-DE", "Ein Kollege sagt, der Anbieter kriegt unsere IP-Adressen mit. Stimmt das?"),
        ("en-US", "Which details about my calls does the carrier get?"),
    ],
)
def test_catching_wind_of_ips_and_details_about_calls(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    assert answer_key(kb, question, locale) == "l2.2"


def test_the_scene_says_which_item_of_the_list_was_asked_about(kb: KnowledgeBase) -> None:
    # Alone, "which details of my whereabouts go to the carrier?" finds the
    # list; the scene (calling an emergency doctor) says which of its items.
    question = (
        "Ich mache Nachtschicht in der Pflege und rufe manchmal über Teams den Notarzt. "
        "Welche Angaben zu meinem Aufenthaltsort gehen dann an den Anbieter?"
    )
    assert answer_key(kb, question, "de-DE") == "l2.3"


@pytest.mark.parametrize(
    ("locale", "question"),
    [
        ("es-ES", "Pregunta de RR. HH.: ¿qué hay que explicar a la plantilla sobre esta función?"),
        ("ja-JP", "人事部です。スタッフにはこの機能について何を説明すればよいですか？"),
    ],
)
def test_what_to_explain_to_the_staff(kb: KnowledgeBase, locale: str, question: str) -> None:
    assert answer_key(kb, question, locale) == "l1"


# The formal register of a data protection officer: categories of data, the
# service's operation, the legal basis (not covered), request formulas set aside.
FORMAL = [
    ("en-US", "Kindly list the categories of personal data the carrier obtains.", "l2"),
    ("fr-FR", "Veuillez indiquer les types de données transmises à l'opérateur.", "l2"),
    ("de-DE", "Bitte nennen Sie die Arten von Daten, die der Netzbetreiber erhält.", "l2"),
    ("it-IT", "Si prega di indicare i tipi di dati trasmessi al gestore.", "l2"),
    (
        "es-ES",
        "¿La comunicación de datos al proveedor es necesaria para el funcionamiento del servicio?",
        "l1.2",
    ),
    ("en-US", "What is the lawful basis for giving my data to the telco?", None),
    ("de-DE", "Auf welcher Rechtsgrundlage erhält der Anbieter meine Daten?", None),
    ("ja-JP", "事業者にデータを渡す法的根拠は何ですか？", None),
]


@pytest.mark.parametrize(("locale", "question", "key"), FORMAL)
def test_the_formal_register(
    kb: KnowledgeBase, locale: str, question: str, key: str | None
) -> None:
    if key is None:
        assert kb.ask(question, locale).verdict == Verdict.NOT_COVERED
    else:
        assert answer_key(kb, question, locale) == key


# Chat style: laughter and fillers set aside, slang verbs understood.
CHAT = [
    ("fr-FR", "bon du coup qui gère mes données perso mdr", "p1"),
    ("fr-FR", "l'opérateur peut récup mes infos d'appel ?", "p2"),
    ("en-US", "lol does the telco see my ip tbh", "l2.2"),
    ("ja-JP", "事業者って通話記録を持って行けるの？", "p2"),
]


@pytest.mark.parametrize(("locale", "question", "key"), CHAT)
def test_chat_style(kb: KnowledgeBase, locale: str, question: str, key: str) -> None:
    assert answer_key(kb, question, locale) == key


# "More than my number?", "apart from the emergency location, which …?" ask for
# the whole list; "besides my number, the callers' numbers?" asks for an item.
@pytest.mark.parametrize(
    ("locale", "question", "key"),
    [
        ("en-US", "Is anything else shared apart from my SIP address?", "l2"),
        ("de-DE", "Bekommt der Anbieter mehr als meinen Standort beim Notruf?", "l2"),
        ("es-ES", "¿El proveedor recibe otra cosa que mi dirección IP?", "l2"),
        ("ja-JP", "電話番号以外にどんな情報が事業者に渡りますか？", "l2"),
        ("en-US", "Besides my own number, does the telco get the numbers of my callers?", "l2.2"),
    ],
)
def test_what_else_than_an_item_is_the_list(
    kb: KnowledgeBase, locale: str, question: str, key: str
) -> None:
    assert answer_key(kb, question, locale) == key


@pytest.mark.parametrize(
    ("locale", "question"),
    [
        (
            "es-ES",
            "Buenos días, soy nueva en recepción y me asignaron un número de teléfono. Me "
            "cuentan que las llamadas van por un operador. ¿Qué recibe ese operador sobre mí?",
        ),
        (
            "fr-FR",
            "Salut, je suis au support et j'ai un nouveau numéro de poste. Nos appels passent "
            "par un opérateur, paraît-il. Que reçoit cet opérateur sur moi ?",
        ),
        (
            "de-DE",
            "Hallo, ich bin im Lager und habe eine neue Telefonnummer in Teams. Die Anrufe "
            "laufen über einen Anbieter. Was bekommt dieser Anbieter über mich?",
        ),
    ],
)
def test_a_question_opened_by_its_question_word_is_not_pulled_by_its_scene(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    # "Qué", "Que", "Was" open the question (they are stop words elsewhere):
    # the scene's "new number" must not turn "what does the carrier
    # receive?" (the whole list) into the phone-number item.
    assert answer_key(kb, question, locale) == "l2"


def test_a_statement_is_read_by_the_clause_it_is_about() -> None:
    def split(sentence: str) -> tuple[str, str] | None:
        frame, _, clause = sentence.partition(" that ")
        return (frame, clause) if clause else None

    weights = focus("Hi. Nobody told me that my IP goes to the carrier.", split_statement=split)
    assert weights == [
        ("Hi.", CONTEXT_SENTENCE_WEIGHT),
        ("Nobody told me", STATEMENT_FRAME_WEIGHT),
        ("my IP goes to the carrier.", 1.0),
    ]
    # A message that asks is read by its question, not cut at "that".
    assert focus("Is it true that my IP goes to the carrier?", split_statement=split) == [
        ("Is it true that my IP goes to the carrier?", 1.0)
    ]


@pytest.mark.parametrize(
    ("locale", "text", "clause"),
    [
        ("en-US", "It bugs me that the telco sees my calls.", "the telco sees my calls."),
        ("fr-FR", "Ça m'agace qu'il voie mes appels.", "il voie mes appels."),
        ("de-DE", "Mich nervt, dass er meine Anrufe sieht.", "er meine Anrufe sieht."),
        ("ja-JP", "通話を見られるのは嫌だ。", "通話を見られる"),
    ],
)
def test_each_language_says_where_the_clause_begins(
    kb: KnowledgeBase, locale: str, text: str, clause: str
) -> None:
    split = kb.indexes[locale].analyzer.split_statement(text)
    assert split is not None and split[1].strip() == clause
    # "that one" is no clause.
    assert kb.indexes["en-US"].analyzer.split_statement("I like that one.") is None


@pytest.mark.parametrize(
    ("locale", "question", "keys"),
    [
        (
            "de-DE",
            "Ich finde es seltsam, dass der Anbieter die Daten einfach herunterladen kann.",
            {"p2"},
        ),
        ("es-ES", "Me parece raro que Microsoft comparta cosas con mi operador.", {"l2", "l1.2"}),
    ],
)
def test_the_frame_of_a_worry_weighs_as_context(
    kb: KnowledgeBase, locale: str, question: str, keys: set[str]
) -> None:
    # "I find it strange" is how the person feels; the clause after "dass" /
    # "que" is the question it stands for.
    assert answer_key(kb, question, locale) in keys


def test_a_word_the_scene_introduced_weighs_as_a_name_in_the_question(kb: KnowledgeBase) -> None:
    # "Dienstleister" is no word of the notice; the scene introduced it, so in
    # the question it says whom the question is about, not a topic it lacks.
    question = (
        "Hallo, ich bin im Marketing und habe eine neue Leitung. Die Anrufe laufen über "
        "einen externen Dienstleister. Was bekommt der Dienstleister über mich?"
    )
    assert answer_key(kb, question, "de-DE") == "l2"
    index = kb.indexes["de-DE"]
    said = [t.emphasis for t in index.read(question) if t.slot.surface == "dienstleister"]
    assert said == [REFERRED_SENTENCE_WEIGHT, NAME_SHARE]


@pytest.mark.parametrize(
    ("locale", "question"),
    [
        ("es-ES", "Me dijeron que el operador puede leer nuestros chats. ¿Es cierto?"),
        ("it-IT", "Un amico dice che il gestore legge le nostre chat. È vero?"),
        ("ja-JP", "事業者がチャットを読めると聞きました。本当ですか？"),
    ],
)
def test_is_that_true_about_an_uncovered_claim_is_not_covered(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    # Reading chats is not in the notice: confirming it is not covered either.
    assert kb.ask(question, locale).verdict == Verdict.NOT_COVERED


@pytest.mark.parametrize(
    ("locale", "question"),
    [
        (
            "fr-FR",
            "Mon chef m'a envoyé un mail qui dit que l'opérateur peut exporter nos données "
            "d'appel. C'est vrai ?",
        ),
        ("ja-JP", "事業者が通話データをエクスポートできるというメールが来ました。本当ですか？"),
    ],
)
def test_the_claim_confirmed_is_the_clause_not_how_it_was_heard(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    # The e-mail (an uncovered topic) is how the claim came, not the claim.
    assert answer_key(kb, question, locale) == "p2"
