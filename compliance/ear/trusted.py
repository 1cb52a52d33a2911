"""Build frozen pydantic models from values the engine has already validated.

The engine assembles hundreds of small result models per case (one per BOM line, scope and
rule) from fields that are already typed: the case was validated on input and the rest comes
from the engine's own constants. Re-validating them was a tenth of a determination's time.
``trusted`` skips validation, so a caller must pass every field, already of its declared type
(a field left out fails loudly at serialisation). Only engine-internal results use it; input
models (Case and its parts) are always validated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["trusted", "trusted_from", "trusted_many"]

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
# BaseModel keeps its state in slots; their descriptors set it without attribute lookup.
_slots: dict[str, Any] = dict(BaseModel.__dict__)
_set_dict = _slots["__dict__"].__set__
_set_fields_set = _slots["__pydantic_fields_set__"].__set__
_set_extra = _slots["__pydantic_extra__"].__set__
_set_private = _slots["__pydantic_private__"].__set__


def trusted_from(cls: type[M], fields: dict[str, Any]) -> M:
    """``cls(**fields)`` without validation; ``fields`` (every field of ``cls``) is kept."""
    obj = _new(cls)
    _set_dict(obj, fields)
    _set_fields_set(obj, set(fields))
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


def trusted(cls: type[M], **fields: Any) -> M:
    """``cls(**fields)`` without validation; every field of ``cls`` must be given."""
    return trusted_from(cls, fields)


def trusted_many(cls: type[M], rows: Iterable[dict[str, Any]]) -> tuple[M, ...]:
    """``trusted_from`` over many rows of one class, in one loop (a BOM has hundreds)."""
    names = set(cls.model_fields)
    out: list[M] = []
    append = out.append
    for fields in rows:
        obj = _new(cls)
        _set_dict(obj, fields)
        _set_fields_set(obj, names.copy())  # every row carries every field
        _set_extra(obj, None)
        _set_private(obj, None)
        append(obj)
    return tuple(out)
