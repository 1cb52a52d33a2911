"""Script conversion to Latin: Cyrillic by table, Han through pypinyin, Hangul by syllable,
Japanese through pykakasi, names in Arabic script by table and letter rules, Hebrew and Greek
by their own tables, the rest via anyascii.

Cyrillic uses one fixed scheme here; the differences between romanisation schemes
(``Shch``/``Sch``/``Shh``, ``Kh``/``H``, ``Yu``/``Iu``/``Ju``, ...) are removed afterwards by
:func:`skeleton`, which folds every Latin token to the same key whatever scheme produced it.
Han is read as Mandarin pinyin (pypinyin, no tones); common company words and Chinese legal
forms are translated first so ``华为技术有限公司`` lines up with ``Huawei Technologies Co., Ltd.``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache, partial

from compliance.screening.names import given_name_spellings, script_names

CYRILLIC: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ђ": "dj", "ћ": "c",
    "љ": "lj", "њ": "nj", "џ": "dz", "ј": "j", "ѓ": "g", "ќ": "k", "ѕ": "dz",
}  # fmt: skip
_CYRILLIC_TABLE = str.maketrans(CYRILLIC)

# Chinese words translated (not romanised) because lists publish them in English.
# Longest first when matching. Values are plain words the normaliser classifies further.
HAN_TERMS: dict[str, str] = {
    "股份有限公司": "joint stock co ltd",
    "有限责任公司": "limited liability company",
    "有限公司": "co ltd",
    "集团": "group",
    "公司": "company",
    "分公司": "branch",
    "科技": "technology",
    "技术": "technology",
    "电子": "electronics",
    "通信": "communications",
    "通讯": "communications",
    "国际": "international",
    "贸易": "trading",
    "工业": "industry",
    "研究所": "research institute",
    "研究院": "research institute",
    "大学": "university",
    "中国": "china",
    "香港": "hong kong",
    "进出口": "import export",
    "控股": "holding",
    "设备": "equipment",
    "工程": "engineering",
    "发展": "development",
    "投资": "investment",
    "航空": "aviation",
    "航天": "aerospace",
    "航空航天": "aeronautics astronautics",
    "创新": "innovation",
    "数字": "digital",
    "信息": "information",
    "集成电路": "integrated circuit",
    "半导体": "semiconductor",
    "微电子": "microelectronics",
    "制造": "manufacturing",
    "软件": "software",
    "网络": "network",
    "系统": "systems",
    "智能": "intelligent",
    "光电": "optoelectronics",
    "材料": "materials",
    "机械": "machinery",
    "船舶": "shipbuilding",
    "能源": "energy",
    "化工": "chemical",
    "物理": "physics",
    "国防": "national defense",
    "省": "province",
    "市": "city",
    # Places: written as one word in romanised list names ("Shenzhen", not "Shen Zhen").
    "北京": "beijing", "上海": "shanghai", "深圳": "shenzhen", "广州": "guangzhou",
    "天津": "tianjin", "重庆": "chongqing", "成都": "chengdu", "武汉": "wuhan", "西安": "xian",
    "杭州": "hangzhou", "南京": "nanjing", "苏州": "suzhou", "哈尔滨": "harbin",
    "沈阳": "shenyang", "大连": "dalian", "青岛": "qingdao", "长沙": "changsha",
    "郑州": "zhengzhou", "合肥": "hefei", "广东": "guangdong", "江苏": "jiangsu",
    "浙江": "zhejiang", "四川": "sichuan", "湖北": "hubei", "湖南": "hunan",
    "山东": "shandong", "河北": "hebei", "河南": "henan", "福建": "fujian", "陕西": "shaanxi",
    "东莞": "dongguan", "厦门": "xiamen", "珠海": "zhuhai", "宁波": "ningbo", "无锡": "wuxi",
    # Company names the lists publish only in their Latin (not pinyin) form: Entity List and
    # CMIC entries (15 CFR 744 Supp. No. 4; OFAC NS-CMIC list), as the companies write them.
    "海康威视": "hikvision", "中兴": "zte", "大疆": "dji", "中芯国际": "smic",
    "海思": "hisilicon", "浪潮": "inspur", "曙光": "sugon", "商汤": "sensetime",
    "旷视": "megvii", "科大讯飞": "iflytek", "依图": "yitu", "云从": "cloudwalk",
    "飞腾": "phytium", "长江存储": "yangtze memory", "美亚柏科": "meiya pico",
    "中国移动": "china mobile", "中国电信": "china telecom", "中国联通": "china unicom",
}  # fmt: skip
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAN_TERM = re.compile("|".join(sorted(map(re.escape, HAN_TERMS), key=len, reverse=True)))


# English company words and brands as Russian writes them by ear (``ХУАВЕЙ ТЕХНОЛОДЖИС``,
# ``Хиквижн``): read as the English word, because lists publish the English one. Whole
# lower-case words only; compiled for this project from Russian company registrations of
# foreign firms (the ``-джис``/``-шн``/``-жн`` endings of transcribed English).
CYRILLIC_TERMS: dict[str, str] = {
    "технолоджис": "technologies", "текнолоджис": "technologies", "технолоджиз": "technologies",
    "технолоджи": "technology", "текнолоджи": "technology", "корпорейшн": "corporation",
    "корпорэйшн": "corporation", "интернешнл": "international", "интернэшнл": "international",
    "интернейшнл": "international", "лимитед": "limited", "компани": "company",
    "инкорпорейтед": "incorporated", "инк": "inc", "холдингс": "holdings",
    "электроникс": "electronics", "электроник": "electronic", "системс": "systems",
    "индастриз": "industries", "индастри": "industry", "энерджи": "energy",
    "солюшнс": "solutions", "солюшенс": "solutions", "сервисез": "services",
    "сервисиз": "services", "трейдинг": "trading", "девелопмент": "development",
    "инвестментс": "investments", "ресорсиз": "resources", "секьюрити": "security",
    "нетворкс": "networks", "коммьюникейшнс": "communications",
    "коммуникейшнс": "communications", "микроэлектроникс": "microelectronics",
    "семикондактор": "semiconductor", "аэроспейс": "aerospace", "авиэйшн": "aviation",
    "шиппинг": "shipping", "маритайм": "maritime", "груп": "group", "гроуп": "group",
    "хуавей": "huawei", "хуавэй": "huawei", "хиквижн": "hikvision", "хиквижен": "hikvision",
    "дахуа": "dahua", "зте": "zte", "сяоми": "xiaomi", "леново": "lenovo",
}  # fmt: skip
_CYRILLIC_TERM = re.compile(
    r"(?<![\w])("
    + "|".join(sorted(map(re.escape, CYRILLIC_TERMS), key=len, reverse=True))
    + r")(?![\w])"
)


def cyrillic_to_latin(text: str) -> str:
    """Lower-case Cyrillic to Latin with one fixed scheme (others converge via skeleton);
    English words written by ear in Cyrillic are read as the English word."""
    text = _CYRILLIC_TERM.sub(lambda m: CYRILLIC_TERMS[m.group(1)], text)
    return text.translate(_CYRILLIC_TABLE)


# English brand names written in Cyrillic by ear spell the English long i (``fly``, ``i``)
# ``ай`` (``Айфлайтек`` iFlytek, ``Майкрософт`` Microsoft, ``Лайт`` Light): one more
# reading with ``ай`` as ``i`` before a consonant or at the start of a word, screened beside
# the letter-by-letter one (``ayflaytek``), never instead of it.
_LONG_I = re.compile(r"(?:(?<![\w])ай|ай(?=[бвгджзклмнпрстфхцчшщ]))")


def english_long_i(text: str) -> str | None:
    """``text`` (Cyrillic) in Latin with ``ай`` read as the English long i (comment above);
    ``None`` when it has no such ``ай``."""
    lowered = text.lower()
    if "ай" not in lowered:
        return None
    changed = _LONG_I.sub("i", lowered)
    return None if changed == lowered else cyrillic_to_latin(changed)


def _pinyin_words(chars: str) -> str:
    """Syllables grouped the way romanised names are written: two-character words joined
    (``海格`` -> ``haige``); three characters as surname + given name (``Xi Jinping``)."""
    # imported on first use: pypinyin's dictionaries cost a noticeable part of a one-name
    # CLI call, and most names contain no Han characters
    from pypinyin import Style, lazy_pinyin

    syl = lazy_pinyin(chars, style=Style.NORMAL)
    if len(syl) == 3:
        return f"{syl[0]} {syl[1]}{syl[2]}"
    return " ".join("".join(syl[i : i + 2]) for i in range(0, len(syl), 2))


def _han_run(run: str) -> str:
    parts: list[str] = []
    pos = 0
    for m in _HAN_TERM.finditer(run):
        if m.start() > pos:
            parts.append(_pinyin_words(run[pos : m.start()]))
        parts.append(HAN_TERMS[m.group(0)])
        pos = m.end()
    if pos < len(run):
        parts.append(_pinyin_words(run[pos:]))
    return " " + " ".join(parts) + " "


# Chinese words with more than one English rendering in the names institutions give
# themselves (``哈尔滨工业大学`` Harbin Institute of Technology, ``西北工业大学`` Northwestern
# Polytechnical University, ``北京理工大学`` Beijing Institute of Technology): each rendering
# is an extra reading (``readings``), the first one of each word together, then the second,
# and so on; the pinyin reading is always screened as well.
HAN_ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "工业大学": ("institute of technology", "polytechnical university",
                 "university of technology"),
    "理工大学": ("institute of technology", "university of science and technology"),
    "科技大学": ("university of science and technology", "university of technology"),
    "师范大学": ("normal university",), "交通大学": ("jiaotong university",),
    "西北": ("northwestern",), "东北": ("northeastern",), "西南": ("southwest",),
    "东南": ("southeast",), "华南": ("south china",), "华东": ("east china",),
    "华北": ("north china",), "中科院": ("chinese academy of sciences",),
    "中国科学院": ("chinese academy of sciences",), "研究所": ("institute",),
}  # fmt: skip
_HAN_ALTERNATIVE = re.compile(
    "|".join(sorted(map(re.escape, HAN_ALTERNATIVES), key=len, reverse=True))
)


def _rendered(chosen: dict[str, str], m: re.Match[str]) -> str:
    return f" {chosen[m.group(0)]} "


def han_alternatives(text: str) -> list[str]:
    """Readings of ``text`` with its words of ``HAN_ALTERNATIVES`` rendered in English."""
    found = {m.group(0) for m in _HAN_ALTERNATIVE.finditer(text)}
    if not found:
        return []
    most = max(len(HAN_ALTERNATIVES[w]) for w in found)
    out: list[str] = []
    for k in range(most):
        chosen = {w: HAN_ALTERNATIVES[w][min(k, len(HAN_ALTERNATIVES[w]) - 1)] for w in found}
        out.append(_HAN_ALTERNATIVE.sub(partial(_rendered, chosen), text))
    return out


def han_to_latin(text: str) -> str:
    """Han runs to pinyin words; company words between them translated to English."""
    return _HAN_RUN.sub(lambda m: _han_run(m.group(0)), text)


def has_han(text: str) -> bool:
    return _HAN_RUN.search(text) is not None


# -- Korean -------------------------------------------------------------------------------
# Hangul syllables are read one by one (U+AC00 + (initial * 21 + vowel) * 28 + final), so a
# name comes out syllable-separated as lists write it (``김정은`` -> ``kim jong un``), not glued
# (anyascii's ``GimJeongEun``). The default reading follows the lists: most Korean persons on
# them are North Korean, written in the DPRK's own McCune-Reischauer-like system (k/t/p/j, ``o``
# for both o vowels, ``u`` for both u vowels, ``r`` for initial ㄹ); the Revised Romanization
# of 2000 (South Korea) is the alternative reading (``readings``).
_KO_INITIAL = ("k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch",
               "kh", "th", "ph", "h")  # fmt: skip
_KO_INITIAL_RR = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj",
                  "ch", "k", "t", "p", "h")  # fmt: skip
_KO_VOWEL = ("a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u",
             "wo", "we", "wi", "yu", "u", "ui", "i")  # fmt: skip
_KO_VOWEL_RR = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo",
                "u", "wo", "we", "wi", "yu", "eu", "ui", "i")  # fmt: skip
_KO_FINAL = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l",
             "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")  # fmt: skip
# Surnames as lists and passports write them, not as either system would: (DPRK/list
# spelling, South Korean spelling). National Institute of Korean Language surname
# romanisation survey usage; DPRK spellings as on the OFAC SDN list (RI, PAK, CHOE, JONG).
KOREAN_SURNAMES: dict[str, tuple[str, str]] = {
    "김": ("kim", "kim"), "이": ("ri", "lee"), "리": ("ri", "lee"), "박": ("pak", "park"),
    "최": ("choe", "choi"), "정": ("jong", "jung"), "강": ("kang", "kang"), "조": ("jo", "cho"),
    "윤": ("yun", "yoon"), "장": ("jang", "jang"), "임": ("rim", "lim"), "림": ("rim", "lim"),
    "한": ("han", "han"), "오": ("o", "oh"), "서": ("so", "seo"), "신": ("sin", "shin"),
    "권": ("kwon", "kwon"), "황": ("hwang", "hwang"), "안": ("an", "ahn"),
    "송": ("song", "song"), "류": ("ryu", "ryu"), "유": ("yu", "yoo"), "전": ("jon", "jeon"),
    "홍": ("hong", "hong"), "고": ("ko", "ko"), "문": ("mun", "moon"), "양": ("yang", "yang"),
    "손": ("son", "son"), "배": ("pae", "bae"), "백": ("paek", "baek"), "허": ("ho", "heo"),
    "남": ("nam", "nam"), "노": ("ro", "roh"), "로": ("ro", "roh"), "하": ("ha", "ha"),
    "곽": ("kwak", "kwak"), "성": ("song", "sung"), "차": ("cha", "cha"), "주": ("ju", "joo"),
    "우": ("u", "woo"), "구": ("ku", "koo"), "민": ("min", "min"), "진": ("jin", "jin"),
    "지": ("ji", "ji"), "채": ("chae", "chae"), "원": ("won", "won"), "천": ("chon", "cheon"),
    "방": ("pang", "bang"), "공": ("kong", "kong"), "현": ("hyon", "hyun"),
    "변": ("pyon", "byun"), "염": ("yom", "yeom"), "여": ("yo", "yeo"), "도": ("to", "do"),
    "석": ("sok", "seok"), "명": ("myong", "myung"), "태": ("thae", "tae"),
}  # fmt: skip
_HANGUL = re.compile(r"[\uac00-\ud7a3]+")


def _syllables(word: str, rr: bool) -> list[str]:
    initials = _KO_INITIAL_RR if rr else _KO_INITIAL
    vowels = _KO_VOWEL_RR if rr else _KO_VOWEL
    out: list[str] = []
    for ch in word:
        code = ord(ch) - 0xAC00
        out.append(initials[code // 588] + vowels[(code % 588) // 28] + _KO_FINAL[code % 28])
    return out


# Korean company and government words, translated because the lists publish the English
# (``조선광업개발무역회사`` / KOREA MINING DEVELOPMENT TRADING CORPORATION): the DPRK's own
# English renderings of its organisations as the SDN and UN lists carry them (``조선`` is
# "Korea", ``회사`` "Corporation", ``총국`` "General Bureau"). Longest first when matching.
KOREAN_TERMS: dict[str, str] = {
    "조선": "korea", "총회사": "general corporation", "회사": "corporation",
    "무역": "trading", "개발": "development", "광업": "mining", "은행": "bank",
    "항공": "air", "총국": "general bureau", "정찰": "reconnaissance", "그룹": "group",
    "기술": "technology", "공업": "industry", "위원회": "committee", "대학": "university",
    "보험": "insurance", "연구소": "research institute", "중앙": "central", "국가": "state",
    "해운": "shipping",
}  # fmt: skip
_KOREAN_TERM = re.compile("|".join(sorted(map(re.escape, KOREAN_TERMS), key=len, reverse=True)))
_VOICED = {"k": "g", "t": "d", "p": "b", "ch": "j"}  # lenis initials after a voiced sound


def _glued(parts: list[str]) -> str:
    """Syllables of one word written as one, with the medial voicing McCune-Reischauer
    writes inside a word (``련봉`` Ryonbong, ``단군`` Tangun): a lenis ``k t p ch`` after a
    vowel or ``n l m ng`` is ``g d b j``."""
    out = parts[0] if parts else ""
    for syl in parts[1:]:
        voiced = out[-1:] in ("a", "e", "i", "o", "u", "n", "l", "m", "g")
        for lenis, voiced_form in _VOICED.items():
            if (
                voiced
                and syl.startswith(lenis)
                and not syl.startswith(("kk", "tt", "pp", "kh", "th", "ph", "chh"))
            ):
                syl = voiced_form + syl[len(lenis) :]
                break
        out += syl
    return out


def _korean_words(run: str, rr: bool) -> str | None:
    """A Hangul word holding a company or government term (``KOREAN_TERMS``): the terms in
    English, the other syllables glued into words; ``None`` when it holds none."""
    if _KOREAN_TERM.search(run) is None:
        return None
    words: list[str] = []
    pos = 0
    for m in _KOREAN_TERM.finditer(run):
        if m.start() > pos:
            words.append(_glued(_syllables(run[pos : m.start()], rr)))
        words.append(KOREAN_TERMS[m.group(0)])
        pos = m.end()
    if pos < len(run):
        words.append(_glued(_syllables(run[pos:], rr)))
    return " " + " ".join(words) + " "


def hangul_to_latin(text: str, *, rr: bool = False) -> str:
    """Hangul to Latin, syllable by syllable; the first syllable of a two- to four-syllable
    first word, or a one-syllable first word, is read as a surname. A word holding a company
    or government term is translated around it (``KOREAN_TERMS``)."""
    first = True
    company = _KOREAN_TERM.search(text) is not None

    def word(m: re.Match[str]) -> str:
        nonlocal first
        run = m.group(0)
        translated = _korean_words(run, rr)
        if translated is not None:
            first = False
            return translated
        parts = _syllables(run, rr)
        if first and len(run) <= 4 and run[0] in KOREAN_SURNAMES and not company:
            parts[0] = KOREAN_SURNAMES[run[0]][1 if rr else 0]
        if len(run) > 4 or company:  # not a person's name: a company word, written as one
            first = False
            return " " + _glued(parts) + " "
        first = False
        return " " + " ".join(parts) + " "

    return _HANGUL.sub(word, text)


# Names in Hanja (``金正恩``) are read as Korean when the party is Korean (``readings``): each
# character by its Korean reading (``data/hanja_readings.yaml``, from the Unicode Unihan
# database's kHangul field), then as Hangul above; without a Korean party, Han text is
# Chinese (pinyin).
_HANJA_FILE = "data/hanja_readings.yaml"
KOREAN_COUNTRIES = frozenset({"KP", "KR"})


@lru_cache(maxsize=1)
def _hanja_table() -> dict[int, str]:
    from importlib.resources import files

    from compliance._yaml import load_table
    from compliance.errors import ConfigurationError

    data = load_table(files("compliance.screening").joinpath(_HANJA_FILE).read_text("utf-8"))
    groups = data.get("readings") if isinstance(data, dict) else None
    if not isinstance(groups, dict):
        raise ConfigurationError(f"{_HANJA_FILE}: 'readings' must be a mapping")
    table: dict[int, str] = {}
    for hangul, chars in groups.items():
        if not (isinstance(hangul, str) and _HANGUL.fullmatch(hangul) and len(hangul) == 1):
            raise ConfigurationError(f"{_HANJA_FILE}: {hangul!r} is not one Hangul syllable")
        for ch in str(chars):
            table[ord(ch)] = hangul
    return table


def hanja_to_hangul(text: str) -> str:
    """Han characters to their Korean (Hanja) reading in Hangul; others unchanged."""
    return text.translate(_hanja_table())


# -- Japanese ------------------------------------------------------------------------------
# Kana, and kanji in text that also has kana, are read as Japanese with pykakasi (a
# maintained kana-kanji reading library with its own dictionary), in Hepburn without long
# vowels, as lists and passports write names (``東芝`` -> ``toshiba``, not ``toushiba``).
# Kanji alone cannot be told from Chinese: read as Mandarin, with the Japanese reading as an
# alternative when the party is Japanese (``readings``).
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_JAPANESE_RUN = re.compile(
    r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f\u3400-\u4dbf\u4e00-\u9fff\u3005]+"
)
_LONG_VOWEL = (("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ee", "e"), ("ii", "i"))


@lru_cache(maxsize=1)
def _kakasi() -> object | None:
    """pykakasi's converter, or None when the optional extra ``compliance[japanese]`` is not
    installed (pykakasi is GPL-3.0-or-later, so this Apache-2.0 library does not require it):
    Japanese runs then go on to anyascii like any other script (kana by sound, kanji as
    Mandarin), and ``compliance --version`` output is unchanged but results may differ."""
    try:
        import pykakasi  # loaded on first Japanese text only: its dictionaries take time
    except ImportError:
        return None
    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def japanese_reader_installed() -> bool:
    """True when the Japanese reading (pykakasi, extra ``compliance[japanese]``) is available."""
    return _kakasi() is not None


def _hepburn(run: str) -> str:
    kakasi = _kakasi()
    if kakasi is None:
        return run
    words: list[str] = []
    for part in kakasi.convert(run):  # type: ignore[attr-defined]
        word = str(part["hepburn"])
        for old, new in _LONG_VOWEL:
            word = word.replace(old, new)
        if word:
            words.append(word)
    return " " + " ".join(words) + " "


# Foreign names written in katakana (``カラシニコフ`` Kalashnikov, ``アレフ`` Aleph) carry the
# vowels Japanese adds after a consonant (karashinikof*u*) and one sound for r and l: the
# foreign reading drops ``u`` after a consonant, ``o`` after t/d and ``i`` after sh/ch/j
# where a consonant or the end of the word follows, and writes l for r (the Hepburn of the
# loanword taken back towards its source, as loanword dictionaries list them: Kalashnikov,
# Kaspersky); screened beside the Hepburn reading (``readings``), never instead of it.
_KATAKANA_WORD = re.compile(r"^[\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]+$")
_EPENTHETIC = (
    re.compile(r"(?<=[kgszdbpfmlrt])u(?=[^aeiouy]|$)"),
    re.compile(r"(?<=[td])o(?=[^aeiouy]|$)"),
    re.compile(r"(?<=sh|ch)i(?=[^aeiouy]|$)"),
    re.compile(r"(?<=j)i(?=[^aeiouy]|$)"),
)


# Russian soft endings as Japanese writes them (``ロスネフチ`` Rosneft, ``セベルスターリ``
# Severstal): ``-ть`` is ``チ`` after a consonant (Hepburn ``-fuchi``) and ``-ль`` is ``リ``
# after a long vowel (``-aari``), at the end of a word; after a short vowel they stay (Sochi).
def _soft_ending(word: str) -> str:
    if word.endswith("uchi") and len(word) > 5 and word[-5] not in "aeiou":
        return word[:-4] + "t"
    if word.endswith("ri") and len(word) > 4 and word[-3] in "aeiou" and word[-4] == word[-3]:
        return word[:-3] + "l"
    return word


def _foreign_word(word: str, keep_r: bool = False) -> str:
    word = _soft_ending(word).replace("-", "")
    if not keep_r:
        word = word.replace("r", "l")
    for old, new in _LONG_VOWEL:
        word = word.replace(old, new)
    for pattern in _EPENTHETIC:
        word = pattern.sub("", word)
    return word


def katakana_foreign(text: str, keep_r: bool = False) -> str | None:
    """The foreign reading of a name with katakana words (comment above); ``None`` when
    pykakasi is not installed or the text has no katakana word. ``keep_r``: the same reading
    with ``r`` kept (``セベルスターリ`` Severstal, where the source has an r)."""
    kakasi = _kakasi()
    if kakasi is None:
        return None
    words: list[str] = []
    foreign = False
    for m in _JAPANESE_RUN.finditer(text):
        for part in kakasi.convert(m.group(0)):  # type: ignore[attr-defined]
            word = str(part["hepburn"])
            if _KATAKANA_WORD.match(str(part["orig"])):
                foreign = True
                word = _foreign_word(word, keep_r)
            else:
                for old, new in _LONG_VOWEL:
                    word = word.replace(old, new)
            if word:
                words.append(word)
    return " ".join(words) if foreign else None


def has_kana(text: str) -> bool:
    return _KANA.search(text) is not None


def japanese_to_latin(text: str) -> str:
    """Kana and kanji runs read as Japanese (Hepburn, long vowels written short)."""
    return _JAPANESE_RUN.sub(lambda m: _hepburn(m.group(0)), text)


# -- Arabic, Hebrew and other scripts ---------------------------------------------------------
_ARABIC_HEBREW = re.compile(r"[\u0590-\u06ff\u0750-\u077f\ufb1d-\ufdff\ufe70-\ufeff]")
_SCRIPT_WORD = re.compile(r"[\u0590-\u06ff\u0750-\u077f\ufb1d-\ufdff\ufe70-\ufeff'׳]+")
_ARABIC_ARTICLE = "ال"
# Arabic company words, translated because lists publish them in English (as HAN_TERMS).
ARABIC_TERMS: dict[str, str] = {
    "شركة": "company", "شركه": "company", "المحدودة": "limited", "محدودة": "limited",
    "مجموعة": "group", "الدولية": "international", "للتجارة": "trading", "التجارية": "trading",
    "تكنولوجيز": "technologies", "للتكنولوجيا": "technology", "تكنولوجيا": "technology",
    "للاتصالات": "communications", "هواوي": "huawei", "هيكفيجن": "hikvision",
    "ذ.م.م": "llc", "بنك": "bank", "مصرف": "bank", "الإسلامية": "islamic",
    # Persian (looked up with Persian letters folded: ``_PERSIAN``): ``بانک`` bank, ``ایر``
    # the English "air" of airline names (Mahan Air, Iran Air), ``ایران`` Iran, as the SDN
    # list writes the Iranian banks and airlines (BANK MELLI IRAN, BANK SEPAH, MAHAN AIR)
    "بانك": "bank", "اير": "air", "ايران": "iran", "إيران": "iran", "شركت": "company",
}  # fmt: skip
# Persian letter forms read as their Arabic counterparts before the tables are consulted
# (Unicode: U+06A9 keheh is Arabic kaf, U+06CC Farsi yeh is Arabic yeh), so that a Persian
# ``علی`` or ``حسین`` meets the given-name table's ``علي`` / ``حسين``.
_PERSIAN = str.maketrans({"ک": "ك", "ی": "ي"})


# Name particles written as their own word: read as the Latin particle the lists use, so
# that ``بن`` is the ``bin`` of ``Usama bin Muhammad`` (a particle, not an identifying word).
ARABIC_PARTICLES: dict[str, str] = {
    "بن": "bin", "ابن": "ibn", "إبن": "ibn", "بنت": "bint", "أبو": "abu", "ابو": "abu",
    "أبي": "abi", "ابي": "abi", "الله": "allah", "בן": "ben", "בת": "bat", "אבו": "abu",
}  # fmt: skip
# Arabic letters whose letter-by-letter reading (anyascii) is not the one names use:
# ta marbuta is the final ``-a`` (``حمزة`` Hamza, not ``hmzh``), ``ظ`` and ``ذ`` are ``z`` in
# names (Zawahiri, Nazim), alif maqsura ``a``, hamza seats and ayn are not written in Latin.
_ARABIC_LETTERS = str.maketrans(
    {"ة": "a", "ظ": "z", "ذ": "z", "ى": "a", "ئ": "i", "ؤ": "u", "ء": "", "ع": ""}
)
# Hebrew by the Israeli simplified romanisation of names (Academy of the Hebrew Language,
# 2006 rules for names, without the dagesh distinctions unpointed text cannot show): ``ב``
# b, ``פ`` p, ``כ`` k, ``ש`` sh; geresh marks foreign sounds (``ג'`` j, ``ח'`` kh, ``צ'``
# ch, ``ז'`` zh); ``ו`` is ``v`` at the start, ``w`` doubled and a vowel ``u`` inside a word,
# ``י`` ``y`` at the start and ``i`` inside; a final ``ה`` is the vowel ``a``.
HEBREW: dict[str, str] = {
    "א": "", "ב": "b", "ג": "g", "ד": "d", "ה": "h", "ו": "u", "ז": "z", "ח": "h", "ט": "t",
    "י": "i", "כ": "k", "ך": "kh", "ל": "l", "מ": "m", "ם": "m", "נ": "n", "ן": "n", "ס": "s",
    "ע": "", "פ": "p", "ף": "f", "צ": "ts", "ץ": "ts", "ק": "k", "ר": "r", "ש": "sh", "ת": "t",
}  # fmt: skip
_HEBREW_GERESH: dict[str, str] = {"ג": "j", "ח": "kh", "צ": "ch", "ץ": "ch", "ז": "zh",
                                  "ת": "th", "ד": "dh"}  # fmt: skip
_GERESH = "'׳"
_HEBREW_LETTER = re.compile(r"[א-ת]")


def hebrew_word_to_latin(word: str) -> str:
    """One Hebrew word, unpointed, to Latin by ``HEBREW`` (comment above)."""
    out: list[str] = []
    i = 0
    n = len(word)
    while i < n:
        ch = word[i]
        nxt = word[i + 1] if i + 1 < n else ""
        if nxt and nxt in _GERESH and ch in _HEBREW_GERESH:
            out.append(_HEBREW_GERESH[ch])
            i += 2
            continue
        if ch in _GERESH:
            i += 1
            continue
        if ch == "ו" and (i == 0 or nxt == "ו"):  # a doubled vav inside a word: Arabic w
            out.append("v" if i == 0 else "w")
            i += 2 if nxt == "ו" else 1
            continue
        if ch == "י" and (i == 0 or nxt == "י"):
            out.append("y")
            i += 2 if nxt == "י" else 1
            continue
        if ch == "ה" and i == n - 1 and i > 0:
            out.append("a")
        else:
            out.append(HEBREW.get(ch, ch))
        i += 1
    return "".join(out)


def _arabic_word(word: str) -> str:
    """An Arabic-script word no table knows: the article ``ال`` written as its own word
    (``التكريتي`` -> ``al tkryty``, the lists' ``AL-TIKRITI``) and the letters of
    ``_ARABIC_LETTERS`` read as names write them; anyascii reads the rest."""
    article = ""
    if word.startswith(_ARABIC_ARTICLE) and len(word) > 3:
        article, word = "al ", word[2:]
    return f" {article}{word.translate(_ARABIC_LETTERS)} "


def _script_word(m: re.Match[str]) -> str:
    word = m.group(0).translate(_PERSIAN)
    names = script_names()
    found = ARABIC_TERMS.get(word) or names.get(word) or ARABIC_PARTICLES.get(word)
    if found is None and word.startswith(_ARABIC_ARTICLE) and len(word) > 3:
        bare = word[2:]
        found = names.get(bare)
        if found is None and bare in ARABIC_TERMS:
            found = ARABIC_TERMS[bare]
        if found is not None:
            found = "al " + found
    if found is not None:
        return f" {found} "
    if _HEBREW_LETTER.search(word):
        return f" {hebrew_word_to_latin(word)} "
    return _arabic_word(word)


def script_names_to_latin(text: str) -> str:
    """Names and company words in Arabic and Hebrew script read by table (vowels unwritten
    there: ``محمد`` would be ``mhmd`` letter by letter); other words are left to anyascii."""
    return _SCRIPT_WORD.sub(_script_word, text)


def scripts_to_latin(text: str) -> str:
    """Every script handled here, in order: Hangul, Japanese (text with kana), Han, Cyrillic,
    Arabic and Hebrew, Greek. What is left goes through anyascii (``normalize.fold_text``)."""
    if _HANGUL.search(text):
        text = hangul_to_latin(text)
    if has_kana(text):
        text = japanese_to_latin(text)
    if has_han(text):
        text = han_to_latin(text)
    if _CYRILLIC_LETTER.search(text):
        text = cyrillic_to_latin(text)
    if _ARABIC_HEBREW.search(text):
        text = script_names_to_latin(text)
    if _GREEK_RUN.search(text):
        text = greek_to_latin(text)
    return text


_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")

# -- Greek ---------------------------------------------------------------------------------
# Modern Greek read as it sounds (ELOT 743 / ISO 843 phonetic form, as Greek press writes
# foreign names back: ``Σμπερμπάνκ`` Sberbank, ``Χεζμπολάχ`` Hezbollah): ``μπ`` b, ``ντ`` d,
# ``γκ`` g, ``ου`` u, ``αι`` e, ``ει``/``οι``/``υι`` i, ``χ`` kh, ``η``/``υ`` i. A vowel pair is
# two sounds when its first letter carries the accent or its second a diaeresis
# (``Λουκόιλ`` Lu-ko-il).
GREEK_PAIRS: dict[str, str] = {
    "ου": "u", "αι": "e", "ει": "i", "οι": "i", "υι": "i", "αυ": "av", "ευ": "ev",
    "μπ": "b", "ντ": "d", "γκ": "g", "γγ": "ng", "τσ": "ts", "τζ": "dz",
}  # fmt: skip
_GREEK_VOWEL_PAIRS = frozenset(("ου", "αι", "ει", "οι", "υι", "αυ", "ευ"))
GREEK: dict[str, str] = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r",
    "σ": "s", "ς": "s", "τ": "t", "υ": "i", "φ": "f", "χ": "kh", "ψ": "ps", "ω": "o",
}  # fmt: skip
_GREEK_RUN = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]+")
_DIAERESIS = "\u0308"


def _greek_run(run: str) -> str:
    parts = [unicodedata.normalize("NFD", ch) for ch in run]
    bases = [p[0] for p in parts]
    out: list[str] = []
    i = 0
    while i < len(parts):
        if i + 1 < len(parts):
            pair = bases[i] + bases[i + 1]
            if pair in GREEK_PAIRS and not (
                pair in _GREEK_VOWEL_PAIRS and (len(parts[i]) > 1 or _DIAERESIS in parts[i + 1])
            ):
                out.append(GREEK_PAIRS[pair])
                i += 2
                continue
        out.append(GREEK.get(bases[i], bases[i]))
        i += 1
    return "".join(out)


def greek_to_latin(text: str) -> str:
    """Lower-case Greek words to Latin as they sound (table above)."""
    return _GREEK_RUN.sub(lambda m: _greek_run(m.group(0)), text)


def readings(text: str, country: str | None = None) -> tuple[str, ...]:
    """Other Latin readings of a name in a non-Latin script, screened as well as the
    default one: Korean in the Revised Romanization (and South Korean surname spellings),
    kanji without kana read as Japanese when the party is Japanese (``country`` ``JP``),
    Han characters read as Korean Hanja when the party is Korean (``KP``, ``KR``),
    katakana words read back as the foreign names they transcribe, Russian and Chinese
    organisation words in the English the lists publish."""
    out: list[str] = []
    if _HANGUL.search(text):
        out.append(hangul_to_latin(text, rr=True))
    if has_kana(text):
        foreign = katakana_foreign(text)
        if foreign is not None:
            out.append(foreign)
            with_r = katakana_foreign(text, keep_r=True)
            if with_r is not None and with_r != foreign:
                out.append(with_r)
    if country == "JP" and has_han(text) and not has_kana(text):
        out.append(japanese_to_latin(text))
    if _CYRILLIC_LETTER.search(text):
        from compliance.screening.acronyms import cyrillic_acronyms_expanded
        from compliance.screening.translations import russian_translated

        full = cyrillic_acronyms_expanded(text)  # ЦНИИ -> central scientific research ...
        translated = russian_translated(full if full is not None else text) or full
        if translated is not None:
            out.append(translated)
        # a dedication (``НИИ ... им. С.А. Чаплыгина``, named after) without its marker and
        # initials, as for a Latin name (``dedications.py``)
        from compliance.screening.dedications import dedication_stripped

        latin = cyrillic_to_latin(translated if translated is not None else text.lower())
        out.extend(dedication_stripped(latin))
        by_ear = english_long_i(text)
        if by_ear is not None:
            out.append(by_ear)
    if has_han(text) and not has_kana(text):
        out.extend(han_alternatives(text))
    if country in KOREAN_COUNTRIES and has_han(text) and not has_kana(text):
        hangul = hanja_to_hangul(text)
        if hangul != text:
            out.append(hangul_to_latin(hangul))
            out.append(hangul_to_latin(hangul, rr=True))
    return tuple(" ".join(r.split()) for r in out)


# Ordered rewrites that make romanisation variants of one name meet. Applied to lower-case
# ASCII tokens only, for comparison and blocking; the displayed token is never rewritten.
_SKELETON_RULES: tuple[tuple[str, str], ...] = (
    ("schtsch", "sh"), ("tsch", "ch"), ("shch", "sh"), ("sch", "sh"), ("shh", "sh"), ("tch", "ch"),
    ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("tz", "c"), ("ts", "c"), ("cz", "c"),
    ("ph", "f"), ("ck", "k"), ("q", "k"), ("w", "v"),
    ("iya", "ia"), ("ija", "ia"), ("iia", "ia"), ("iyu", "iu"), ("iju", "iu"), ("iiu", "iu"),
    ("yu", "u"), ("iu", "u"), ("ju", "u"),
    ("ya", "a"), ("ia", "a"), ("ja", "a"), ("yo", "o"), ("jo", "o"), ("ye", "e"), ("je", "e"),
    ("yj", "i"), ("ij", "i"), ("y", "i"), ("ou", "u"), ("ee", "i"), ("z", "s"),
)  # fmt: skip
_DOUBLE = re.compile(r"([a-z])\1+")


_GIVEN_NAMES = given_name_spellings()


@lru_cache(maxsize=131_072)
def skeleton(token: str) -> str:
    """A scheme-independent key: ``Shcherbakov``, ``Scherbakov``, ``Ščerbakov`` meet here;
    so do the spellings of one given name (``Alexander``/``Aleksandr``, ``names.py``)."""
    if token.isdigit():
        return token
    return skeleton_rules(_GIVEN_NAMES.get(token, token))


def skeleton_rules(token: str) -> str:
    """The romanisation rules of :func:`skeleton` alone, without the given-name table."""
    out = token
    for old, new in _SKELETON_RULES:
        if old in out:
            out = out.replace(old, new)
    return _DOUBLE.sub(r"\1", out)
