"""Innocent-set rows that are not innocent: the same legal entity really is on a list.

The GLEIF and SEC files are used as negatives, but some of their companies are listed. An alert
on one of them is a correct alert, not a false one, so the quality report gives false-alert
rates with and without these rows. Each row was checked by hand against the 2026 CSL
(name, country and, where given, address); the reason says why it is the same entity. Add a
row only with such a reason: a similar name alone is a false alert the matcher must avoid.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownListed:
    dataset: str
    key: str
    name: str
    listed_as: str
    reason: str


KNOWN_LISTED: tuple[KnownListed, ...] = (
    KnownListed(
        dataset="gleif",
        key="254900KNFDZ6PQA7FL55",
        name="INCOFF AEROSPACE s.r.o.",
        listed_as="EL: Incoff Aerospace S.R.O. (SK; 87 FR 13141, 87 FR 38925)",
        reason="same name and legal form, same country (SK): the listed company itself",
    ),
    KnownListed(
        dataset="gleif",
        key="549300BYIOZP5U0LN442",
        name="Kara Industrial Trading GmbH",
        listed_as="SDN 48638: KARA INDUSTRIAL TRADING GMBH (DE; IRAN-EO13871)",
        reason="same name and legal form, same country (DE): the designated company itself",
    ),
    KnownListed(
        dataset="gleif",
        key="335800L52L41TNSDZT55",
        name="SHARPLINE AUTOMATION PRIVATE LIMITED",
        listed_as="SDN 51096: SHARPLINE AUTOMATION PRIVATE LIMITED (IN; RUSSIA-EO14024)",
        reason="identical name and legal form, same country (IN): the designated company itself",
    ),
    KnownListed(
        dataset="gleif",
        key="984500BD2B05EA1ET703",
        name="POINTER ELECTRONICS",
        listed_as="SDN 50763: POINTER ELECTRONICS (IN; RUSSIA-EO14024)",
        reason="identical name, same country (IN), electronics sector as designated",
    ),
    # Checked and NOT excluded (the alert stays counted as false):
    # - GLEIF 335800M9NWOKT5RE5W75 "INDUSTRIAL SOLUTIONS" (IN) has the name of SDN 13372
    #   INDUSTRIAL SOLUTIONS (SY), but is an Indian company with a generic name.
    # - SEC 0001993463 "YSX Tech Co., Ltd" (Nasdaq YSXT, Cayman holding) has the name of an
    #   alias of EL "Cloudmax Tech Co., Limited" (CN/HK); same-entity not established.
    # - GLEIF 529900VRR5ZGAZRX4C45 "International Cobalt Corp." (CA) resembles SDN 3750
    #   INTERNATIONAL COBALT CO. INC. (CA, CUBA program); other legal form, not established.
    # - SEC 0001690820 "CARVANA CO." (US) vs SDN "CARVANA COMPANY" (IR): different companies.
    # - SEC 0001680062 "ACM Research, Inc." (US) vs EL "ACM Research (Shanghai)" (CN): the
    #   listed company is a subsidiary; the U.S. parent itself is not listed (sister entity).
    # - GLEIF 549300K26N6FSAOJFH50 "ΤMK STEEL HOLDING LIMITED" (name starts with a Greek Tau)
    #   vs SDN INTERNATIONAL LLC TMK STEEL HOLDING (RU): possibly a re-domiciled successor;
    #   same legal entity not established.
)


def excluded_keys() -> frozenset[tuple[str, str]]:
    """(dataset, key) pairs left out of the 'without known-listed' false-alert rates."""
    return frozenset((k.dataset, k.key) for k in KNOWN_LISTED)
