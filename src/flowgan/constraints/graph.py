"""A directed graph of 'comes before' edges between columns, with reachability."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class Graph:
    """Directed graph of edges between columns: 'must be computed before' in an enforcement plan,
    'is held at or below' among guaranteed orderings."""

    edges: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def reaches(self, start: str, goal: str) -> bool:
        stack, seen = [start], {start}
        while stack:
            node = stack.pop()
            if node == goal:
                return True
            for nxt in self.edges[node]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False

    def can_add(self, sources: tuple[str, ...], target: str) -> bool:
        return not any(self.reaches(target, s) for s in sources)

    def add(self, sources: tuple[str, ...], target: str) -> None:
        for s in sources:
            self.edges[s].add(target)
