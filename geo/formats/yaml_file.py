"""Trip files in YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from geo.errors import GeoError

__all__ = ["read_yaml"]


# libyaml's parser when PyYAML was built with it (ten times faster), else the pure-Python one.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """SafeLoader that leaves dates as text.

    PyYAML turns ``2024-06-10T14:30:00+05:00`` into a naive UTC datetime, losing the offset the
    user wrote; :mod:`geo.schema` parses dates itself, keeping local times and offsets.
    """


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _Base.yaml_implicit_resolvers.items()
}


def _no_duplicates(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key_node, yaml.ScalarNode):
            # `? [a, b]` makes a list or mapping a key: unhashable, and no key of a trip file
            # (found by fuzzing: it was a TypeError traceback).
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"a {'list' if isinstance(key_node, yaml.SequenceNode) else 'mapping'} used as "
                "a key; keys are names such as `place`",
                key_node.start_mark,
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


# Aliases may repeat a value, not multiply a file: a 400-byte "billion laughs" expands to
# billions of values. A document may expand to this many times its own nodes, plus a margin.
ALIAS_GROWTH = 10
ALIAS_MARGIN = 10_000


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """How many nodes the document has once every alias is expanded, counting up to just past
    ``limit``; each distinct node is visited once (aliases share nodes), so this is cheap even
    for a bomb. A node that contains itself counts as past any limit."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            return limit + 1  # recursive: infinite once expanded
        active.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total = min(total + size(child), limit + 1)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total = min(total + size(k) + size(v), limit + 1)
        active.discard(key)
        sizes[key] = total
        return total

    return size(root)


def _distinct_nodes(root: yaml.Node) -> int:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(x for pair in node.value for x in pair)
    return len(seen)


def _load(text: str, path: Path) -> Any:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        limit = ALIAS_GROWTH * _distinct_nodes(node) + ALIAS_MARGIN
        if _expanded_size(node, limit) > limit:
            raise GeoError(
                f"{path}: YAML aliases (*name) expand to more than {limit:,} values; a trip "
                "file repeats a value with an alias at most a few times: write the values out"
            )
        return loader.construct_document(node)
    finally:
        loader.dispose()


def read_yaml(path: Path) -> Any:
    """Parse a YAML trip file; a syntax error names the file, line and column, and aliases that
    expand far beyond the file's size are refused."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise GeoError(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    except OSError as exc:
        raise GeoError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return _load(text, path)
    except RecursionError:
        raise GeoError(f"{path}: YAML nested too deeply; a trip is a few levels deep") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise GeoError(f"{where}: YAML syntax error: {exc.problem}; fix the line") from None
    except yaml.YAMLError as exc:
        raise GeoError(f"{path}: YAML error: {exc}") from None
