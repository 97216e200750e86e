"""The `veerkracht` command: help everywhere, non-zero exits with a message on bad input."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from veerkracht.config import cli
from veerkracht.people.models import Employee, Organisation


def test_it_lists_the_commands_with_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("demo", "worker", "import"):
        assert command in out


def test_it_exits_with_2_on_an_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["frobnicate"]) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err


def test_it_shows_help_of_a_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--help"]) == 0
    assert "--agents" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_loads_the_demo_once_and_only_once(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo", "--agents", "30", "--seed", "3", "--history-days", "0")
    first = Employee.objects.count()
    call_command("demo", "--agents", "30", "--seed", "3", "--history-days", "0")
    assert Employee.objects.count() == first
    assert Organisation.objects.count() == 1
    assert "already loaded" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_makes_the_same_people_for_the_same_seed() -> None:
    call_command("demo", "--agents", "20", "--seed", "5", "--history-days", "0")
    names = sorted(Employee.objects.values_list("email", flat=True))
    call_command("demo", "--agents", "20", "--seed", "5", "--reset", "--history-days", "0")
    assert sorted(Employee.objects.values_list("email", flat=True)) == names


@pytest.mark.django_db
def test_it_builds_teams_of_ten_to_fifteen_with_realistic_contracts() -> None:
    call_command("demo", "--agents", "120", "--seed", "7", "--history-days", "0")
    org = Organisation.objects.get()
    agents = Employee.objects.filter(organisation=org, roles__role="agent")
    assert agents.count() == 120
    sizes = [t.members.filter(roles__role="agent").count() for t in org.sites.first().teams.all()]  # type: ignore[union-attr]
    assert sizes and all(10 <= n <= 15 for n in sizes), sizes
    hours = [float(h) for h in agents.values_list("contract_hours", flat=True)]
    assert min(hours) >= 16 and max(hours) <= 40
    assert org.sites.count() == 2
    channels = {c for chans in agents.values_list("channels", flat=True) for c in chans}
    assert channels == {"phone", "chat", "email", "social"}


@pytest.mark.django_db
def test_it_refuses_a_silly_number_of_agents() -> None:
    with pytest.raises(CommandError):
        call_command("demo", "--agents", "0")


@pytest.mark.django_db
def test_it_loads_contact_history_and_a_forecast_with_the_demo() -> None:
    from veerkracht.scheduling.models import ContactVolume, Forecast

    call_command("demo", "--agents", "20", "--seed", "2", "--history-days", "42")
    assert set(ContactVolume.objects.values_list("channel", flat=True).distinct()) == {
        "phone",
        "chat",
        "email",
        "social",
    }
    forecast = Forecast.objects.get()
    assert forecast.status == "succeeded"
