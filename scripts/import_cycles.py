#!/usr/bin/env python3
"""Lists import circles between the source files of the crate: file A uses a name of file B
that (directly or through others) uses a name of A. A module and the files of its own
submodules may use each other (`mod.rs` declares them, they take helpers from `super`);
every other circle is a design error (arrows point down: app/cli -> edit/analysis ->
model/io -> leaves). Exit status 1 when a circle exists.

Reads `use crate::…`, `use super::…` and inline `crate::a::b::` paths as text; a path is
resolved to the deepest source file it names (`crate::app::views::table::TableView` ->
src/app/views/table.rs).

    python3 scripts/import_cycles.py [SRC_DIR]
"""

import re
import sys
from pathlib import Path

SRC = Path(sys.argv[1] if len(sys.argv) > 1 else "src")


def module_path(file: Path) -> tuple:
    rel = file.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


files = {module_path(f): f for f in SRC.rglob("*.rs")}


# `pub use child::Name` in a module: the name really lives in the child's file, so an
# import of `module::Name` is an arrow to the child (else a circle through a re-export
# would hide, as model/layer.rs -> index.rs -> model::Feature once did).
REEXPORT = re.compile(r"pub use (?:self::)?(\w+)::(\{[^;]*\}|\w+);", re.S)
reexports = {}
for mod, file in files.items():
    text = file.read_text(encoding="utf-8")
    for child, names in REEXPORT.findall(text):
        if mod + (child,) not in files:
            continue
        for name in re.findall(r"\w+", names):
            reexports[(mod, name)] = mod + (child,)


def resolve(parts: tuple):
    """The source file that defines what `parts` names: the deepest module that is a file,
    or the child file a name is re-exported from."""
    for n in range(len(parts), 0, -1):
        if parts[:n] in files:
            found = parts[:n]
            while n < len(parts) and (found, parts[n]) in reexports:
                found = reexports[(found, parts[n])]
                n += 1
            return found
    return None


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.split("//")[0] for line in text.splitlines())


def test_free(text: str) -> str:
    """Drops `#[cfg(test)] mod tests { … }` blocks: tests may use anything."""
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


PATH = re.compile(r"\b(crate|super)((?:::\w+)+)")
GROUP = re.compile(r"\b(crate|super)((?:::\w+)*)::\{([^;]*?)\};", re.S)

edges = {m: set() for m in files}
for mod, file in files.items():
    text = test_free(strip_comments(file.read_text(encoding="utf-8")))

    def base_of(root: str) -> tuple:
        # `super` is the parent of this file's module, whether the file is `x.rs` or
        # `x/mod.rs`.
        return () if root == "crate" else mod[:-1]

    targets = []
    for root, prefix, group in GROUP.findall(text):
        base = base_of(root) + tuple(p for p in prefix.split("::") if p)
        for item in re.split(r",", group):
            item = item.strip().split(" as ")[0]
            names = tuple(p for p in item.replace("{", "").replace("}", "").split("::") if p and p != "self")
            targets.append(base + names)
    for root, rest in PATH.findall(GROUP.sub("", text)):
        parts = [p for p in rest.split("::") if p]
        base = base_of(root)
        while parts and parts[0] == "super":
            base, parts = base[:-1], parts[1:]
        targets.append(base + tuple(parts))
    for t in targets:
        target = resolve(t)
        if target is None or target == mod:
            continue
        # A module and its own submodules may use each other.
        if target[: len(mod)] == mod or mod[: len(target)] == target:
            continue
        edges[mod].add(target)

# Tarjan's strongly connected components.
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges[v]:
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
            sccs.append(comp)


sys.setrecursionlimit(10_000)
for v in sorted(files):
    if v not in index:
        visit(v)

name = lambda m: str(files[m])
if sccs:
    for comp in sccs:
        members = set(comp)
        print("import circle:")
        for m in sorted(comp):
            for t in sorted(edges[m] & members):
                print(f"  {name(m)} -> {name(t)}")
    sys.exit(1)
print(f"no import circle among {len(files)} files")
