"""Summit detection: wire-style sentences written for these tests (not taken from the eval set).

Positives must yield exactly one RegionalSummit of the right series/organisation/scope;
hard negatives (bilateral, ministerial, business, sports, passing mentions ...) must yield none.
Where the summit model's decision on such a short text is no measure, a test checks what the
reading stages give the model instead (`read`: the summit words, format and article features).
"""

from __future__ import annotations

import pytest

from handlers.doc import Doc, states
from handlers.features import article_features, person_features, state_features
from handlers.people import state_readings
from handlers.pipeline import Outcome, Pipeline
from schemas import Mention, RawArticle, RegionalSummit
from tests.unit.deciders import reports_pipeline


def all_mentions(event: RegionalSummit) -> list[Mention]:
    found: list[Mention] = []
    for person in event.participants:
        found.extend(person.mentions)
    for official in event.officials:
        found.extend(official.mentions)
    for document in event.documents:
        found.extend(document.mentions)
    evidence = event.summit.evidence
    if evidence is not None:
        for mention in (evidence.name, evidence.ordinal, evidence.date, evidence.venue, evidence.chair):
            if mention is not None:
                found.append(mention)
    return found


def assert_mentions_valid(event: RegionalSummit, body: str) -> None:
    for mention in all_mentions(event):
        assert 0 <= mention.start <= mention.end <= len(body), mention
        assert body[mention.start : mention.end] == mention.text, mention


def article(body: str, lang: str = "ar", published: str | None = "2024-08-09") -> RawArticle:
    raw: dict[str, str] = {"id": "t-detect", "language": lang, "body": body}
    if published is not None:
        raw["published_at"] = published
    return RawArticle.model_validate(raw)


def run(p: Pipeline, body: str, lang: str = "ar", published: str | None = "2024-08-09") -> Outcome:
    outcome = p.analyse(article(body, lang, published))
    for event in outcome.events:
        assert_mentions_valid(event, body)
    return outcome


def one(p: Pipeline, body: str, lang: str = "ar", published: str | None = "2024-08-09") -> RegionalSummit:
    outcome = run(p, body, lang, published)
    assert len(outcome.events) == 1, f"expected one summit, got none ({outcome.reason})"
    return outcome.events[0]


def none(p: Pipeline, body: str, lang: str = "ar", published: str | None = "2024-08-09") -> None:
    events = run(p, body, lang, published).events
    assert events == (), [(e.summit.name, e.summit.series) for e in events]


def read(p: Pipeline, body: str, lang: str = "ar", published: str | None = "2024-08-09") -> Doc:
    """What the reading stages make of `body` (no learned decision): it must hold a summit word."""
    doc = p.read(article(body, lang, published))
    assert doc is not None, "dropped before any summit word was read"
    assert doc.main is not None, "no summit word read"
    return doc


def main_words(doc: Doc) -> str:
    """The main summit word as written in the body."""
    assert doc.main is not None
    assert doc.text is not None
    return doc.text.span(doc.main.cue.start, doc.main.cue.end)[2]


# --------------------------------------------------------------------------- positives

C5_AR = (
    "أستانا 9 أغسطس (قنا) - انعقد اليوم في العاصمة الكازاخستانية أستانا الاجتماع التشاوري السادس "
    "لرؤساء دول آسيا الوسطى، بمشاركة رؤساء كازاخستان وقرغيزستان وطاجيكستان وتركمانستان وأوزبكستان، "
    "وبحث القادة سبل تعزيز التعاون الإقليمي في مجالات النقل والطاقة والمياه."
)


def test_c5_consultative_meeting_is_detected(pipeline: Pipeline) -> None:
    event = one(pipeline, C5_AR)
    assert event.summit.series == "Consultative Meeting of the Heads of State of Central Asia"
    assert event.summit.organization is None
    assert event.summit.scope == "regional"


def test_sco_summit_is_detected(pipeline: Pipeline) -> None:
    body = (
        "أستانا 4 يوليو (شينخوا) - انطلقت اليوم الخميس في العاصمة الكازاخستانية أستانا أعمال قمة منظمة "
        "شنغهاي للتعاون، بمشاركة قادة الدول الأعضاء، حيث يناقش الزعماء قضايا الأمن الإقليمي ومكافحة الإرهاب "
        "وتوسيع التعاون الاقتصادي."
    )
    event = one(pipeline, body, published="2024-07-04")
    assert event.summit.series == "SCO Summit"
    assert event.summit.organization == "SCO"
    assert event.summit.scope == "regional"


def test_gcc_supreme_council_session_is_detected(pipeline: Pipeline) -> None:
    body = (
        "الكويت 1 ديسمبر (كونا) - افتتحت اليوم أعمال الدورة الـ45 للمجلس الأعلى لمجلس التعاون لدول الخليج "
        "العربية، برئاسة صاحب السمو الشيخ مشعل الأحمد الجابر الصباح أمير دولة الكويت، وبمشاركة أصحاب "
        "الجلالة والسمو قادة دول المجلس."
    )
    event = one(pipeline, body, published="2024-12-01")
    assert event.summit.series == "GCC Supreme Council Summit"
    assert event.summit.organization == "GCC"
    assert event.summit.scope == "regional"


