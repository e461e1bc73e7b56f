#!/usr/bin/env python3
"""The house's rules over `src/`, read from the source text (no build needed):

1. No import cycle between sibling modules at any level (`core::a` <-> `core::b`,
   `ui::screen::x` <-> `ui::screen::y`, and through longer rings). A module may use its parent's
   items and its children's; a use between siblings is an edge, and a ring of edges fails.
2. `core` never imports iced (any `iced` or `iced_*` crate) and never imports the lab.

It reads `use` lines and inline paths (`crate::…`, `super::…`, `self::…`), follows the
`pub use` re-exports of a module to the module that defines the item, and names every edge of a
ring with a file and line where it happens. Exit status 1 on a finding.
"""

import os
import re
import sys
from collections import defaultdict

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def strip_comments_and_strings(text):
    """Blanks comments, string and char literals, keeping line numbers."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not re.match(r"\w", text[i - 1])):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            end = '"' + hashes
            j = text.find(end, i + 2 + len(hashes))
            j = n if j < 0 else j + len(end)
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j += 1
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:i + 4] if text[i + 1:i + 2] != "\\" else text[i:i + 12]):
            m = re.match(r"'(\\[^']*|[^\\'])'", text[i:])
            out.append("' '")
            i += len(m.group(0))
        else:
            out.append(c)
            i += 1
    return "".join(out)


def module_of(path):
    rel = os.path.relpath(path, SRC)
    parts = rel[:-3].split(os.sep)
    if parts[0] in ("bin",) or rel in ("main.rs",):
        return None
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return tuple(parts)


def expand_use(tree):
    """`a::{b, c::{d, e}}` -> ["a::b", "a::c::d", "a::c::e"]."""
    tree = re.sub(r"\s+as\s+" + IDENT, "", tree)
    tree = re.sub(r"\s+", "", tree)
    depth, start = 0, None
    for k, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                start = k
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                prefix = tree[:start]
                inner = tree[start + 1:k]
                items, d, last = [], 0, 0
                for m, c2 in enumerate(inner):
                    if c2 == "{":
                        d += 1
                    elif c2 == "}":
                        d -= 1
                    elif c2 == "," and d == 0:
                        items.append(inner[last:m])
                        last = m + 1
                items.append(inner[last:])
                result = []
                for it in items:
                    if it:
                        result.extend(expand_use(prefix + it))
                return result
    return [tree]


def main():
    files = {}
    for root, _, names in os.walk(SRC):
        for name in names:
            if name.endswith(".rs"):
                path = os.path.join(root, name)
                mod = module_of(path)
                if mod is not None:
                    files[path] = mod
    modules = set(files.values())
    # Inline `mod name {` blocks: (path) -> [(line, module)]
    inline = {}
    texts = {}
    for path, mod in files.items():
        with open(path, encoding="utf-8") as f:
            text = strip_comments_and_strings(f.read())
        texts[path] = text
        blocks = []
        for m in re.finditer(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(" + IDENT + r")\s*\{", text, re.M):
            line = text.count("\n", 0, m.start()) + 1
            blocks.append((line, mod + (m.group(1),)))
            modules.add(mod + (m.group(1),))
        inline[path] = blocks

    def scope(path, line):
        mod = files[path]
        for start, m in inline[path]:
            if line >= start:
                mod = m
        return mod

    def absolute(raw, here):
        segs = raw.split("::")
        if segs[0] == "crate":
            return tuple(segs[1:])
        cur = list(here)
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                cur = cur[:-1]
            segs = segs[1:]
        return tuple(cur) + tuple(segs)

    # Re-exports: module -> name -> absolute path of the item.
    reexports = defaultdict(dict)
    for path, text in texts.items():
        for m in re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", text):
            line = text.count("\n", 0, m.start()) + 1
            here = scope(path, line)
            for item in expand_use(m.group(1)):
                if item.startswith(("crate::", "super::", "self::")) or item.split("::")[0] in {
                    s[len(here)] for s in modules if len(s) > len(here) and s[:len(here)] == here
                }:
                    if not item.startswith(("crate::", "super::", "self::")):
                        item = "self::" + item
                    target = absolute(item, here)
                    reexports[here][target[-1]] = target

    def defining_module(target):
        for _ in range(8):
            k = len(target)
            while k > 0 and target[:k] not in modules:
                k -= 1
            mod = target[:k]
            if k < len(target) and target[k] in reexports.get(mod, {}):
                new = reexports[mod][target[k]] + target[k + 1:]
                if new == target:
                    return mod
                target = new
                continue
            return mod
        return mod

    edges = defaultdict(dict)  # parent -> {(a, b): "file:line"}
    problems = []
    for path, text in texts.items():
        mod = files[path]
        rel = os.path.relpath(path, os.path.join(SRC, ".."))
        found = []
        for m in re.finditer(r"\buse\s+([^;]+);", text):
            line = text.count("\n", 0, m.start()) + 1
            for item in expand_use(m.group(1)):
                found.append((line, item))
        for m in re.finditer(r"(?<![\w:])((?:crate|super|self)(?:::" + IDENT + r")+)", text):
            line = text.count("\n", 0, m.start()) + 1
            found.append((line, m.group(1)))
        if mod[:1] == ("core",):
            for m in re.finditer(r"(?<![\w:])(iced(?:_\w+)?)::", text):
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{rel}:{line}: core uses {m.group(1)}")
        for line, item in found:
            first = item.split("::")[0]
            if mod[:1] == ("core",):
                if first == "iced" or first.startswith("iced_"):
                    problems.append(f"{rel}:{line}: core imports {first}")
                if item.startswith("crate::lab") or item.startswith("crate::ui"):
                    problems.append(f"{rel}:{line}: core imports {item}")
            if first not in ("crate", "super", "self"):
                continue
            here = scope(path, line)
            target = defining_module(absolute(item, here))
            k = 0
            while k < len(here) and k < len(target) and here[k] == target[k]:
                k += 1
            if k < len(here) and k < len(target):
                parent = here[:k]
                pair = (here[k], target[k])
                edges[parent].setdefault(pair, f"{rel}:{line} ({item})")

    for parent, pairs in sorted(edges.items()):
        graph = defaultdict(set)
        for a, b in pairs:
            graph[a].add(b)
        for ring in strongly_connected(graph):
            if len(ring) < 2:
                continue
            name = "::".join(parent) or "crate"
            lines = [f"import cycle among {name}::{{{', '.join(sorted(ring))}}}:"]
            for (a, b), where in sorted(pairs.items()):
                if a in ring and b in ring:
                    lines.append(f"  {a} -> {b}  at {where}")
            problems.append("\n".join(lines))

    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"modules: {len(modules)} checked, no import cycle, core imports neither iced nor the lab")


def strongly_connected(graph):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    nodes = set(graph) | {b for bs in graph.values() for b in bs}

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            out.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    main()
