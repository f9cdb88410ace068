"""No import loops among the modules of src/reissue (read with ast, imports inside functions too)."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "reissue"


def module_graph(root: Path = SRC) -> dict[str, set[str]]:
    mods = {}
    for p in root.rglob("*.py"):
        name = ".".join(("reissue",) + p.relative_to(root).with_suffix("").parts)
        mods[name.removesuffix(".__init__")] = p
    graph = {m: set() for m in mods}
    for m, p in mods.items():
        pkg = m if p.name == "__init__.py" else m.rpartition(".")[0]
        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(n, ast.ImportFrom):
                base = pkg.split(".")[:len(pkg.split(".")) - (n.level - 1)] if n.level else []
                mod = ".".join(base + ([n.module] if n.module else []))
                subs = [f"{mod}.{a.name}" for a in n.names if f"{mod}.{a.name}" in mods]
                targets = subs if len(subs) == len(n.names) else [mod] + subs
            elif isinstance(n, ast.Import):
                targets = [a.name for a in n.names]
            else:
                continue
            graph[m].update(t for t in targets if t in mods and t != m)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_loops():
    graph = module_graph()
    assert "reissue.edition" in graph and "reissue.model" in graph["reissue.edition"]
    assert cycles(graph) == []


def test_the_checker_finds_a_loop():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