def test_arab_league_summit_is_detected(pipeline: Pipeline) -> None:
    body = (
        "المنامة 16 مايو (بنا) - اختتمت في المنامة اليوم أعمال القمة العربية الـ33، التي ترأسها ملك "
        "مملكة البحرين، بإصدار إعلان البحرين الذي دعا إلى وقف فوري لإطلاق النار في قطاع غزة."
    )
    event = one(pipeline, body, published="2024-05-16")
    assert event.summit.series == "Arab League Summit"
    assert event.summit.organization == "LAS"
    assert event.summit.scope == "regional"


def test_ots_summit_names_its_format() -> None:
    body = (
        "شوشا 6 يوليو (الأناضول) - عقدت اليوم في مدينة شوشا الأذربيجانية قمة منظمة الدول التركية غير "
        "الرسمية، بمشاركة رؤساء أذربيجان وتركيا وكازاخستان وقرغيزستان وأوزبكستان."
    )
    # the format read from the text, in a report taken as a summit (tests.unit.deciders)
    event = one(reports_pipeline(), body, published="2024-07-06")
    assert event.summit.series == "Summit of the Organization of Turkic States"
    assert event.summit.organization == "OTS"
    assert event.summit.scope == "regional"


def test_china_central_asia_summit_is_interregional(pipeline: Pipeline) -> None:
    body = (
        "شيان 19 مايو (شينخوا) - ترأس الرئيس الصيني شي جين بينغ اليوم الجمعة في مدينة شيان قمة الصين "
        "وآسيا الوسطى، بحضور رؤساء كازاخستان وقرغيزستان وطاجيكستان وتركمانستان وأوزبكستان."
    )
    event = one(pipeline, body, published="2023-05-19")
    assert event.summit.series == "China–Central Asia Summit"
    assert event.summit.scope == "interregional"


def test_gcc_central_asia_summit_is_interregional(pipeline: Pipeline) -> None:
    body = (
        "جدة 19 يوليو (واس) - انطلقت اليوم في جدة أعمال قمة مجلس التعاون لدول الخليج العربية ودول آسيا "
        "الوسطى، بمشاركة قادة دول المجلس ورؤساء كازاخستان وقرغيزستان وطاجيكستان وتركمانستان وأوزبكستان."
    )
    event = one(pipeline, body, published="2023-07-19")
    assert event.summit.series == "GCC–Central Asia Summit"
    assert event.summit.scope == "interregional"


def test_trilateral_summit_of_named_states_without_organisation(pipeline: Pipeline) -> None:
    body = (
        "بغداد 27 يونيو (واع) - عقدت في بغداد اليوم القمة الثلاثية بين مصر والأردن والعراق، بمشاركة "
        "الرئيس المصري عبد الفتاح السيسي والعاهل الأردني الملك عبد الله الثاني ورئيس الوزراء العراقي، "
        "وبحث القادة مشروعات الربط الكهربائي وخط النفط."
    )
    event = one(pipeline, body, published="2021-06-27")
    assert event.summit.organization is None
    assert event.summit.scope == "regional"
    assert event.participant_countries == ["EG", "IQ", "JO"]


def test_a_summit_of_no_known_format_counts_the_leaders_of_its_other_sentences(pipeline: Pipeline) -> None:
    body = (
        "قمة القاهرة للسلام تختتم أعمالها\nاختتمت اليوم السبت أعمال «قمة القاهرة للسلام» التي دعا إليها "
        "الرئيس عبد الفتاح السيسي لبحث التصعيد في قطاع غزة.\nوتناولت القمة الأوضاع الإنسانية.\n"
        "وشارك في القمة العاهل الأردني الملك عبد الله الثاني، والرئيس الفلسطيني محمود عباس، ورئيسة وزراء "
        "إيطاليا جورجيا ميلوني، ورئيس الحكومة الإسبانية بيدرو سانشيز."
    )
    event = one(pipeline, body, published="2023-10-21")
    assert event.summit.ordinal is None  # "عبد الله الثاني": a king's number, not the summit's
    assert event.participant_countries == ["EG", "ES", "IT", "JO", "PS"]  # Giorgia Meloni is not Georgia


def test_states_named_as_topics_in_a_later_sentence_get_no_taking_part_reading(pipeline: Pipeline) -> None:
    # (a summit of three: one of two parties reads as no summit at all)
    body = (
        "السيسي والعاهل السعودي يعقدان جلسة مباحثات بقصر الاتحادية\nعقد الرئيس عبد الفتاح السيسي اليوم "
        "جلسة مباحثات مع خادم الحرمين الشريفين الملك سلمان بن عبد العزيز.\nوقال المتحدث الرسمي إن القمة "
        "المصرية السعودية الأردنية تناولت تطورات الأوضاع في المنطقة، لا سيما في سوريا واليمن وليبيا."
    )
    doc = read(pipeline, body, published="2016-04-08")
    topics = {"SY", "YE", "LY"}
    assert topics <= {code for code, _ in states(doc)}  # named: candidates the state model weighs
    readings = state_readings(doc)
    assert {code: readings[code] for code in topics if readings.get(code)} == {}


