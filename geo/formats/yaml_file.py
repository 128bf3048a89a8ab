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
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def read_yaml(path: Path) -> Any:
    """Parse a YAML trip file; a syntax error names the file, line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise GeoError(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise GeoError(f"{where}: YAML syntax error: {exc.problem}; fix the line") from None
    except yaml.YAMLError as exc:
        raise GeoError(f"{path}: YAML error: {exc}") from None
