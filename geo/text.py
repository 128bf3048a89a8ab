"""Text fields that may be given in several languages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

__all__ = ["Text"]


@dataclass(frozen=True)
class Text(Mapping[str, str]):
    """A piece of text in one or more languages.

    A plain string in a trip file becomes a ``Text`` with the language ``"*"``, shown in every
    language. ``text.get_lang("ko", "en")`` picks Korean, then the default language, then any.
    """

    pairs: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, value: str | Mapping[str, str]) -> Text:
        """Build from a plain string or a ``{lang: text}`` mapping."""
        if isinstance(value, str):
            return cls((("*", value),))
        return cls(tuple(sorted((str(k), str(v)) for k, v in value.items())))

    def __getitem__(self, key: str) -> str:
        for lang, text in self.pairs:
            if lang == key:
                return text
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (lang for lang, _ in self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def get_lang(self, lang: str, default: str = "en") -> str:
        """The text in ``lang``, else in ``default``, else the first language given."""
        for key in (lang, "*", default):
            if key in self:
                return self[key]
        return self.pairs[0][1] if self.pairs else ""

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages given explicitly (``"*"`` excluded)."""
        return tuple(lang for lang, _ in self.pairs if lang != "*")

    def __str__(self) -> str:
        return self.get_lang("en")
