"""A typer application that speaks French: help pages and command-line errors.

Typer (and click beneath it) write "Usage:", "Show this message and exit." and "No such option"
in English, through gettext calls that no translation catalogue can reach portably. The help page
is plain text once rich formatting is off, so each help page and each usage error is translated
here, by a small table of the phrases click writes; anything not in the table stays as it was.

Click's habits a newcomer trips on are changed here too: a bare group prints its help and exits
0 (click 8.2 makes it an error); a mistyped command gets the closest one (click suggests options,
not commands); an unknown option names the possible ones; an option's help says its default and
range in French (« défaut : 0 ; au moins 1 », not ``x>=1``), and does not repeat a default its
text already gives (« par défaut … »).

Every typer application of the CLI is a :class:`Typer` from this module, and so are its commands.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Callable, Iterable
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
_USAGE_LINE = re.compile(r"^Utilisation : .*$", re.M)
_REQUIRED_ARGUMENT = re.compile(r"\{([^{}\s]+)\}")

_ERROR_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"^No such option: (\S+)(?:\s+Did you mean (\S+?)\?)?", re.S),
        lambda m: f"option inconnue : {m[1]}" + (f" ; vouliez-vous dire {m[2]} ?" if m[2] else ""),
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
    # typer writes a required argument « {ID} » in the usage line; click and man pages, « ID »
    return _USAGE_LINE.sub(lambda line: _REQUIRED_ARGUMENT.sub(r"\1", line[0]), text)


def translate_error(message: str) -> str:
    for pattern, build in _ERROR_PATTERNS:
        match = pattern.match(message)
        if match:
            return build(match)
    return message


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice a mistyped ``word`` most likely meant, if one is close enough."""
    found = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=cutoff)
    return found[0] if found else None


def _command_suggestion(error: BaseException, context: Any) -> str:
    """After « commande inconnue » : the closest command, or the group's commands."""
    unknown = re.match(r"^No such command '([^']*)'", error.format_message())  # type: ignore[attr-defined]
    if context is None or unknown is None or not hasattr(context.command, "list_commands"):
        return ""
    names = context.command.list_commands(context)
    guess = closest(unknown[1], names)
    if guess:
        return f" ; vouliez-vous dire « {guess} » ?"
    return " ; commandes : " + ", ".join(names)


def _unknown_option(error: BaseException, context: Any) -> str:
    """« option inconnue », with the option meant when click found one close enough, else
    the options the command knows."""
    name = getattr(error, "option_name", "")
    possibilities = sorted(getattr(error, "possibilities", None) or ())
    # click offers every option somewhat alike (« --formt » : --format, --sortie): one clearly
    # closer than the others is the one meant
    meant = possibilities[0] if len(possibilities) == 1 else closest(name, possibilities, 0.8)
    if meant:
        return f"option inconnue : {name} ; vouliez-vous dire {meant} ?"
    if not possibilities and context is not None:
        possibilities = sorted(
            option
            for parameter in context.command.get_params(context)
            if getattr(parameter, "param_type_name", "") == "option" and not parameter.hidden
            for option in (*parameter.opts, *parameter.secondary_opts)
            if option.startswith("--")
        )
    return f"option inconnue : {name} ; options possibles : " + ", ".join(possibilities)


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
        if type(error).__name__ == "NoArgsIsHelpError" and context is not None:
            # A bare group (« cartographie rapport ») asks what it holds: its help, not an error.
            sys.stdout.write(context.get_help() + "\n")
            sys.exit(0)
        if type(error).__name__ == "NoSuchOption":
            message = _unknown_option(error, context)
        else:
            message = translate_error(error.format_message())  # type: ignore[attr-defined]
            message += _command_suggestion(error, context)
        where = f" (voir « {context.command_path} --help »)" if context is not None else ""
        from cartographie.document.text import visible
        from cartographie.errors import COMMAND_LINE_CODE

        sys.stderr.write(f"erreur {COMMAND_LINE_CODE} : {visible(message)}{where}\n")
        sys.exit(error.exit_code)  # type: ignore[attr-defined]
    sys.exit(result if isinstance(result, int) else 0)


# click's ranges (``x>=1``, ``1950<=x<=2100``) as a reader says them
_RANGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\S+)<=x<=(\S+)$"), "de {} à {}"),
    (re.compile(r"^x>=(\S+)$"), "au moins {}"),
    (re.compile(r"^x<=(\S+)$"), "au plus {}"),
    (re.compile(r"^x>(\S+)$"), "plus de {}"),
    (re.compile(r"^x<(\S+)$"), "moins de {}"),
)
_EXTRA = re.compile(r"^(?P<text>.*?)\s*\[(?P<extra>[^\[\]]*)\]$", re.S)


def _french_number(text: str) -> str:
    """``1000000`` → ``1 000 000``, ``120.0`` → ``120``, a year as it is (``2100``); anything
    else as it is."""
    number = re.fullmatch(r"(-?\d+)(?:\.0+)?", text)
    if number is None:
        return text
    if abs(int(number[1])) < 10_000:
        return number[1]
    from cartographie.document.numbers import integer

    return integer(int(number[1]))


def _french_extra(item: str, text: str) -> str | None:
    """One item of the bracket click adds after an option's help, in French; None drops it."""
    if item.startswith("default: "):
        # « svg (par défaut), png… » already says it: once is enough
        default = _french_number(item.removeprefix("default: "))
        return None if "par défaut" in text else f"défaut : {default}"
    if item == "required":
        return "obligatoire"
    if item == "x>=0":
        return None  # a count or a size: never negative, nothing to say
    for pattern, french in _RANGES:
        match = pattern.match(item)
        if match:
            return french.format(*(_french_number(bound) for bound in match.groups()))
    return item


def french_help_record(record: tuple[str, str] | None) -> tuple[str, str] | None:
    """An option's (names, help) line with its bracket of default, range and « required » in
    French, before click wraps it (so columns stay aligned)."""
    if record is None:
        return None
    names, text = record
    match = _EXTRA.match(text)
    if match is None:
        return record
    items = (_french_extra(item, match["text"]) for item in match["extra"].split("; "))
    kept = [item for item in items if item]
    return names, match["text"] + (f"  [{' ; '.join(kept)}]" if kept else "")


def _french_parameters(parameters: list[Any]) -> None:
    for parameter in parameters:
        help_record = parameter.get_help_record

        def french(ctx: Any, _record: Callable[[Any], Any] = help_record) -> Any:
            return french_help_record(_record(ctx))

        parameter.get_help_record = french


class FrenchGroup(TyperGroup):
    """A command group whose help page and usage errors are in French."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _french_parameters(self.params)

    def get_help(self, ctx: Any) -> str:
        return translate_help(super().get_help(ctx))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
            # A TAB of the shell (click's ``_PROG_COMPLETE``): the scripts printed by
            # ``cartographie completion`` are typer's, so typer's completion classes answer.
            from typer.completion import completion_init  # type: ignore[attr-defined]

            completion_init()
        return run_in_french(super().main, *args, **kwargs)


class FrenchCommand(TyperCommand):
    """A command whose help page is in French (errors go through the root group)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _french_parameters(self.params)

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
