"""EAR reference tables written from the regulation, each stamped with its eCFR issue date.

* :mod:`.countries` - destination names and codes (Hong Kong is China, 85 FR 83765).
* :mod:`.country_groups` - Supplement No. 1 to 15 CFR part 740.
* :mod:`.country_chart` - the Commerce Country Chart, Supplement No. 1 to 15 CFR part 738.
* :mod:`.ccl` - license requirements of the Commerce Control List, Supplement No. 1 to part 774.
"""