def test_a_level_in_a_clause_about_the_formats_past_does_not_lower_the_summit(pipeline: Pipeline) -> None:
    body = (
        "UNITED NATIONS, Sept 19 (Reuters) - U.S. President Joe Biden held a summit with the leaders of "
        "five Central Asian nations in New York on Tuesday. Biden met Kazakhstan's President Kassym-Jomart "
        "Tokayev and Uzbekistan's Shavkat Mirziyoyev in the so-called C5+1 format, which was launched at "
        "the level of foreign ministers in 2015."
    )
    doc = read(pipeline, body, "en", published="2023-09-19")
    assert doc.main is not None
    assert doc.fmt is not None
    assert doc.fmt.series == "C5+1 Summit"
    features = article_features(doc, pipeline.resources)
    assert features["below_summit_lead"] == 0.0  # "the level of foreign ministers" is the format's past


def test_an_opinion_column_is_read_as_opinion(pipeline: Pipeline) -> None:
    body = (
        "القمة الخليجية المقبلة.. ما الذي ينتظره المواطن؟\nآراء ومقالات\nبقلم: د. فهد المطيري\n\n"
        "مع اقتراب موعد انعقاد القمة الخليجية في الرياض، تتجدد الأسئلة التي اعتاد المواطن الخليجي طرحها "
        "قبل كل قمة لمجلس التعاون لدول الخليج العربية بمشاركة قادة دول المجلس."
    )
    doc = read(pipeline, body, published="2025-11-30")
    assert article_features(doc, pipeline.resources)["opinion"] == 1.0


def test_a_fraternal_consultative_meeting_of_leaders_is_a_summit(pipeline: Pipeline) -> None:
    body = (
        "شارك صاحب السمو الشيخ محمد بن زايد آل نهيان رئيس الدولة في لقاء أخوي تشاوري استضافه الرئيس "
        "عبدالفتاح السيسي، بمشاركة جلالة الملك حمد بن عيسى آل خليفة ملك مملكة البحرين، وجلالة الملك "
        "عبدالله الثاني ابن الحسين ملك المملكة الأردنية الهاشمية."
    )
    event = one(pipeline, body, published="2022-08-23")
    assert {"AE", "EG", "BH", "JO"} <= set(event.participant_countries)


def test_a_summit_word_takes_the_only_format_its_lead_names(pipeline: Pipeline) -> None:
    body = (
        "ASTANA (Reuters) - India and Pakistan became full members of the Shanghai Cooperation Organisation "
        "on Friday, the first expansion of the bloc since it was set up in 2001.\nLeaders approved the "
        "accession on the second day of a summit in the Kazakh capital chaired by Kazakh President Nursultan "
        "Nazarbayev, with Chinese President Xi Jinping and Russian President Vladimir Putin."
    )
    assert one(pipeline, body, "en", published="2017-06-09").summit.organization == "SCO"


def test_english_c5_meeting_is_detected(pipeline: Pipeline) -> None:
    body = (
        "ASTANA, August 9 (Kazinform) - The sixth Consultative Meeting of the Heads of State of Central Asia "
        "opened in Astana on Friday, bringing together the presidents of Kazakhstan, Kyrgyzstan, Tajikistan, "
        "Turkmenistan and Uzbekistan."
    )
    event = one(pipeline, body, lang="en")
    assert event.summit.series == "Consultative Meeting of the Heads of State of Central Asia"


def test_russian_sco_summit_is_detected(pipeline: Pipeline) -> None:
    body = (
        "АСТАНА, 4 июля. /ТАСС/. Саммит ШОС открылся в четверг в Астане. В заседании Совета глав "
        "государств – членов ШОС принимают участие лидеры государств организации."
    )
    event = one(pipeline, body, lang="ru", published="2024-07-04")
    assert event.summit.organization == "SCO"


# --------------------------------------------------------------------------- hard negatives


def test_format_named_in_the_lead_sentence_after_a_headline_summit_word(pipeline: Pipeline) -> None:
    body = (
        "Putin attends Minsk security summit boycotted by Armenia\n\nMINSK, Nov 23 (Reuters) - Russian "
        "President Vladimir Putin joined leaders of the Moscow-led Collective Security Treaty Organization "
        "(CSTO) in Minsk on Thursday for a summit boycotted by Armenia, whose prime minister has accused the "
        "bloc of failing to protect his country."
    )
    assert one(pipeline, body, "en", published="2023-11-23").summit.series == "CSTO Summit"


def test_a_bilateral_visit_recalling_a_summit_sideline_is_not_a_summit(pipeline: Pipeline) -> None:
    body = (
        "ABU DHABI, Feb 13 (Reuters) - India and the United Arab Emirates signed a bilateral investment "
        "treaty on Tuesday, as Prime Minister Narendra Modi held talks with UAE President Sheikh Mohamed. "
        "The corridor was announced on the sidelines of the Group of 20 summit in New Delhi last September, "
        "but its progress has been clouded by the war in Gaza."
    )
    none(pipeline, body, "en", published="2024-02-13")


def test_a_lower_case_name_particle_is_not_an_acronym(pipeline: Pipeline) -> None:
    body = (
        "XXIX саммит Лиги арабских государств завершился в воскресенье в Дахране.\nВ саммите приняли участие "
        "президент Египта Абдель Фаттах ас-Сиси и король Иордании Абдалла II."
    )
    event = one(pipeline, body, "ru", published="2018-04-15")
    assert {"EG", "JO"} <= set(event.participant_countries)


