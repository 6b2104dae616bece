#!/usr/bin/env python3
"""Fails when a Rust crate's modules import each other in a circle.

Usage: module-cycles.py crates/NAME/src ...   (run by `make lint`)

Each .rs file is a module; `crate::a::b`, `super::...` and `self::...` paths in its code (not in
its `#[cfg(test)] mod tests`, nor in comments) are edges to the deepest module file they name.
Edges to one's own ancestors are left out: a `mod.rs` that re-exports its children is not a
circle. Each circle is printed with its edges, and the exit status is 1.
"""
import os
import re
import sys

USE = re.compile(r'\b(crate|super|self)((?:::[A-Za-z_][A-Za-z0-9_]*)+)')


def modules(root):
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith('.rs'):
                path = os.path.join(folder, name)
                parts = os.path.relpath(path, root)[:-3].split('/')
                if parts[-1] in ('mod', 'lib', 'main'):
                    parts = parts[:-1]
                found[tuple(parts)] = path
    return found


def edges(found):
    graph = {module: set() for module in found}
    for module, path in found.items():
        source = open(path, encoding='utf-8').read()
        cut = source.find('#[cfg(test)]\nmod tests')
        if cut >= 0:
            source = source[:cut]
        source = re.sub(r'//[^\n]*', '', source)
        for match in USE.finditer(source):
            head, tail = match.group(1), [t for t in match.group(2).split('::') if t]
            base = [] if head == 'crate' else list(module) if head == 'self' else list(module[:-1])
            while head == 'super' and tail and tail[0] == 'super':
                tail, base = tail[1:], base[:-1]
            names = base + tail
            target = next((tuple(names[:i]) for i in range(len(names), 0, -1) if tuple(names[:i]) in found), None)
            if target and target != module and module[: len(target)] != target:
                graph[module].add(target)
    return graph


def circles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(component)

    sys.setrecursionlimit(10_000)
    for v in graph:
        if v not in index:
            visit(v)
    return found


def main(roots):
    failed = False
    for root in roots:
        graph = edges(modules(root))
        for component in circles(graph):
            failed = True
            print(f'{root}: modules in a circle: ' + ', '.join(sorted('::'.join(m) for m in component)))
            for a in sorted(component):
                for b in sorted(graph[a]):
                    if b in component:
                        print(f"    {'::'.join(a)} -> {'::'.join(b)}")
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:] or ['crates/server/src']))
