"""Synthetic innocent persons for the speed mix: given and family names across name cultures.

The open negative files are companies only; the query mix of screening-landscape.md 9.3 (S2)
is 40 % persons. These combinations are generated, not real people, so nobody's name is
screened; a generated name can still resemble a listed person, which is fine for timing.
"""

from __future__ import annotations

import random

GIVEN = (
    "James", "Mary", "Robert", "Linda", "Michael", "Susan", "William", "Karen", "Carlos",
    "Lucia", "Javier", "Camila", "Wei", "Fang", "Jun", "Xiu Ying", "Hiroshi", "Yuki", "Min-jun",
    "Seo-yeon", "Dmitri", "Olga", "Sergei", "Natalia", "Ahmed", "Fatima", "Omar", "Layla",
    "Rahul", "Priya", "Arjun", "Ananya", "Hans", "Greta", "Lukas", "Sofia", "Kwame", "Amara",
    "Tunde", "Chiamaka", "Pierre", "Camille", "Giovanni", "Chiara", "Mehmet", "Ayse",
)  # fmt: skip
FAMILY = (
    "Smith", "Johnson", "Brown", "Miller", "Davis", "Garcia", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Wang", "Li", "Zhang", "Liu", "Chen", "Sato", "Suzuki", "Kim", "Park",
    "Ivanov", "Smirnova", "Kuznetsov", "Popova", "Haddad", "Mansour", "Khalil", "Sharma",
    "Patel", "Singh", "Gupta", "Muller", "Schneider", "Fischer", "Okafor", "Mensah", "Adeyemi",
    "Dubois", "Lefevre", "Rossi", "Bianchi", "Yilmaz", "Demir", "Novak", "Kowalski", "Nielsen",
)  # fmt: skip
COUNTRIES = ("US", "GB", "DE", "FR", "CN", "IN", "JP", "KR", "RU", "AE", "TR", "BR", "NG", "MX")


def synthetic_person(rng: random.Random) -> tuple[str, str]:
    """A (name, ISO country) pair; one in four has a middle initial, one in ten two given names."""
    given = rng.choice(GIVEN)
    if rng.random() < 0.1:
        given = f"{given} {rng.choice(GIVEN)}"
    elif rng.random() < 0.25:
        given = f"{given} {rng.choice('ABCDEFGHJKLMNPRST')}."
    return f"{given} {rng.choice(FAMILY)}", rng.choice(COUNTRIES)