def test_a_market_report_awaiting_a_summit_reads_its_summit_word_as_referenced(pipeline: Pipeline) -> None:
    body = (
        "الأسهم الخليجية ترتفع ترقباً للقمة العربية الصينية في الرياض\nارتفعت معظم أسواق الأسهم الخليجية "
        "في ختام تعاملات اليوم الخميس، مدعومة بتفاؤل المستثمرين إزاء زيارة الرئيس الصيني إلى الرياض."
    )
    doc = read(pipeline, body, published="2022-12-08")
    assert main_words(doc) == "للقمة"
    assert article_features(doc, pipeline.resources)["main_referenced"] == 1.0


def test_a_business_summit_is_not_a_summit(pipeline: Pipeline) -> None:
    body = (
        "KUALA LUMPUR, Oct 25 (Bernama) -- The ASEAN Business and Investment Summit (ABIS) 2025 opened "
        "here today with business leaders urging governments to accelerate supply-chain integration."
    )
    none(pipeline, body, "en", published="2022-12-08")


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        (
            "ru",
            "Лавров открыл заседание СМИД ШОС в Москве\n10 сентября 2020, 11:42\nМОСКВА, 10 сентября. "
            "/ТАСС/. Министр иностранных дел РФ Сергей Лавров в четверг открыл в Москве заседание "
            "Совета министров иностранных дел государств - членов Шанхайской организации сотрудничества "
            '(СМИД ШОС).\n"Рад приветствовать вас в Москве. Это первая очная встреча министров в рамках '
            'российского председательства в ШОС после длительного перерыва, вызванного пандемией", '
            "- сказал Лавров, открывая заседание.\nВ заседании принимают участие министр иностранных "
            "дел КНР Ван И и министр иностранных дел Индии Субраманьям Джайшанкар, а также главы "
            "внешнеполитических "
            "ведомств других государств - членов организации и генеральный секретарь ШОС Владимир "
            "Норов.\nМинистры обсудят подготовку к заседанию Совета глав государств ШОС, которое пройдет "
            "под председательством России, и согласуют проекты документов, которые будут вынесены "
            "на утверждение лидеров.\nНа полях встречи Лавров провел переговоры с Ван И, а также с "
            "Джайшанкаром.",
        ),
        (
            "en",
            "HANGZHOU, Sept. 3 (Xinhua) -- Chinese President Xi Jinping on Saturday delivered a keynote "
            "speech at the opening ceremony of the Business 20 (B20) summit in Hangzhou, a day ahead "
            "of the Group of 20 (G20) leaders' summit in the eastern Chinese city.\nAddressing about "
            "1,000 business leaders from G20 members and other countries, Xi said China's economy "
            "would maintain medium-to-high speed growth and that China's door to the outside world "
            '"will never be closed but will only open even wider."\nHe also called on the world\'s major '
            "economies to oppose protectionism, build an open world economy and push for the reform "
            "of global economic governance.\nThe B20, the official G20 dialogue with the global business "
            "community, has drawn up policy recommendations on trade and investment, infrastructure, "
            "financing for growth and small and medium-sized enterprises, which will be submitted "
            "to the G20 leaders for consideration.\nThe B20 summit, chaired by China Council for the "
            "Promotion of International Trade, runs through Sunday.",
        ),
    ],
)
def test_meetings_below_summit_level_are_not_summits(pipeline: Pipeline, lang: str, body: str) -> None:
    none(pipeline, body, lang, published="2020-09-10")


def test_a_session_at_ministerial_level_shows_its_level_to_the_summit_model(pipeline: Pipeline) -> None:
    body = (
        "الجامعة العربية: انطلاق أشغال الدورة العادية لمجلس الجامعة على المستوى الوزاري بالقاهرة\n"
        "القاهرة - انطلقت اليوم بمقر الأمانة العامة لجامعة الدول العربية أشغال الدورة العادية لمجلس "
        "الجامعة على المستوى الوزاري، بمشاركة وزراء الخارجية العرب ورؤساء الوفود، لبحث مستجدات الأوضاع."
    )
    doc = read(pipeline, body, published="2020-09-10")
    row = article_features(doc, pipeline.resources)
    # the level written after both session words, and the foreign ministers, in the lead
    assert (row["below_level_cues"], row["negative_in_lead"]) == (2.0, 1.0)


def test_eco_summit_words_name_the_eco_format_and_report_an_event(pipeline: Pipeline) -> None:
    body = (
        "طشقند/ الأناضول / شارك الرئيس التركي رجب طيب أردوغان، الخميس، في القمة السادسة عشرة لمنظمة التعاون "
        "الاقتصادي (إيكو)، التي انعقدت في العاصمة الأوزبكية طشقند برئاسة الرئيس الأوزبكي شوكت ميرزيوييف."
    )
    doc = read(pipeline, body, published="2023-11-09")
    assert doc.fmt is not None
    assert doc.fmt.series == "ECO Summit"
    assert article_features(doc, pipeline.resources)["reported_as_event"] == 1.0


