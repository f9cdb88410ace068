"""Structural rules of the ALTO v4 schema, checked on the corrected ALTO that reissue writes.

No package on PyPI ships the ALTO XSD (ocrd-validators ships PAGE and METS only), so the tests
check the rules of alto-4-2.xsd that a writer can break, one by one: namespace, element order where
the schema fixes it, required attributes, ID uniqueness and IDREF targets, attribute value types, and
the hyphenation pairs (``HypPart1``/``HypPart2`` with one ``SUBS_CONTENT``, ``HYP`` last in its line).
"""

from __future__ import annotations

import re

ALTO4 = "http://www.loc.gov/standards/alto/ns-v4#"
N = "{" + ALTO4 + "}"

# xsd:sequence of the parents whose children the schema orders (names in order; others must not occur)
ORDER = {
    "alto": ["Description", "Styles", "Tags", "Layout"],
    "Description": ["MeasurementUnit", "sourceImageInformation", "OCRProcessing", "Processing"],
    "Processing": ["processingDateTime", "processingAgency", "processingStepDescription",
                   "processingStepSettings", "processingSoftware"],
    "processingSoftware": ["softwareCreator", "softwareName", "softwareVersion", "applicationDescription"],
    "String": ["Shape", "ALTERNATIVE", "Glyph"],
    "Page": ["TopMargin", "LeftMargin", "RightMargin", "BottomMargin", "PrintSpace"],
}
REQUIRED = {"Page": ("ID", "PHYSICAL_IMG_NR"), "TextBlock": ("ID",), "ComposedBlock": ("ID",),
            "Illustration": ("ID",), "GraphicalElement": ("ID",), "String": ("CONTENT",), "HYP": ("CONTENT",),
            "StructureTag": ("ID",), "LayoutTag": ("ID",), "NamedEntityTag": ("ID",), "OtherTag": ("ID",),
            "RoleTag": ("ID",), "TextStyle": ("ID",), "ParagraphStyle": ("ID",)}
FLOATS = ("HPOS", "VPOS", "WIDTH", "HEIGHT")
NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


def _local(el) -> str:
    return el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""


def alto_problems(root) -> list[str]:
    """Every breach of the structural rules in an ALTO v4 tree (an empty list when there is none)."""
    out: list[str] = []
    if root.tag != N + "alto":
        return [f"root is {root.tag}, not {N}alto"]
    ids: dict[str, int] = {}
    refs: list[tuple[str, str]] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = _local(el)
        where = f"{name} {el.get('ID') or ''} (line {el.sourceline})"
        if el.tag.startswith("{") and not el.tag.startswith(N) and not el.tag.startswith("{http://www.w3.org/"):
            # foreign elements are allowed only inside xmlData-like extension points
            if not any(_local(a) in ("xmlData", "MetadataItem", "Description", "Tags") for a in el.iterancestors()):
                out.append(f"{where}: foreign element outside an extension point")
            continue
        for a in REQUIRED.get(name, ()):
            if not el.get(a):
                out.append(f"{where}: required attribute {a} missing")
        i = el.get("ID")
        if i is not None:
            if not NCNAME.match(i):
                out.append(f"{where}: ID {i!r} is no NCName")
            ids[i] = ids.get(i, 0) + 1
        for a in ("TAGREFS", "STYLEREFS"):
            for r in (el.get(a) or "").split():
                refs.append((where, r))
        for a in FLOATS:
            v = el.get(a)
            if v is not None:
                try:
                    float(v)
                except ValueError:
                    out.append(f"{where}: {a}={v!r} is no number")
        wc = el.get("WC")
        if wc is not None:
            try:
                if not 0.0 <= float(wc) <= 1.0:
                    out.append(f"{where}: WC={wc} outside 0..1")
            except ValueError:
                out.append(f"{where}: WC={wc!r} is no number")
        if name == "String":
            content = el.get("CONTENT")
            if content is not None and content == "":
                out.append(f"{where}: empty CONTENT")
            st = el.get("SUBS_TYPE")
            if st is not None and st not in ("HypPart1", "HypPart2", "Abbreviation"):
                out.append(f"{where}: SUBS_TYPE={st!r}")
            if st in ("HypPart1", "HypPart2") and not el.get("SUBS_CONTENT"):
                out.append(f"{where}: {st} without SUBS_CONTENT")
        if name == "TextLine":
            kids = [_local(k) for k in el if isinstance(k.tag, str)]
            body = [k for k in kids if k != "Shape"]
            if kids and "Shape" in kids and kids[0] != "Shape":
                out.append(f"{where}: Shape is not first")
            if "HYP" in body and (body.count("HYP") > 1 or body[-1] != "HYP"):
                out.append(f"{where}: HYP is not the last child of its line")
            if any(k not in ("String", "SP", "HYP") for k in body):
                out.append(f"{where}: unexpected children {sorted(set(body) - {'String', 'SP', 'HYP'})}")
            if body and body[0] == "SP":
                out.append(f"{where}: starts with SP")
            if not any(k == "String" for k in body):
                out.append(f"{where}: no String")
        order = ORDER.get(name)
        if order:
            pos = [order.index(_local(k)) if _local(k) in order else -1 for k in el if isinstance(k.tag, str)]
            if any(p < 0 for p in pos):
                bad = sorted({_local(k) for k in el if isinstance(k.tag, str) and _local(k) not in order})
                out.append(f"{where}: children {bad} not allowed here")
            elif pos != sorted(pos):
                out.append(f"{where}: children out of the schema's order {[_local(k) for k in el]}")
    out += [f"ID {i!r} used {n} times" for i, n in ids.items() if n > 1]
    out += [f"{where}: reference {r!r} points at no ID" for where, r in refs if r not in ids]
    # hyphenation pairs: a HypPart1 ends its line (before HYP), the next String of the text is its HypPart2
    strings = [s for s in root.iter(N + "String")]
    for k, s in enumerate(strings):
        if s.get("SUBS_TYPE") == "HypPart1":
            nxt = strings[k + 1] if k + 1 < len(strings) else None
            if nxt is None or nxt.get("SUBS_TYPE") != "HypPart2" or nxt.get("SUBS_CONTENT") != s.get("SUBS_CONTENT"):
                out.append(f"String {s.get('ID')}: HypPart1 without its HypPart2")
            line_strings = [x for x in s.getparent() if _local(x) == "String"]
            if line_strings[-1] is not s:
                out.append(f"String {s.get('ID')}: HypPart1 is not the last word of its line")
    return out
