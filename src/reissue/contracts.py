"""Stage contracts: what each pipeline stage requires of a Document and what it assigns to it.

A stage is declared where it is defined, the way spaCy components are::

    @stage("reflow", requires=("page.furniture", "doc.footnotes"),
           assigns=("doc.paragraphs", "paragraph.kind"))
    def reflow(doc, lang="auto"): ...

Calling a declared stage checks its contract first (:func:`check`):

* a stage that has already run on the Document (its name is in ``doc.stages``) is refused, unless it
  is declared ``repeatable``: running ``reflow`` twice would cut every paragraph again and record
  edits over edits, and the edition would no longer rebuild its raw text;
* a requirement no stage of ``doc.stages`` assigns is refused (``notes`` before ``furniture``).

After the stage ran, its name is recorded in ``doc.stages`` (if the stage did not do so itself) and
its parameters (the call's arguments, with defaults, that JSON can hold) are frozen into
``doc.parameters[name]``, below whatever the stage recorded there itself; both are written to
``edition.json`` (``generator.stages``, ``generator.parameters``).

:func:`check_plan` checks a whole pipeline (a list of stage names) statically before anything runs.
This module imports no stage module (stages import it), so there is no import loop.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .errors import StageError


@dataclass(frozen=True)
class StageSpec:
    name: str
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    repeatable: bool = False
    func: Callable | None = field(default=None, compare=False)


REGISTRY: dict[str, StageSpec] = {}


def declare(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = (),
            repeatable: bool = False, func: Callable | None = None) -> StageSpec:
    """Register the contract of stage ``name`` (for a stage that is not a ``Document -> Document``
    function, e.g. ingest); returns it."""
    spec = StageSpec(name, tuple(requires), tuple(assigns), repeatable, func)
    old = REGISTRY.get(name)
    if old is not None and (old.requires, old.assigns, old.repeatable) != (spec.requires, spec.assigns,
                                                                           spec.repeatable):
        raise StageError(f"stage {name!r} is declared twice with different contracts",
                         hint="give the new stage another name")
    REGISTRY[name] = spec
    return spec


def provided(stages: Iterable[str]) -> set[str]:
    """Everything the stages named (in ``doc.stages``) assign."""
    out: set[str] = set()
    for s in stages:
        spec = REGISTRY.get(s)
        if spec is not None:
            out.update(spec.assigns)
    return out


def check(doc, name: str) -> StageSpec:
    """Raise StageError unless stage ``name`` may run on ``doc`` now."""
    spec = REGISTRY.get(name)
    if spec is None:
        raise StageError(f"no stage named {name!r}", hint="known stages: " + ", ".join(sorted(REGISTRY)))
    done = list(getattr(doc, "stages", []) or [])
    if name in done and not spec.repeatable:
        raise StageError(f"stage {name!r} has already run on this document (stages so far: "
                         f"{', '.join(done)}); running it again would change its own results and the "
                         "edition would no longer rebuild its raw text",
                         hint="build the document again from its pages")
    missing = [r for r in spec.requires if r not in provided(done)]
    if missing:
        givers = sorted({s.name for s in REGISTRY.values() for r in missing if r in s.assigns})
        raise StageError(f"stage {name!r} requires {', '.join(missing)}, which no stage run so far "
                         f"assigns (stages so far: {', '.join(done) or 'none'})",
                         hint=f"run {' or '.join(givers) or 'the stage that assigns it'} first")
    return spec


def check_plan(names: Iterable[str], done: Iterable[str] = ()) -> None:
    """Check a pipeline before it runs: every stage known, none twice, each requirement assigned by
    a stage before it (in ``done`` or earlier in ``names``)."""

    class _Plan:  # a stand-in Document whose only state is its stage list
        stages: list[str]

    plan = _Plan()
    plan.stages = list(done)
    for n in names:
        check(plan, n)
        plan.stages.append(n)


def _frozen(v):
    """A parameter value as JSON holds it, or ``_SKIP`` (objects such as a loaded model)."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (tuple, list)) and all(x is None or isinstance(x, (bool, int, float, str)) for x in v):
        return list(v)
    return _SKIP


_SKIP = object()


def stage(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = (),
          repeatable: bool = False):
    """Declare a ``Document -> Document`` function as pipeline stage ``name`` (see the module doc)."""

    def wrap(func: Callable) -> Callable:
        sig = inspect.signature(func)

        @functools.wraps(func)
        def run(doc, *args, **kwargs):
            check(doc, name)
            out = func(doc, *args, **kwargs)
            if name not in doc.stages:
                doc.stages.append(name)
            try:
                bound = sig.bind(doc, *args, **kwargs)
                bound.apply_defaults()
            except TypeError:  # pragma: no cover - the call itself would have failed
                return out
            params = {k: _frozen(v) for k, v in list(bound.arguments.items())[1:]}
            params = {k: v for k, v in params.items() if v is not _SKIP}
            if params:
                doc.parameters[name] = params | dict(doc.parameters.get(name) or {})
            return out

        run.contract = declare(name, requires=requires, assigns=assigns, repeatable=repeatable, func=run)
        return run

    return wrap