def test_permanent_representatives_adopting_a_summit_agenda_is_not_a_summit(pipeline: Pipeline) -> None:
    body = (
        "المندوبون الدائمون يعتمدون مشروع جدول أعمال القمة العربية الطارئة\nاختتم اجتماع المندوبين "
        "الدائمين لدى جامعة الدول العربية، اليوم الأحد، أعماله بعد أن اعتمد مشروع جدول أعمال القمة العربية "
        "غير العادية."
    )
    none(pipeline, body, published="2025-03-02")


def test_bilateral_visit_called_summit_meeting_is_not_a_summit(pipeline: Pipeline) -> None:
    none(
        pipeline,
        "طشقند 12 مارس (يونا) - عقد الرئيس الأوزبكي شوكت ميرضيائيف والرئيس الكازاخستاني قاسم جومارت "
        "توكاييف لقاء قمة في قصر كوكسراي اليوم، بحثا خلاله تطوير الشراكة الاستراتيجية بين البلدين "
        "وزيادة حجم التبادل التجاري إلى عشرة مليارات دولار.",
    )


def test_phone_call_between_two_presidents_is_not_a_summit(pipeline: Pipeline) -> None:
    none(
        pipeline,
        "بيشكيك 3 فبراير (كابار) - تلقى الرئيس القرغيزي صدير جاباروف اتصالاً هاتفياً من الرئيس الطاجيكي "
        "إمام علي رحمان، جرى خلاله بحث العلاقات الثنائية وترسيم الحدود والتحضير للاستحقاقات الإقليمية "
        "المقبلة.",
    )


def test_foreign_ministers_preparatory_meeting_is_not_a_summit(pipeline: Pipeline) -> None:
    none(
        pipeline,
        "الكويت 28 نوفمبر (كونا) - عقد اليوم اجتماع وزراء الخارجية التحضيري للقمة الخليجية الـ45، "
        "برئاسة وزير الخارجية الكويتي، لمناقشة مشروع جدول الأعمال والبيان الختامي المرفوع إلى القادة.",
        published="2024-11-28",
    )


def test_national_coordinators_meeting_is_not_a_summit(pipeline: Pipeline) -> None:
    none(
        pipeline,
        "دوشنبه 20 يونيو (خوفار) - عقد المنسقون الوطنيون وكبار المسؤولين في دول آسيا الوسطى اجتماعاً في "
        "دوشنبه اليوم، ناقشوا خلاله مشاريع الوثائق المعدة للاجتماع التشاوري المقبل لرؤساء دول آسيا الوسطى.",
    )


def test_business_forum_on_summit_sidelines_is_not_a_summit(pipeline: Pipeline) -> None:
    none(
        pipeline,
        "أستانا 3 يوليو (قنا) - انطلقت اليوم أعمال منتدى رجال الأعمال على هامش قمة منظمة شنغهاي للتعاون، "
        "بمشاركة أكثر من 500 رجل أعمال ومستثمر، وتم توقيع اتفاقيات تجارية بقيمة ملياري دولار بين الشركات "
        "المشاركة.",
    )


def test_football_derby_called_qimma_is_not_a_summit(pipeline: Pipeline) -> None:
    none(
        pipeline,
        "الرياض 9 أغسطس (واس) - يلتقي الهلال والنصر مساء اليوم في قمة مثيرة ضمن الجولة الأولى من دوري روشن "
        "السعودي للمحترفين، على ملعب المملكة أرينا، وسط حضور جماهيري كبير.",
    )


def test_world_government_summit_is_not_a_summit(pipeline: Pipeline) -> None:
    none(
        pipeline,
        "دبي 12 فبراير (وام) - انطلقت اليوم في دبي أعمال القمة العالمية للحكومات 2024 تحت شعار استشراف "
        "حكومات المستقبل، بمشاركة أكثر من 4000 شخصية من الوزراء والخبراء وقادة المؤسسات الدولية.",
        published="2024-02-12",
    )


def test_summit_mentioned_in_passing_at_the_end_is_not_reported(pipeline: Pipeline) -> None:
    none(
        pipeline,
        "أستانا 9 أغسطس (قنا) - ارتفعت صادرات كازاخستان من القمح خلال النصف الأول من العام الجاري بنسبة "
        "12 بالمئة، وفق بيانات وزارة الزراعة، مع توسع الشحنات نحو أسواق إيران وأفغانستان والصين. "
        "وتتوقع الوزارة محصولاً قياسياً هذا الموسم بفضل الأمطار الوفيرة. "
        "يذكر أن قادة دول المنطقة كانوا قد اجتمعوا في قمة آسيا الوسطى في دوشنبه العام الماضي.",
    )


def test_parliamentary_session_is_not_a_summit(pipeline: Pipeline) -> None:
    none(
        pipeline,
        "باكو 14 مايو (أذرتاج) - افتتحت اليوم الجلسة العامة للجمعية البرلمانية لمنظمة الدول التركية، "
        "بمشاركة رؤساء برلمانات أذربيجان وتركيا وكازاخستان وقرغيزستان، لمناقشة مواءمة التشريعات.",
    )


