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
from compliance.ear.fdp.base import EvalContext, FdpResult, Outcome
from compliance.ear.fdp.prongs import (
    both,
    export_date_of,
    fixed,
    in_list,
    item_in,
    plant_product,
    rule_result,
    settings_of,
)
from compliance.ear.settings import (
    AI_DIFFUSION_EFFECTIVE,
    AI_DIFFUSION_NON_ENFORCEMENT,
    ai_diffusion_applies,
)

ITEMS: tuple[str, ...] = ("4E091",)


@dataclass(frozen=True)
class AiModelWeightsRule:
    """15 CFR 734.9(l): AI Diffusion, 90 FR 4544 (effective 2025-01-13)."""

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
                f"export date {on.isoformat()} is before 90 FR 4544 took effect "
                f"({AI_DIFFUSION_EFFECTIVE})",
                used,
            )
        else:
            dest = fixed(
                Outcome.NOT_MET,
                f"'as enforced': BIS announced on {AI_DIFFUSION_NON_ENFORCEMENT} that it will not "
                "enforce the AI Diffusion rule, so 734.9(l) reaches no destination "
                "(settings.ai_diffusion)",
                used,
            )
        return rule_result(self, product, dest)


RULE = AiModelWeightsRule()
