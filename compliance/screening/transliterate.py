"""Script conversion to Latin: Cyrillic by table, Han through pypinyin, the rest via anyascii.

Cyrillic uses one fixed scheme here; the differences between romanisation schemes
(``Shch``/``Sch``/``Shh``, ``Kh``/``H``, ``Yu``/``Iu``/``Ju``, ...) are removed afterwards by
:func:`skeleton`, which folds every Latin token to the same key whatever scheme produced it.
Han is read as Mandarin pinyin (pypinyin, no tones); common company words and Chinese legal
forms are translated first so ``华为技术有限公司`` lines up with ``Huawei Technologies Co., Ltd.``.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
}  # fmt: skip
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAN_TERM = re.compile("|".join(sorted(map(re.escape, HAN_TERMS), key=len, reverse=True)))


def cyrillic_to_latin(text: str) -> str:
    """Lower-case Cyrillic to Latin with one fixed scheme (others converge via skeleton)."""
    return text.translate(_CYRILLIC_TABLE)


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


def han_to_latin(text: str) -> str:
    """Han runs to pinyin words; company words between them translated to English."""
    return _HAN_RUN.sub(lambda m: _han_run(m.group(0)), text)


def has_han(text: str) -> bool:
    return _HAN_RUN.search(text) is not None


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


@lru_cache(maxsize=131_072)
def skeleton(token: str) -> str:
    """A scheme-independent key: ``Shcherbakov``, ``Scherbakov``, ``Ščerbakov`` meet here."""
    if token.isdigit():
        return token
    out = token
    for old, new in _SKELETON_RULES:
        if old in out:
            out = out.replace(old, new)
    return _DOUBLE.sub(r"\1", out)