def test_every_state_of_a_list_sees_the_words_that_introduce_the_list(pipeline: Pipeline) -> None:
    body = (
        "The SCO summit opened in Astana on Wednesday. The organisation includes China, India, Kazakhstan, "
        "Kyrgyzstan, Pakistan, Russia, Tajikistan and Uzbekistan."
    )
    doc = read(pipeline, body, "en", published="2024-07-03")
    rows = state_features(doc)
    for code in ("CN", "KG", "TJ", "UZ"):
        assert rows[code]["l<_includes"] == 1.0, code
        assert rows[code]["in_list_of"] == 8.0


def test_a_leader_row_sees_the_participation_and_absence_cues_of_its_sentence(pipeline: Pipeline) -> None:
    body = (
        "The CIS summit opened in Dushanbe on Friday. Kazakhstan's President Kassym-Jomart Tokayev took part "
        "in the talks. Azerbaijan's President Ilham Aliyev will skip the meeting this year."
    )
    doc = read(pipeline, body, "en", published="2024-10-11")
    rows = {p.country: person_features(doc, p) for p in doc.people if p.leader is not None}
    assert rows["KZ"]["sentence_has_participation"] == 1.0
    assert rows["KZ"]["near_absent"] == 60.0  # no absence cue in Tokayev's sentence
    assert rows["AZ"]["near_absent"] < 3.0
    assert rows["AZ"]["sentence_has_participation"] == 0.0


def test_a_leader_row_sees_the_words_before_his_titles_and_a_year_of_another_meeting(
    pipeline: Pipeline,
) -> None:
    body = (
        "The SCO summit opened in Astana on Wednesday. On its sidelines Xi held talks with the President of "
        "Kyrgyzstan Sadyr Japarov. The first such summit in 2001 was attended by Russian President "
        "Vladimir Putin."
    )
    doc = read(pipeline, body, "en", published="2024-07-03")
    rows = {p.country: person_features(doc, p) for p in doc.people if p.leader is not None}
    assert rows["KG"]["t<_with"] == 1.0  # the word before "the President of Kyrgyzstan", not "Kyrgyzstan"
    assert rows["KG"]["sentence_other_year_all"] == 0.0
    assert rows["RU"]["sentence_other_year_all"] == 1.0  # 2001: not the summit's year


def test_a_state_row_sees_a_membership_word_before_its_list(pipeline: Pipeline) -> None:
    body = (
        "The SCO summit opened in Astana on Wednesday. The organisation, comprising China, Kazakhstan, "
        "Kyrgyzstan and Russia, meets every year."
    )
    doc = read(pipeline, body, "en", published="2024-07-03")
    rows = state_features(doc)
    assert rows["KG"]["near_membership"] < 6.0
    assert rows["KG"]["sentence_has_membership"] == 1.0


def test_a_state_represented_by_a_minister_or_inviting_the_others_is_no_absent_or_invited_state(
    pipeline: Pipeline,
) -> None:
    body = (
        "The CIS summit opened in Dushanbe on Friday. Moldova and Georgia were represented by their foreign "
        "ministers. The leaders came at the invitation of Tajikistan, and Iran was invited as an observer."
    )
    rows = state_features(read(pipeline, body, "en", published="2024-10-11"))
    # "were represented by" says who stands in for the heads: the states before it take part
    assert rows["MD"]["near_absent"] == 60.0
    assert rows["MD"]["near_represented"] < 6.0
    # "at the invitation of" names the host who invites, "was invited" the invited
    assert rows["TJ"]["near_invited"] > rows["IR"]["near_invited"]
    assert rows["IR"]["near_invited"] <= 2.0


def test_every_state_of_a_list_sees_how_far_the_lists_taking_part_word_stands(pipeline: Pipeline) -> None:
    body = (
        "The ASEAN summit opened in Vientiane on Tuesday. Attending were the leaders of Brunei, Cambodia, "
        "Indonesia, Malaysia, the Philippines, Singapore, Thailand and Vietnam."
    )
    doc = read(pipeline, body, "en", published="2024-10-08")
    rows = state_features(doc)
    # the last state of the list stands far from "Attending", the list as a whole beside it
    assert rows["VN"]["near_participation"] > rows["BN"]["near_participation"]
    assert rows["VN"]["list_near_participation"] == rows["BN"]["list_near_participation"]


def test_a_state_named_as_the_subject_of_the_talks_sees_the_topic_word(pipeline: Pipeline) -> None:
    body = (
        "The Arab League summit opened in Bahrain on Thursday. The leaders discussed the situation in Sudan "
        "and the crisis in Libya."
    )
    rows = state_features(read(pipeline, body, "en", published="2024-05-16"))
    assert rows["SD"]["near_topic"] == 1.0  # right after "the situation in"
    assert rows["LY"]["near_topic"] == 1.0
    assert rows["BH"]["near_topic"] == 60.0  # no topic word in its sentence


