"""`veerkracht roster SUBCOMMAND`: roster problems and solutions as JSON (docs/roster-format.md).

Subcommands live in :data:`SUBCOMMANDS`, one entry each (arguments and handler), so that
``solve`` slots in beside ``check`` and ``schema``.

Exit codes: 0 done (for ``check``: no violations, warnings allowed); 1 the roster breaks a rule
(``check``) or no roster keeps every rule (``solve``, the report is written); 2 bad input (a missing or unreadable file, invalid JSON, a schema error), with
the path of every error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser

from veerkracht.planning.roster.check import check_solution
from veerkracht.planning.roster.model import (
    RosterInputError,
    load_problem,
    load_solution,
    problem_json_schema,
    solution_json_schema,
)

from ._files import open_out

BAD_INPUT = 2
"""Exit code for input that cannot be read (as argparse uses for bad arguments)."""

RULE_BROKEN = 1
"""Exit code of ``check`` when the roster has violations."""

MAX_ERRORS_SHOWN = 50

_T = TypeVar("_T")


@dataclass(frozen=True)
class Subcommand:
    """One ``veerkracht roster`` subcommand."""

    help: str
    add_arguments: Callable[[CommandParser], None]
    handle: Callable[[BaseCommand, dict[str, Any]], None]


def read_input(path: str) -> bytes:
    """The bytes of ``path`` (``-`` for standard input); exit 2 when it cannot be read."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file", returncode=BAD_INPUT) from None
    except OSError as exc:
        raise CommandError(f"{path}: cannot read ({exc.strerror})", returncode=BAD_INPUT) from None


def load_input(path: str, loader: Callable[[bytes], _T]) -> _T:
    """Read and validate a problem or solution file; exit 2 listing every error path."""
    try:
        return loader(read_input(path))
    except RosterInputError as exc:
        count = len(exc.errors)
        raise CommandError(
            f"{path} has {count} error{'s' * (count != 1)}:\n"
            + _indent(exc.format(limit=MAX_ERRORS_SHOWN)),
            returncode=BAD_INPUT,
        ) from None


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())


# --- check ----------------------------------------------------------------------------------


def _check_arguments(parser: CommandParser) -> None:
    parser.add_argument("problem", help="roster problem (JSON; - for standard input)")
    parser.add_argument("solution", help="roster solution (JSON)")
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: readable list (default); json: the full report with recomputed coverage",
    )
    parser.add_argument(
        "--max",
        type=int,
        default=200,
        metavar="N",
        help="show at most N findings in text format (default 200)",
    )


def _check(command: BaseCommand, options: dict[str, Any]) -> None:
    problem = load_input(options["problem"], load_problem)
    solution = load_input(options["solution"], load_solution)
    report = check_solution(problem, solution)
    if options["format"] == "json":
        command.stdout.write(report.model_dump_json(indent=2))
    else:
        command.stdout.write(report.format_text(limit=max(options["max"], 0)))
    if not report.ok:
        raise CommandError(report.summary(), returncode=RULE_BROKEN)


# --- schema ---------------------------------------------------------------------------------


def _schema_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--solution", action="store_true", help="the solution schema (default: the problem)"
    )
    parser.add_argument("--out", default="-", help="output file (default: standard output)")


def _schema(command: BaseCommand, options: dict[str, Any]) -> None:
    schema = solution_json_schema() if options["solution"] else problem_json_schema()
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if options["out"] in (None, "-"):
        command.stdout.write(text, ending="")
        return
    out = open_out(options["out"])
    try:
        out.write(text)
    finally:
        out.close()
    command.stderr.write(f"{schema.get('title', 'schema')} -> {options['out']}")


# --- solve ----------------------------------------------------------------------------------

INFEASIBLE = 1
"""Exit code of ``solve`` when no roster keeps every rule (the report is still written)."""


def _solve_arguments(parser: CommandParser) -> None:
    parser.add_argument("problem", help="roster problem (JSON; - for standard input)")
    parser.add_argument("--out", default="-", help="solution file (default: standard output)")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="wall-clock budget in seconds (default 60)",
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="CP-SAT worker threads (default 2: both cores)"
    )


def _solve(command: BaseCommand, options: dict[str, Any]) -> None:
    # Imported here so that `check` and `schema` do not load OR-Tools.
    from veerkracht.planning.roster.solver import ProgressEvent, solve

    problem = load_input(options["problem"], load_problem)
    if options["time_limit"] <= 0:
        raise CommandError("--time-limit must be positive", returncode=BAD_INPUT)

    def progress(event: ProgressEvent) -> bool:
        objective = "-" if event.objective is None else f"{event.objective:.0f}"
        bound = "-" if event.bound is None else f"{event.bound:.0f}"
        command.stderr.write(
            f"{event.elapsed_s:7.1f}s  {event.part}  objective {objective}  bound {bound}"
        )
        return True

    solution = solve(
        problem,
        time_limit_s=options["time_limit"],
        workers=max(options["workers"], 1),
        progress=progress,
    )
    text = solution.model_dump_json(indent=2, exclude_none=True) + "\n"
    if options["out"] in (None, "-"):
        command.stdout.write(text, ending="")
    else:
        out = open_out(options["out"])
        try:
            out.write(text)
        finally:
            out.close()
    report = solution.report or {}
    if solution.status.value == "infeasible":
        raise CommandError(str(report.get("summary", "infeasible")), returncode=INFEASIBLE)
    kpi = report.get("kpi") or {}
    command.stderr.write(
        f"{solution.status.value}: {len(solution.shifts)} shifts, objective "
        f"{solution.objective}, lower bound {solution.lower_bound}, under-coverage "
        f"{kpi.get('under_agent_intervals')} agent-intervals ({kpi.get('under_pct')}%)"
        + ("" if options["out"] in (None, "-") else f" -> {options['out']}")
    )


SUBCOMMANDS: dict[str, Subcommand] = {
    "check": Subcommand(
        help=(
            "check a solution against its problem: availability, skills, one channel at a time, "
            "contract hours, the Dutch Working Hours Act, coverage; exit 1 with the violations"
        ),
        add_arguments=_check_arguments,
        handle=_check,
    ),
    "solve": Subcommand(
        help=(
            "make a roster with the CP-SAT solver; progress on standard error; exit 1 with a "
            "conflict report when no roster keeps every rule"
        ),
        add_arguments=_solve_arguments,
        handle=_solve,
    ),
    "schema": Subcommand(
        help="print the JSON Schema of the problem (or with --solution, of the solution)",
        add_arguments=_schema_arguments,
        handle=_schema,
    ),
}


class Command(BaseCommand):
    # Files in, files out: no database, so no need to import every URL and model first.
    requires_system_checks: list[str] = []
    help = (
        "Roster problems and solutions as JSON (docs/roster-format.md). "
        "Subcommands: " + ", ".join(SUBCOMMANDS) + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
        for name, sub in SUBCOMMANDS.items():
            sub.add_arguments(subparsers.add_parser(name, help=sub.help, description=sub.help))

    def handle(self, *args: Any, **options: Any) -> None:
        SUBCOMMANDS[options["subcommand"]].handle(self, options)
