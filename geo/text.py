"""Text fields that may be given in several languages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

__all__ = ["Text"]


@dataclass(frozen=True)
class Text(Mapping[str, str]):
    """A piece of text in one or more languages.

    A plain string in a trip file becomes a ``Text`` with the language ``"*"``, shown in every
    language. Keys are BCP 47 tags (``ko``, ``pt-BR``, ``zh-Hant``); ``text.get_lang("ko",
    "en")`` picks Korean, then the default language, then any (:meth:`get_lang` gives the chain).
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
        """The text in ``lang``, by this chain (the first that is given wins):

        1. the whole tag (``pt-BR``), then each shorter prefix (``pt``), case-insensitively;
        2. a regional form of the language when only that was given (``pt-PT`` for ``pt``);
        3. the text for every language (``"*"``: a plain string);
        4. the trip's own language ``default``, then English;
        5. the first language given.
        """
        if not self.pairs:
            return ""
        keys = {k.casefold().replace("_", "-"): v for k, v in self.pairs}
        parts = lang.casefold().replace("_", "-").split("-")
        for n in range(len(parts), 0, -1):
            if (tag := "-".join(parts[:n])) in keys:
                return keys[tag]
        base = parts[0] + "-"
        for key, text in sorted(keys.items()):
            if key.startswith(base):
                return text
        for key in ("*", default.casefold(), "en"):
            if key in keys:
                return keys[key]
        return self.pairs[0][1]

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages given explicitly (``"*"`` excluded)."""
        return tuple(lang for lang, _ in self.pairs if lang != "*")

    def __str__(self) -> str:
        return self.get_lang("en")
