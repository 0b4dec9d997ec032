"""Name tables per nationality, and the spelling variants agencies record.

A person's name is an index into these tables, so columns stay numeric until a record is
written. The trafficking database records names the way another agency heard or typed them:
:func:`spelling_variant` produces the differences that matching must bridge (romanisation of
Japanese long vowels, particles and spacing of Filipino surnames, lost diacritics, swapped name
order, native script).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from anyascii import anyascii

# family names, female given names, male given names; native script where the records carry it.
# fmt: off
_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "CHN": (
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun"),
        ("Fang", "Min", "Jing", "Li Na", "Xiu Ying", "Yan", "Hui", "Mei", "Ling", "Xia"),
        ("Wei", "Lei", "Jun", "Yong", "Jian", "Tao", "Ming", "Qiang", "Hao", "Bo"),
    ),
    "PHL": (
        ("Dela Cruz", "Santos", "Reyes", "Garcia", "Mendoza", "Bautista", "Villanueva",
         "Ramos", "Aquino", "Castillo", "De Leon", "Fernandez"),
        ("Maria", "Maricel", "Jennifer", "Rowena", "Kristine", "Mary Grace", "Joy", "Angelica",
         "Rhea", "Lovely"),
        ("Juan", "Jose", "Mark Anthony", "John Paul", "Rodel", "Jericho", "Ramil", "Arnel",
         "Christian", "Noel"),
    ),
    "VNM": (
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
         "Đỗ"),
        ("Thị Hoa", "Thị Lan", "Thị Mai", "Thu Trang", "Ngọc Anh", "Thị Hương", "Thị Hạnh",
         "Phương Linh", "Thị Thu", "Thị Nga"),
        ("Văn Hùng", "Văn Nam", "Minh Tuấn", "Đức Anh", "Văn Dũng", "Quang Huy", "Văn Long",
         "Thành Công", "Văn Tài", "Hữu Phước"),
    ),
    "IDN": (
        ("Siregar", "Nasution", "Hidayat", "Saputra", "Wijaya", "Susanto", "Kurniawan",
         "Pratama", "Setiawan", "Lubis", "Harahap", "Gunawan"),
        ("Siti", "Dewi", "Putri", "Sri Wahyuni", "Ayu", "Rina", "Indah", "Nur", "Fitri", "Lestari"),
        ("Agus", "Budi", "Andi", "Rizky", "Dedi", "Joko", "Eko", "Ahmad", "Hendra", "Bayu"),
    ),
    "IND": (
        ("Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Nair", "Iyer", "Das", "Khan",
         "Mehta", "Joshi"),
        ("Priya", "Anjali", "Pooja", "Sunita", "Kavya",
         "Neha", "Lakshmi", "Divya", "Asha", "Meena"),
        ("Rahul", "Amit", "Rajesh", "Suresh", "Vikram",
         "Arjun", "Sanjay", "Ravi", "Anil", "Deepak"),
    ),
    "RUS": (
        ("Ivanova", "Smirnova", "Kuznetsova", "Popova", "Sokolova", "Lebedeva", "Kozlova",
         "Novikova", "Morozova", "Petrova", "Volkova", "Orlova"),
        ("Anastasia", "Yekaterina", "Olga", "Natalia", "Irina", "Svetlana", "Yulia", "Maria",
         "Tatiana", "Elena"),
        ("Aleksandr", "Sergei", "Dmitri", "Andrei", "Alexei", "Maxim", "Ivan", "Mikhail",
         "Nikolai", "Pavel"),
    ),
    "MMR": (
        ("Aung", "Win", "Htun", "Naing", "Thein", "Myint", "Soe", "Kyaw", "Oo", "Zaw", "Lwin",
         "Maung"),
        ("Thandar", "Hnin Wai", "Su Su", "Ei Mon", "Khin Khin", "Nilar", "Yu Yu", "Thida",
         "May Zin", "Phyu Phyu"),
        ("Min Min", "Zaw Zaw", "Ko Ko", "Thura", "Htet Aung", "Kyaw Zin", "Nay Lin", "Tun Tun",
         "Aung Ko", "Myo Min"),
    ),
    "NPL": (
        ("Shrestha", "Gurung", "Tamang", "Rai", "Magar", "Thapa", "Adhikari", "Karki", "Bhandari",
         "Sharma", "Poudel", "Limbu"),
        ("Sita", "Gita", "Anita", "Sunita", "Sarita", "Puja", "Laxmi", "Kabita", "Rita", "Mina"),
        ("Ram", "Hari", "Krishna", "Bikash", "Suman", "Rajan", "Dipak", "Prakash", "Sanjay",
         "Roshan"),
    ),
    "THA": (
        ("Saetang", "Srisuk", "Chaiyaporn", "Wongsawat", "Boonmee", "Kaewkla", "Thongdee",
         "Sukjai", "Phromma", "Rattanakorn", "Somboon", "Jantarasri"),
        ("Siriporn", "Nattaya", "Kanokwan", "Pornthip", "Supaporn", "Wanida", "Malee",
         "Jintana", "Ratana", "Lamai"),
        ("Somchai", "Somsak", "Prasert", "Wichai", "Anan", "Chaiwat", "Thawatchai", "Narong",
         "Surachai", "Kittisak"),
    ),
    "BRA": (
        ("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues", "Almeida",
         "Nakamura", "Yamamoto", "Ferreira", "Lima"),
        ("Ana", "Juliana", "Mariana", "Fernanda", "Camila", "Beatriz", "Larissa", "Patrícia",
         "Luciana", "Renata"),
        ("João", "Pedro", "Lucas", "Gabriel", "Rafael", "Carlos", "Paulo", "Marcos", "Thiago",
         "André"),
    ),
    "KHM": (
        ("Sok", "Chan", "Kim", "Sam", "Heng", "Chea",
         "Keo", "Prak", "Touch", "Meas", "Ouk", "Pich"),
        ("Sreymom", "Dara", "Sophea", "Channary", "Bopha", "Srey Leak", "Kunthea", "Sokha",
         "Rachana", "Thida"),
        ("Sokha", "Vuthy", "Rithy", "Piseth", "Sovann", "Dara", "Virak", "Samnang", "Bunthoeun",
         "Sopheak"),
    ),
    "PER": (
        ("Quispe", "Flores", "Sánchez", "Rodríguez", "García", "Rojas", "Huamán", "Mamani",
         "Higa", "Tamashiro", "Chávez", "Vargas"),
        ("María", "Rosa", "Carmen", "Lucía", "Milagros", "Giovanna", "Sofía", "Ana Lucía",
         "Elena", "Karina"),
        ("José", "Luis", "Carlos", "Jorge", "Miguel", "Juan Carlos", "César", "Víctor", "Raúl",
         "Alberto"),
    ),
    "COL": (
        ("Rodríguez", "Gómez", "González", "Martínez", "López", "Hernández", "Díaz", "Ramírez",
         "Torres", "Moreno", "Castaño", "Ospina"),
        ("Luisa Fernanda", "Paola", "Natalia", "Carolina", "Daniela", "Valentina", "Andrea",
         "Marcela", "Yuliana", "Diana"),
        ("Andrés", "Juan David", "Camilo", "Santiago", "Felipe", "Julián", "Diego", "Sebastián",
         "Mauricio", "Óscar"),
    ),
    "KOR": (
        ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Shin"),
        ("Ji-yeon", "Min-ji", "Seo-yeon", "Eun-ji", "Hye-jin", "Soo-jin", "Ji-hye", "Yu-na",
         "Ha-eun", "Da-eun"),
        ("Min-jun", "Ji-hoon", "Hyun-woo", "Sung-min", "Jae-won", "Dong-hyun", "Tae-yang",
         "Seung-ho", "Jin-woo", "Young-soo"),
    ),
    "TWN": (
        ("Chen", "Lin", "Huang", "Chang", "Lee", "Wang",
         "Wu", "Liu", "Tsai", "Yang", "Hsu", "Cheng"),
        ("Shu-fen", "Mei-ling", "Ya-ting", "Hui-chun", "Yi-chen", "Pei-shan", "Hsin-yi",
         "Chia-hui", "Li-hua", "Wen-ting"),
        ("Chih-ming", "Chun-hung", "Wei-lun", "Chien-hung", "Tsung-han", "Yu-cheng", "Kuan-ting",
         "Po-wei", "Cheng-en", "Jui-lin"),
    ),
    "HKG": (
        ("Chan", "Wong", "Leung", "Cheung", "Lau", "Lee",
         "Ho", "Ng", "Tam", "Yeung", "Chow", "Lam"),
        ("Ka Yan", "Wing Sze", "Hoi Ying", "Mei Ling", "Suet Yee", "Pui Shan", "Man Yee",
         "Wai Ling", "Yuen Ting", "Ching Man"),
        ("Ka Ho", "Chi Wai", "Wing Kin", "Tsz Hin", "Kwok Keung", "Man Kit", "Siu Ming",
         "Chun Kit", "Ho Yin", "Wai Lun"),
    ),
    "MYS": (
        ("Abdullah", "Tan", "Lim", "Rahman", "Ismail", "Ong", "Muthu", "Hassan", "Wong", "Ibrahim",
         "Lee", "Yusof"),
        ("Nur Aisyah", "Siti Aminah", "Mei Ling", "Priya", "Farah", "Nurul", "Hui Min", "Aishah",
         "Kavitha", "Zarina"),
        ("Muhammad", "Ahmad", "Wei Jie", "Kumar", "Hafiz", "Chee Keong", "Faizal", "Azman",
         "Ravi", "Irfan"),
    ),
    "SGP": (
        ("Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Koh", "Teo", "Ang", "Yeo"),
        ("Hui Min", "Jia Hui", "Shu Ting", "Wei Ling", "Xin Yi", "Pei Ying", "Siti", "Divya",
         "Rachel", "Michelle"),
        ("Wei Ming", "Jun Jie", "Zhi Hao", "Kai Wen", "Marcus", "Daniel", "Hafiz", "Arjun",
         "Ryan", "Jonathan"),
    ),
    "_WEST": (
        ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor",
         "Anderson", "Thomas", "Martin"),
        ("Emily", "Sarah", "Jessica", "Ashley", "Hannah", "Olivia", "Emma", "Sophie", "Chloe",
         "Grace"),
        ("James", "John", "Michael", "David", "Daniel", "Matthew", "Christopher", "Andrew",
         "Thomas", "William"),
    ),
}
# fmt: on
for _code in ("USA", "GBR", "AUS"):
    _TABLES[_code] = _TABLES["_WEST"]

# Japanese sponsors: romaji (modified Hepburn with macrons dropped), kanji, kana.
JAPANESE_FAMILY: tuple[tuple[str, str, str], ...] = (
    ("Sato", "佐藤", "さとう"), ("Suzuki", "鈴木", "すずき"), ("Takahashi", "高橋", "たかはし"),
    ("Tanaka", "田中", "たなか"), ("Ito", "伊藤", "いとう"), ("Watanabe", "渡辺", "わたなべ"),
    ("Yamamoto", "山本", "やまもと"), ("Nakamura", "中村", "なかむら"),
    ("Kobayashi", "小林", "こばやし"), ("Kato", "加藤", "かとう"), ("Yoshida", "吉田", "よしだ"),
    ("Yamada", "山田", "やまだ"), ("Sasaki", "佐々木", "ささき"), ("Yamaguchi", "山口", "やまぐち"),
    ("Matsumoto", "松本", "まつもと"), ("Inoue", "井上", "いのうえ"), ("Kimura", "木村", "きむら"),
    ("Ono", "大野", "おおの"), ("Saito", "斎藤", "さいとう"), ("Goto", "後藤", "ごとう"),
)  # fmt: skip
JAPANESE_MALE: tuple[tuple[str, str, str], ...] = (
    ("Ichiro", "一郎", "いちろう"), ("Kenichi", "健一", "けんいち"), ("Hiroshi", "浩", "ひろし"),
    ("Takeshi", "武", "たけし"), ("Yuji", "裕二", "ゆうじ"), ("Shota", "翔太", "しょうた"),
    ("Kazuo", "和夫", "かずお"), ("Makoto", "誠", "まこと"), ("Shinji", "真司", "しんじ"),
    ("Koji", "浩二", "こうじ"), ("Daisuke", "大輔", "だいすけ"), ("Yosuke", "洋介", "ようすけ"),
)  # fmt: skip
JAPANESE_FEMALE: tuple[tuple[str, str, str], ...] = (
    ("Yuko", "裕子", "ゆうこ"), ("Keiko", "恵子", "けいこ"), ("Akiko", "明子", "あきこ"),
    ("Tomoko", "智子", "ともこ"), ("Yoko", "洋子", "ようこ"), ("Naoko", "直子", "なおこ"),
    ("Mayumi", "真由美", "まゆみ"), ("Emi", "恵美", "えみ"), ("Sachiko", "幸子", "さちこ"),
    ("Kumiko", "久美子", "くみこ"), ("Yuki", "由紀", "ゆき"), ("Haruka", "遥", "はるか"),
)  # fmt: skip

_CHINESE_FAMILY = {
    "Wang": "王", "Li": "李", "Zhang": "张", "Liu": "刘", "Chen": "陈", "Yang": "杨",
    "Huang": "黄", "Zhao": "赵", "Wu": "吴", "Zhou": "周", "Xu": "徐", "Sun": "孙",
}  # fmt: skip
_CHINESE_GIVEN = {
    "Fang": "芳", "Min": "敏", "Jing": "静", "Li Na": "丽娜", "Xiu Ying": "秀英", "Yan": "艳",
    "Hui": "慧", "Mei": "梅", "Ling": "玲", "Xia": "霞", "Wei": "伟", "Lei": "磊", "Jun": "军",
    "Yong": "勇", "Jian": "建", "Tao": "涛", "Ming": "明", "Qiang": "强", "Hao": "浩", "Bo": "波",
}  # fmt: skip

TABLE_SIZE = 12  # family names per nationality
GIVEN_SIZE = 10  # given names per sex and nationality


def family_name(nationality: str, index: int) -> str:
    """The family name ``index`` of a nationality's table."""
    return _TABLES[nationality][0][index % TABLE_SIZE]


