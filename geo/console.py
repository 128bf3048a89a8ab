"""What the command line says besides its output: -q/--quiet, -v/--verbose, progress, colour.

- ``-q`` prints errors only (exit codes unchanged); ``-v`` adds what was read and how long
  each stage took, on stderr.
- Progress bars (click's, with position, percent, rate and ETA) are drawn only on a terminal
  and never under ``-q``: a log file or a pipe gets no carriage-return noise.
- Colour (a red ``error:``) only on a terminal, never when ``NO_COLOR`` is set
  (https://no-color.org).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

__all__ = [
    "Progress",
    "colour",
    "console_options",
    "detail",
    "echo",
    "error",
    "progress",
    "say",
    "stage",
]

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    quiet = False
    verbose = False


def _set(name: str) -> Callable[[click.Context, click.Parameter, bool], bool]:
    def callback(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
        # Called for every invocation, default values included, so one process running many
        # commands (tests, a notebook) never keeps the last one's setting.
        setattr(_State, name, bool(value))
        if _State.quiet and _State.verbose:
            raise click.UsageError("give -q or -v, not both")
        return value

    return callback


def console_options(fn: F) -> F:
    """``-q/--quiet`` and ``-v/--verbose``, the same on every command."""
    fn = click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=_set("verbose"),
        help="Also print what was read and how long each stage took (stderr).",
    )(fn)
    fn = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_set("quiet"),
        help="Print errors only; exit codes are unchanged.",
    )(fn)
    return fn


def colour() -> bool | None:
    """click's ``color=`` argument: False under ``NO_COLOR``, else None (only on a terminal)."""
    return False if os.environ.get("NO_COLOR") else None


def echo(message: str) -> None:
    """A result line on stdout that is only a status (``valid: …``), unless ``-q``."""
    if not _State.quiet:
        click.echo(message)


def say(message: str) -> None:
    """A status line on stderr ("wrote …"), unless ``-q``."""
    if not _State.quiet:
        click.echo(message, err=True)


def detail(message: str) -> None:
    """A line on stderr under ``-v`` only."""
    if _State.verbose:
        click.echo(message, err=True)


def error(message: str) -> None:
    """An error line on stderr, always; ``error:`` in red on a terminal without NO_COLOR."""
    click.echo(click.style("error:", fg="red", bold=True) + " " + message, err=True, color=colour())


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    """Time a stage; under ``-v``, print ``name: 0.12 s``."""
    start = time.perf_counter()
    yield
    detail(f"{name}: {time.perf_counter() - start:.2f} s")


def _terminal() -> bool:
    return not _State.quiet and sys.stderr.isatty()


class Progress:
    """Progress of a long job with position, percent, rate and ETA, on a terminal only.

    The total may come with the first update (a job that counts its rows as it starts).
    """

    def __init__(self, total: int, label: str, unit: str) -> None:
        self.total, self.done, self.label, self.unit = total, 0, label, unit
        self.start = time.perf_counter()
        self._bar: Any = None

    def _open(self) -> None:
        if self._bar is None and _terminal() and self.total > 0:
            self._bar = click.progressbar(
                length=self.total,
                label=self.label,
                show_eta=True,
                show_percent=True,
                show_pos=True,
                item_show_func=self._rate,
                file=sys.stderr,
                color=colour(),
            )
            self._bar.__enter__()

    def _rate(self, _: Any) -> str:
        seconds = time.perf_counter() - self.start
        return f"{self.done / seconds:,.0f} {self.unit}/s" if seconds > 0 and self.done else ""

    def update(self, done: int, total: int | None = None) -> None:
        """Set the count done so far (and the total, when it is first known)."""
        if total is not None and total != self.total and self._bar is None:
            self.total = total
        self._open()
        step, self.done = done - self.done, done
        if self._bar is not None and step > 0:
            self._bar.update(step, current_item=done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@contextlib.contextmanager
def progress(total: int, label: str, unit: str) -> Iterator[Progress]:
    """A :class:`Progress` that closes itself."""
    bar = Progress(total, label, unit)
    try:
        yield bar
    finally:
        bar.close()