def test_a_state_row_sees_the_company_it_keeps_in_its_list(pipeline: Pipeline) -> None:
    body = (
        "The SCO summit opened in Astana on Wednesday. Kazakhstan's President Kassym-Jomart Tokayev and "
        "Russia's President Vladimir Putin took part. The talks touched on Iran, Mongolia and Belarus. "
        "Trade was discussed by China, Russia and Kazakhstan."
    )
    rows = state_features(read(pipeline, body, "en", published="2024-07-03"))
    # a list where two of the other states have their leader at the summit, and one where none has
    assert rows["CN"]["list_leader_share"] == 1.0
    assert rows["MN"].get("list_leader_share", 0.0) == 0.0
    assert rows["CN"]["states_read"] >= 2.0
    # the format's members make the whole of the second list
    assert rows["CN"]["list_member_share"] == 1.0


@pytest.mark.parametrize(
    ("lang", "body", "pair"),
    [
        (
            "en",
            "The ASEAN-Japan summit opened in Tokyo on Saturday with the leaders of the bloc.",
            (2.0, 1.0),
        ),
        ("en", "The Russia-Turkey-Iran summit on Syria opened in Tehran on Friday.", (3.0, 3.0)),
        (
            "en",
            "The SCO summit opened in Astana on Tuesday with the leaders of its member states.",
            (0.0, 0.0),
        ),
    ],
)
def test_the_parties_named_as_one_pair_beside_the_summit_word_are_counted(
    pipeline: Pipeline, lang: str, body: str, pair: tuple[float, float]
) -> None:
    doc = read(pipeline, body, lang, published="2024-03-07")
    row = article_features(doc, pipeline.resources)
    # two states, or a state and the EU, meet as two parties; a group whose heads attend, or three states,
    # do not
    assert (row["main_pair_parties"], row["main_pair_single"]) == pair


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        ("ru", "В Брюсселе в четверг прошел саммит Россия – Евросоюз, стороны обсудили визовый режим."),
        ("ru", "Первый за три года российско-американский саммит прошел в среду в Вене."),
        ("en", "The India-China informal summit will open in Chennai next week."),
        (
            "ru",
            "Президенты завершили визиты в Вену, где прошел первый за три года российско-американский "
            "саммит. "
            "Переговоры в узком и расширенном составе длились в общей сложности около пяти часов. "
            "Позже лидеры дали высокую оценку итогам венского саммита.",
        ),
    ],
)
def test_a_lead_whose_summit_words_name_two_parties_reports_no_summit(
    pipeline: Pipeline, lang: str, body: str
) -> None:
    # two states, or a state and the EU, meet as two parties (a two-party meeting is no summit by the
    # labelling rules), whatever a later summit word with no parties says
    outcome = run(pipeline, body, lang, published="2024-03-07")
    assert outcome.events == ()
    assert outcome.reason == "the summit words name a meeting of two parties"


def test_a_text_opening_on_the_sidelines_of_a_summit_reports_no_summit(pipeline: Pipeline) -> None:
    body = (
        "На полях саммита ШОС в Астане президент России провел переговоры с премьер-министром Индии. "
        "Лидеры обсудили торговлю и энергетику, сообщил представитель Кремля."
    )
    outcome = run(pipeline, body, "ru", published="2024-07-04")
    assert outcome.events == ()
    assert outcome.reason == "the text opens on the sidelines of a summit"


def test_a_two_party_word_in_the_lead_is_seen_with_the_heads_it_names(pipeline: Pipeline) -> None:
    body = (
        "Putin and Erdogan hold bilateral talks on the sidelines of the SCO summit\n"
        "Russian President Vladimir Putin and Turkish President Recep Tayyip Erdogan held bilateral talks on "
        "Thursday on the sidelines of the SCO summit in Astana, discussing trade and energy."
    )
    doc = read(pipeline, body, "en", published="2024-07-04")
    row = article_features(doc, pipeline.resources)
    assert row["two_party_in_lead"] >= 1.0
    assert (row["lead_leader_states"], row["two_party_two_heads"]) == (2.0, 1.0)


@pytest.mark.parametrize(
    ("lang", "body", "series"),
    [
        (
            "ru",
            "В Санкт-Петербурге открылся саммит «Большой восьмерки», лидеры обсудят энергетику.",
            "G8 Summit",
        ),
        (
            "en",
            "The Quad summit opened in Tokyo on Tuesday with the leaders of its four members.",
            "Quad Leaders' Summit",
        ),
        ("en", "Leaders gathered in Dakar on Saturday for the Francophonie Summit.", "Francophonie Summit"),
        ("en", "The SAARC summit opened in Kathmandu on Wednesday.", "SAARC Summit"),
        (
            "ru",
            "В Астане открылся саммит ОБСЕ, в нем участвуют главы государств и правительств.",
            "OSCE Summit",
        ),
        (
            "ar",
            "انطلقت اليوم في نواكشوط أعمال قمة مجموعة دول الساحل الخمس بمشاركة رؤساء الدول الأعضاء.",
            "G5 Sahel Summit",
        ),
        (
            "ar",
            "تنطلق غدا في مالابو قمة الشراكة التركية الأفريقية بمشاركة قادة القارة.",
            "Turkey–Africa Partnership Summit",
        ),
    ],
)
def test_formats_of_the_second_round_are_named(pipeline: Pipeline, lang: str, body: str, series: str) -> None:
    doc = read(pipeline, body, lang, published="2024-03-07")
    assert doc.fmt is not None
    assert doc.fmt.series == series


