"""One exception hierarchy for the whole package.

Every error a user can cause is a :class:`GeoError`; the CLI turns it into a message and exit
code 2, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ExportError",
    "GazetteerError",
    "GeoError",
    "GeodesyError",
    "OutputError",
    "ParameterError",
    "Problem",
    "RoutingError",
    "TripFormatError",
]


class GeoError(Exception):
    """Base class of every error raised for bad input or an impossible request."""


MAX_PROBLEM_CHARS = 1000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file: where, what, and how to fix it."""

    where: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        text = f"{text}; {self.fix}" if self.fix else text
        # A report stays readable whatever the input held: no line of it runs on for pages.
        return text if len(text) <= MAX_PROBLEM_CHARS else text[: MAX_PROBLEM_CHARS - 1] + "…"


class TripFormatError(GeoError):
    """A trip file breaks the format; carries every problem found, not just the first."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        """The full report: the file, then one line per problem."""
        n = len(self.problems)
        head = f"{self.source}: {n} problem{'s' if n != 1 else ''}"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class ParameterError(GeoError, ValueError):
    """A function was given a value it does not take: the parameter, the value and the
    choices travel with the error, so a command line can name its own flag."""

    def __init__(
        self, parameter: str, value: object, problem: str, choices: tuple[str, ...] = ()
    ) -> None:
        self.parameter, self.value, self.choices = parameter, value, tuple(choices)
        shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:79] + "…"
        hint = f"; use one of {', '.join(choices)}" if choices and "; " not in problem else ""
        self.detail = f"{shown} {problem}{hint}"
        super().__init__(f"{parameter}: {self.detail}")


class GazetteerError(GeoError):
    """A place name is unknown or ambiguous in the offline gazetteer."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        self.candidates = list(candidates or [])
        super().__init__(message)


class GeodesyError(GeoError):
    """A geodesic computation was asked for something it cannot do."""


class ExportError(GeoError):
    """An output could not be written as requested."""


class RoutingError(GeoError):
    """A hop cannot be routed as asked (an inland end, every way closed, an unknown passage)."""

    def __init__(self, where: str, message: str, fix: str = "") -> None:
        self.problem = Problem(where, message, fix)
        super().__init__(str(self.problem))


class OutputError(ExportError, OSError):
    """An output file or folder could not be written (read-only, full disk, bad path)."""

    def __init__(self, message: str, path: object = None) -> None:
        self.path = path
        Exception.__init__(self, message)

    def __str__(self) -> str:
        return str(self.args[0])