def given_name(nationality: str, female: bool, index: int) -> str:
    """The given name ``index`` of a nationality's female or male table."""
    return _TABLES[nationality][1 if female else 2][index % GIVEN_SIZE]


def native_name(nationality: str, family: str, given: str) -> str | None:
    """The name in native script where the records carry one (Chinese), else ``None``."""
    if nationality == "CHN" and family in _CHINESE_FAMILY and given in _CHINESE_GIVEN:
        return _CHINESE_FAMILY[family] + _CHINESE_GIVEN[given]
    return None


@lru_cache(maxsize=65536)
def mrz_name(family: str, given: str) -> str:
    """ICAO 9303 name field: transliterated, upper case, '<' for spaces and between parts."""
    fam = "".join(ch if ch.isalpha() else "<" for ch in anyascii(family).upper())
    giv = "".join(ch if ch.isalpha() else "<" for ch in anyascii(given).upper())
    return f"{fam}<<{giv}"


_LONG_VOWELS = (("OU", "O"), ("UU", "U"), ("OO", "O"), ("O", "OH"))


def spelling_variant(rng: np.random.Generator, family: str, given: str, nationality: str) -> str:
    """One way another agency may have written the name ``family given``.

    Variants: upper-case family-first (the commonest), given-first order, diacritics dropped,
    Filipino particles joined or split, Japanese long vowels romanised differently.
    """
    fam, giv = family, given
    roll = rng.random()
    if nationality == "PHL" and roll < 0.4 and " " in fam:
        fam = fam.replace(" ", "") if rng.random() < 0.5 else fam.replace("De", "De ", 1)
    if nationality == "JPN" and roll < 0.5:
        old, new = _LONG_VOWELS[int(rng.integers(len(_LONG_VOWELS)))]
        fam = fam.upper().replace(old, new, 1) if old in fam.upper() else fam
    if rng.random() < 0.6:
        fam, giv = anyascii(fam), anyascii(giv)
    if rng.random() < 0.3:
        return f"{giv} {fam}".upper() if rng.random() < 0.5 else f"{giv} {fam}"
    return f"{fam} {giv}".upper()


def japanese_variants(rng: np.random.Generator, family: int, given: int, female: bool) -> list[str]:
    """Names of a Japanese person as a database records them: romaji variants and kanji."""
    fam = JAPANESE_FAMILY[family % len(JAPANESE_FAMILY)]
    table = JAPANESE_FEMALE if female else JAPANESE_MALE
    giv = table[given % len(table)]
    names = [spelling_variant(rng, fam[0], giv[0], "JPN")]
    if rng.random() < 0.6:
        names.append(fam[1] + giv[1])
    if rng.random() < 0.2:
        names.append(fam[2] + " " + giv[2])
    return names