def test_a_summit_word_named_by_two_parties_is_marked_as_another_kind_of_meeting(pipeline: Pipeline) -> None:
    on = "2024-03-07"
    body = "The SCO summit opened in Astana on Thursday, a week after the Russia-EU summit in Brussels."
    two = read(pipeline, body, "en", published=on)
    three = read(pipeline, "The Russia-Turkey-Iran summit opened in Tehran on Friday.", "en", published=on)
    assert three.main is not None
    after = body.index("Russia")
    assert main_words(two) == "SCO summit"
    assert [a.negated for a in two.anchors] == [a.cue.start > after for a in two.anchors]
    assert three.main.negated is False


def test_a_summit_phrase_naming_the_heads_counts_only_in_the_plural(pipeline: Pipeline) -> None:
    # the matcher folds Russian case endings: "с президентом" (with one president) is no summit word
    one_head = "Президент Казахстана встретился с президентом России в Москве и обсудил торговлю."
    many = "Президент Китая провел в Сиане встречу с президентами стран Центральной Азии."
    assert pipeline.read(article(one_head, "ru", "2024-03-07")) is None
    doc = read(pipeline, many, "ru", published="2024-03-07")
    assert main_words(doc).lower() == "с президентами"


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        (
            "ru",
            "Перед началом пленарного заседания саммита ШОС в Астане президенты сделали общее фото.",
        ),
        ("en", "Before the start of the SCO summit in Astana on Thursday the presidents posed for a photo."),
        ("ar", "التقط القادة صورة جماعية قبيل انطلاق القمة العربية في المنامة اليوم."),
    ],
)
def test_before_the_opening_of_the_summit_refers_to_no_other_meeting(
    pipeline: Pipeline, lang: str, body: str
) -> None:
    doc = read(pipeline, body, lang, published="2024-07-04")
    assert doc.main is not None
    assert not doc.main.referenced


@pytest.mark.parametrize(
    "body",
    [
        "В Нью-Дели открылся саммит глав внешнеполитических ведомств стран G20.",
        "В Минске прошло заседание Высшего государственного совета Союзного государства.",
        "В Москве состоялось заседание Совета Евразийской экономической комиссии.",
    ],
)
def test_meetings_of_ministers_and_of_the_union_state_are_set_apart_in_russian(
    pipeline: Pipeline, body: str
) -> None:
    # the foreign ministers' "summit", the Union State's council (two states), the Commission's council
    doc = read(pipeline, body, "ru", published="2024-03-07")
    row = article_features(doc, pipeline.resources)
    assert row["negative_in_lead"] >= 1.0
    assert all(a.referenced or a.negated for a in doc.anchors)


def test_the_league_of_arab_countries_is_the_arab_league_in_russian(pipeline: Pipeline) -> None:
    body = (
        "В столице Иордании завершилась встреча на высшем уровне руководителей государств, "
        "входящих в Лигу арабских стран."
    )
    doc = read(pipeline, body, "ru", published="2024-03-07")
    assert doc.fmt is not None
    assert doc.fmt.organization == "LAS"


def test_a_state_row_sees_what_the_mentions_of_its_leaders_show(pipeline: Pipeline) -> None:
    body = (
        "The CIS summit opened in Dushanbe, Tajikistan, on Friday. Kazakhstan's President Kassym-Jomart "
        "Tokayev took part in the talks. Azerbaijan's President Ilham Aliyev will skip the meeting this year."
    )
    rows = state_features(read(pipeline, body, "en", published="2024-10-11"))
    assert rows["KZ"]["leader_max_absent"] == 0.0
    assert rows["AZ"]["leader_max_absent"] == 1.0
    assert rows["AZ"]["leader_min_in_office"] == 1.0
    assert "leader_max_absent" not in rows["TJ"]  # no leader of the venue's state is named


def test_a_list_reads_its_role_from_its_head_its_tail_and_the_line_before_its_colon(
    pipeline: Pipeline,
) -> None:
    body = (
        "The CIS summit opened in Dushanbe on Friday.\n"
        "Azerbaijan, Turkmenistan and Uzbekistan were represented by their vice-premiers. "
        "Mongolia and Iran took part as observers. "
        "The first summit of the leaders of Kazakhstan and Kyrgyzstan marked the anniversary.\n"
        "The delegations that took part:\n"
        "Russia, Belarus and Armenia."
    )
    rows = state_features(read(pipeline, body, "en", published="2024-10-11"))
    for code in ("AZ", "TM", "UZ"):  # the words after the list say what it is
        assert rows[code]["list_tail_represented"] == 1.0, code
        assert "list_head_represented" not in rows[code]
    for code in ("MN", "IR"):
        assert rows[code]["list_tail_take_part"] == 1.0, code
        assert rows[code]["list_tail_observers"] == 1.0, code
    # every role cue of the head is read, not only the nearest ("leaders of"): the first summit is another
    assert rows["KG"]["list_head_take_part"] == 1.0
    assert rows["KG"]["list_head_other_meeting"] == 1.0
    # a list on its own line after a line ending in a colon takes that line's head
    for code in ("RU", "BY", "AM"):
        assert rows[code]["list_after_colon"] == 1.0, code
        assert rows[code]["list_head_take_part"] == 1.0, code
    assert "list_after_colon" not in rows["KZ"]
