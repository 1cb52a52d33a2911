"""15 CFR 734.9(l): the AI model weights FDP rule (AI Diffusion, 90 FR 4544).

Reads from the case: the item's own ECCN (``item.eccn``: 4E091 model weights), the plant's
U.S.-origin inputs (``production.plant_direct_product_of``: the rule has only a plant route),
the export date and ``settings.ai_diffusion``. BIS announced on 2025-05-13 that it will not
enforce the AI Diffusion rule: "as enforced" (the default) the rule reaches no destination;
"as written" it reaches every destination.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.ear.case import Case
from compliance.ear.fdp.base import EvalContext, FdpResult, Outcome, build_result
from compliance.ear.fdp.prongs import (
    both,
    export_date_of,
    fixed,
    in_list,
    item_in,
    plant_product,
    settings_of,
    to_scope,
)
from compliance.ear.settings import AI_DIFFUSION_EFFECTIVE, ai_diffusion_applies

ITEMS: tuple[str, ...] = ("4E091",)


@dataclass(frozen=True)
class AiModelWeightsRule:
    rule_id: str = "734.9(l)"
    title: str = "AI model weights FDP rule"
    citation: str = "15 CFR 734.9(l)"
    license_citations: tuple[str, ...] = ("15 CFR 742.6(a)(13)",)

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult:
        product = both(
            item_in(case, in_list(ITEMS), "4E091 (AI model weights)"),
            plant_product(
                case,
                lambda e: True,
                "U.S.-origin technology/software of any classification (plant route only)",
            ),
        )
        on = export_date_of(ctx, case)
        used = ("settings.ai_diffusion", "export_date")
        if ai_diffusion_applies(settings_of(ctx, case), on):
            dest = fixed(
                Outcome.MET,
                "AI Diffusion text applied ('as written'): 734.9(l) reaches every destination",
                used,
            )
        elif on < AI_DIFFUSION_EFFECTIVE:
            dest = fixed(
                Outcome.NOT_MET,
                f"export date {on.isoformat()} is before 90 FR 4544 took effect (2025-01-13)",
                used,
            )
        else:
            dest = fixed(
                Outcome.NOT_MET,
                "'as enforced': BIS announced on 2025-05-13 that it will not enforce the AI "
                "Diffusion rule, so 734.9(l) reaches no destination (settings.ai_diffusion)",
                used,
            )
        return build_result(
            rule_id=self.rule_id,
            title=self.title,
            citation=self.citation,
            product=to_scope(product, "15 CFR 734.9(l)(1)"),
            destination=to_scope(dest, "15 CFR 734.9(l)(2)"),
            license_citations=self.license_citations,
        )


RULE = AiModelWeightsRule()
