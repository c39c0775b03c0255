"""A typer application that speaks French: help pages and command-line errors.

Typer (and click beneath it) write "Usage:", "Show this message and exit." and "No such option"
in English, through gettext calls that no translation catalogue can reach portably. The help page
is plain text once rich formatting is off, so each help page and each usage error is translated
here, by a small table of the phrases click writes; anything not in the table stays as it was.

Every typer application of the CLI is a :class:`Typer` from this module, and so are its commands.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

_HELP_PHRASES: tuple[tuple[str, str], ...] = (
    ("Show this message and exit.", "Affiche cette aide et quitte."),
    ("Usage: ", "Utilisation : "),
    ("\nOptions:\n", "\nOptions :\n"),
    ("\nArguments:\n", "\nArguments :\n"),
    ("\nCommands:\n", "\nCommandes :\n"),
    ("COMMAND [ARGS]...", "COMMANDE [ARGS]..."),
    ("[required]", "[obligatoire]"),
    # Some typer releases escape brackets for rich even when rich formatting is off.
    ("\\[", "["),
    ("[default:", "[défaut :"),
)
# Metavars are translated only where they stand alone: inside the options table a longer word
# would break the alignment, so options name their metavar in French themselves.
_HELP_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(Utilisation : .*?)\bTEXT\b", re.M), r"\1TEXTE"),
)

_ERROR_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"^No such option: (\S+)(?:\s+Did you mean (\S+?)\?)?", re.S),
        lambda m: f"option inconnue : {m[1]}" + (f" (vouliez-vous dire {m[2]} ?)" if m[2] else ""),
    ),
    (
        re.compile(r"^No such command '([^']*)'\.?"),
        lambda m: f"commande inconnue : « {m[1]} »",
    ),
    (
        re.compile(r"^Missing argument '([^']*)'\.?"),
        lambda m: f"argument manquant : {m[1]}",
    ),
    (
        re.compile(r"^Missing option (.*?)\.?$", re.S),
        lambda m: f"option obligatoire manquante : {_plain(m[1])}",
    ),
    (
        re.compile(r"^Invalid value for (.*?): (.*)$", re.S),
        lambda m: f"valeur invalide pour {_plain(m[1])} : {_translate_value_error(m[2])}",
    ),
    (
        re.compile(r"^Got unexpected extra arguments? \((.*)\)$", re.S),
        lambda m: f"argument en trop : {m[1]}",
    ),
    (
        re.compile(r"^Option '([^']*)' requires an argument\.?"),
        lambda m: f"l'option {m[1]} attend une valeur",
    ),
)


def _plain(names: str) -> str:
    return names.replace("'", "")


def _translate_value_error(text: str) -> str:
    text = text.removeprefix("Value error, ")
    choice = re.match(r"^'([^']*)' is not one of (.*)\.$", text)
    if choice:
        return f"« {choice[1]} » n'est pas parmi {_plain(choice[2])}"
    choice = re.match(r"^'([^']*)' is not (?:a valid )?(\w+)\.?$", text)
    if choice:
        return f"« {choice[1]} » n'est pas un(e) {choice[2]} valide"
    in_range = re.match(r"^'?([^' ]*)'? is not in the range (.*)\.$", text)
    if in_range:
        return f"{in_range[1]} n'est pas dans l'intervalle {in_range[2]}"
    bound = re.match(r"^Input should be (greater|less) than or equal to (\S+)$", text)
    if bound:
        return f"la valeur doit valoir au {'moins' if bound[1] == 'greater' else 'plus'} {bound[2]}"
    return text


def translate_help(text: str) -> str:
    """The help page in French (phrases click writes; the rest is ours and already French)."""
    for english, french in _HELP_PHRASES:
        text = text.replace(english, french)
    for pattern, replacement in _HELP_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def translate_error(message: str) -> str:
    for pattern, build in _ERROR_PATTERNS:
        match = pattern.match(message)
        if match:
            return build(match)
    return message


def _is_click_exception(error: BaseException) -> bool:
    # click is vendored by recent typer releases and imported by older ones: recognise its
    # exceptions by their interface rather than by one of the two classes.
    return hasattr(error, "format_message") and hasattr(error, "exit_code")


def run_in_french(main: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a click ``main`` and report usage errors in French (exit code 2, as click does)."""
    kwargs["standalone_mode"] = False
    try:
        result = main(*args, **kwargs)
    except Exception as error:
        if not _is_click_exception(error):
            raise
        context = getattr(error, "ctx", None)
        message = translate_error(error.format_message())  # type: ignore[attr-defined]
        where = f" (voir « {context.command_path} --help »)" if context is not None else ""
        from cartographie.document.text import visible
        from cartographie.errors import COMMAND_LINE_CODE

        sys.stderr.write(f"erreur {COMMAND_LINE_CODE} : {visible(message)}{where}\n")
        sys.exit(error.exit_code)  # type: ignore[attr-defined]
    sys.exit(result if isinstance(result, int) else 0)


class FrenchGroup(TyperGroup):
    """A command group whose help page and usage errors are in French."""

    def get_help(self, ctx: Any) -> str:
        return translate_help(super().get_help(ctx))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        return run_in_french(super().main, *args, **kwargs)


class FrenchCommand(TyperCommand):
    """A command whose help page is in French (errors go through the root group)."""

    def get_help(self, ctx: Any) -> str:
        return translate_help(super().get_help(ctx))


class Typer(typer.Typer):
    """``typer.Typer`` with the house defaults: French help, plain formatting, ``-h``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", FrenchGroup)
        kwargs.setdefault("rich_markup_mode", None)
        kwargs.setdefault("add_completion", False)
        kwargs.setdefault("pretty_exceptions_enable", False)
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("context_settings", {"help_option_names": ["-h", "--help"]})
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", FrenchCommand)
        return super().command(*args, **kwargs)
