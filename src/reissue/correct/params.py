"""The corrector's decoding parameters: frozen, typed, validated.

``model.DEFAULT_PARAMS`` documents each one and gives its default; a language (``languages.py``) and
then a model file's ``params`` may override them. A key that is not a parameter, or a value of the
wrong type, is an error (a misspelt key in a model file must not be ignored silently). The parameters
are a frozen dataclass: read them as ``P.threshold`` or ``P["threshold"]``; ``P.replace(x=...)`` makes
a changed copy.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Mapping

# parameters whose default is None (or a list) and what else they may be
_OPTIONAL = {"merge_single": bool, "single_char": bool, "clean_oov": float, "noisy_oov": float, "noisy_threshold": float, "explained_min_post": float, "explained_mark_min_post": float, "split3_lp": float,
             "split_correct_lp": float, "merge_correct_max_p": float, "merge_gap_lp": float,
             "name_edit_threshold": float, "edit_distance_threshold": float, "fallback_weak_lp": float,
             "known_edit_threshold": float, "deepest_min_path_lp": float,
             "hyphen_space_min_p": float, "hyphen_kept_lp": float, "derive_min_stem": int,
             "mark_letter_lp": float, "known_fallback_threshold": float, "foreign_min_words": int,
             "inner_mark_lp": float, "merge_context_weight": float,
             "merge_yield_max_p": float, "lost_hyphen_min_p": float, "long_s_evidence": int,
             "frequent_deep_p": float, "second_look": int,
             "lowered_min_share": float}


def _kind(name: str, default: Any) -> type:
    if name in _OPTIONAL:
        return _OPTIONAL[name]
    if isinstance(default, bool):
        return bool
    if isinstance(default, int):
        return int
    if isinstance(default, float):
        return float
    if isinstance(default, (list, tuple)):
        return tuple
    raise TypeError(f"parameter {name}: no type for a default of {default!r}")


def _check(name: str, kind: type, value: Any) -> Any:
    """The value as its parameter's type, or a ValueError saying what is wrong."""
    if value is None and name in _OPTIONAL:
        return None
    if kind is bool:
        if isinstance(value, bool):
            return value
    elif kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif kind is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif kind is tuple:
        if isinstance(value, (list, tuple)) and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                    for x in value):
            return tuple(float(x) for x in value)
    raise ValueError(f"parameter {name} must be {kind.__name__}{' or null' if name in _OPTIONAL else ''}, "
                     f"not {value!r}")


def make_params_class(defaults: Mapping[str, Any]) -> type:
    """A frozen dataclass with one typed field per default parameter."""
    kinds = {k: _kind(k, v) for k, v in defaults.items()}
    fields = [(k, kinds[k] if k not in _OPTIONAL else (kinds[k] | None),
               dataclasses.field(default=(tuple(v) if isinstance(v, list) else v)))
              for k, v in defaults.items()]

    def replace(self, **changes: Any):
        return build(self, changes)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    cls = dataclasses.make_dataclass("Params", fields, frozen=True, slots=True,
                                     namespace={"__getitem__": object.__getattribute__, "replace": replace,
                                                "as_dict": as_dict, "KINDS": kinds})
    cls.__module__ = __name__
    cls.__doc__ = "The corrector's decoding parameters (see reissue.correct.model.DEFAULT_PARAMS)."

    def build(base, changes: Mapping[str, Any]):
        unknown = sorted(set(changes) - set(kinds))
        if unknown:
            raise ValueError(f"unknown parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")
        values = dataclasses.asdict(base) if base is not None else {}
        values.update({k: _check(k, kinds[k], v) for k, v in changes.items()})
        return cls(**values)

    cls.build = staticmethod(lambda *layers: _layered(build, layers))
    return cls


def _layered(build, layers):
    p = build(None, {})
    for layer in layers:
        if layer:
            p = build(p, layer)
    return p
