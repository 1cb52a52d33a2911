"""``POST /v1/evaluate``: an EAR case (``compliance.ear.Case``) -> ``Determination``.

The case's parties are screened with the screener in use (Entity List footnotes feed the
foreign-direct product rules, 15 CFR 734.9(e)); the determination carries every citation.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from compliance.ear.case import Case, parse_json
from compliance.ear.determination import Determination, evaluate
from compliance.errors import InvalidInputError
from compliance.screening.screener import Screener
from compliance.service.errors import ERROR_RESPONSES
from compliance.service.routers.common import with_screener
from compliance.service.security import require
from compliance.users import Principal

router = APIRouter(prefix="/v1", tags=["ear"], responses=ERROR_RESPONSES)


@router.post("/evaluate", response_model=Determination)
async def evaluate_case(
    case: Case, request: Request, _: Annotated[Principal, Depends(require("evaluate"))]
) -> Determination:
    """Decide whether the item is subject to the EAR and what license requirement follows."""
    case = await _as_case_file(request)
    request.state.party_count = len(case.parties)

    def run(screener: Screener) -> Determination:
        try:
            return evaluate(case, screener=screener)
        except InvalidInputError:
            raise
        except ValueError as exc:  # reference data cannot answer for this case
            raise InvalidInputError(f"cannot evaluate: {exc}") from exc

    return await with_screener(request, run)


async def _as_case_file(request: Request) -> Case:
    """The case as a case file reads it (``compliance.ear.case.parse_json``): a key given twice
    is an error, not "the last one wins", and numbers are exact decimals, not floats, so the
    same case gets the same determination through every door. FastAPI has already checked
    the body against the model (and the OpenAPI schema comes from that); this second read
    only refuses what FastAPI accepts silently and keeps every digit."""
    body = await request.body()
    try:
        data = parse_json(body.decode("utf-8").removeprefix("\ufeff"))
    except (UnicodeDecodeError, RecursionError) as exc:  # pragma: no cover - FastAPI refused it
        raise InvalidInputError(f"body: not JSON text in UTF-8 ({exc})") from exc
    except ValueError as exc:
        raise InvalidInputError(f"body: {exc}") from exc
    return Case.model_validate(data)
