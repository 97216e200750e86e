"""Results appear only for groups at or above the threshold, for every slice, and no small
group can be computed by subtraction (pulses/anonymity.py, docs/pulses.md)."""

from __future__ import annotations

import pytest

from veerkracht.people.models import Team
from veerkracht.pulses import anonymity
from veerkracht.pulses.anonymity import NO_TEAM, suppressed_parts

from ..conftest import World
from .conftest import answer_all, open_pulse


@pytest.mark.parametrize(
    ("total", "parts", "hidden"),
    [
        # All large: nothing hidden.
        (12, {"a": 6, "b": 6}, set()),
        # One small team: the site minus the other team reveals it, so hide one more (the smallest).
        (13, {"a": 6, "c": 5, "d": 2}, {"c", "d"}),
        # Two small teams whose sum is large enough: only they are hidden.
        (16, {"a": 6, "b": 4, "c": 4, "d": 2}, {"b", "c", "d"}),
        (18, {"a": 6, "b": 6, "c": 4, "d": 2}, {"c", "d"}),
        # A site below the threshold hides every part.
        (4, {"a": 4}, {"a"}),
        # People without a team are never shown alone and count in the remainder.
        (12, {"a": 6, "b": 5, NO_TEAM: 1}, {"b", NO_TEAM}),
    ],
)
def test_it_suppresses_parts_that_could_be_derived(total: int, parts: dict, hidden: set) -> None:
    assert suppressed_parts(total, parts, 5) == hidden
    # When the total shows, the hidden remainder is empty or at least the threshold.
    remainder = total - sum(n for k, n in parts.items() if k not in hidden)
    assert total < 5 or remainder == 0 or remainder >= 5


@pytest.mark.parametrize(("respondents", "visible"), [(4, False), (5, True), (6, True)])
def test_it_shows_a_team_only_from_five_respondents(
    world: World, add_agents, respondents: int, visible: bool
) -> None:  # type: ignore[no-untyped-def]
    people = add_agents(world.team_a, respondents)
    pulse = open_pulse(world, team=world.team_a)
    answer_all(pulse, people, value=4, text="Goed team")
    response = world.client_for(world.lead).get(f"/pulse/results/?pulse={pulse.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    group = response.context["groups"][0]
    assert group.hidden is not visible
    if visible:
        assert group.respondents == respondents
        assert "Hidden to protect anonymity" not in body
        assert group.question(pulse.questions.get(key="workload_manageable").pk).mean == 4.0
        assert "Goed team" in body  # comments: same threshold (5) by default
    else:
        assert group.respondents is None and group.questions == []
        assert "Hidden to protect anonymity" in body
        assert "Goed team" not in body
        assert f"{respondents} answered" not in body


def test_it_never_goes_below_three_whatever_the_setting(world: World, add_agents) -> None:  # type: ignore[no-untyped-def]
    world.org.anonymity_threshold = 1  # bypassing the form's validation
    world.org.comment_threshold = 1
    world.org.save()
    pulse = open_pulse(world, team=world.team_a)
    answer_all(pulse, add_agents(world.team_a, 2))
    groups = anonymity.anonymised_results(pulse, user=world.admin.user)
    assert groups[0].hidden
    assert anonymity.threshold(world.org) == 3


def test_it_keeps_comments_behind_their_own_threshold(world: World, add_agents) -> None:  # type: ignore[no-untyped-def]
    world.org.comment_threshold = 8
    world.org.save()
    pulse = open_pulse(world, team=world.team_a)
    answer_all(pulse, add_agents(world.team_a, 6), text="Mijn naam is geheim")
    group = anonymity.anonymised_results(pulse, user=world.lead.user)[0]
    assert not group.hidden
    comments = group.question(pulse.questions.get(key="open_comment").pk)
    assert comments.comments is None and "at least 8" in comments.comments_hidden_reason
    response = world.client_for(world.lead).get(f"/pulse/results/?pulse={pulse.pk}")
    assert "Mijn naam is geheim" not in response.content.decode()


def test_it_refuses_filters_that_isolate_one_person(world: World, add_agents) -> None:  # type: ignore[no-untyped-def]
    """A site pulse with a big team and a team of one: every filter on the small team, or on a
    question, or on the site, leaves that one person hidden."""
    tiny = Team.objects.create(site=world.site_a, name="Team Eenling")
    big = add_agents(world.team_a, 6)
    lonely = add_agents(tiny, 1)
    pulse = open_pulse(world, site=world.site_a)
    answer_all(pulse, big, value=4)
    answer_all(pulse, lonely, value=1, text="Ik ben de enige")
    client = world.client_for(world.site_manager)
    workload = pulse.questions.get(key="workload_manageable").pk
    for query in (
        f"team={tiny.pk}",
        f"team={tiny.pk}&question={workload}",
        f"site={world.site_a.pk}&team={tiny.pk}",
        f"site={world.site_a.pk}&question={workload}",
    ):
        response = client.get(f"/pulse/results/?pulse={pulse.pk}&{query}")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Ik ben de enige" not in body, query
        for g in response.context["groups"]:
            if g.id == tiny.pk and g.kind == "team":
                assert g.hidden, query
            # Site total minus team A would be the lonely person: team A is hidden as well.
            if g.kind == "team" and g.id == world.team_a.pk:
                assert g.hidden and "smaller group" in g.reason, query
            if g.kind == "site":
                assert not g.hidden and g.respondents == 7, query
    # The same through the CSV export.
    csv = client.get(f"/pulse/results/export.csv?pulse={pulse.pk}").content.decode()
    assert "Team Eenling" in csv and "Ik ben de enige" not in csv


def test_it_blocks_a_differencing_attempt(world: World, add_agents) -> None:  # type: ignore[no-untyped-def]
    team_c = Team.objects.create(site=world.site_a, name="Team Golven")
    team_d = Team.objects.create(site=world.site_a, name="Team Klein")
    pulse = open_pulse(world, site=world.site_a)
    answer_all(pulse, add_agents(world.team_a, 6), value=4)
    answer_all(pulse, add_agents(team_c, 5), value=4)
    answer_all(pulse, add_agents(team_d, 2), value=1)  # the group an attacker wants to see
    groups = {g.key: g for g in anonymity.anonymised_results(pulse, user=world.admin.user)}
    site = groups[f"site:{world.site_a.pk}"]
    assert not site.hidden and site.respondents == 13
    assert not groups[f"team:{world.team_a.pk}"].hidden
    assert groups[f"team:{team_d.pk}"].hidden
    assert "fewer than 5" in groups[f"team:{team_d.pk}"].reason
    # Team C has 5 answers, but showing it would let site − A − C reveal team D: hidden too.
    assert groups[f"team:{team_c.pk}"].hidden
    assert "smaller group" in groups[f"team:{team_c.pk}"].reason
    # The subtraction an attacker would try now yields a group of 7, not 2.
    visible_teams = [g for k, g in groups.items() if k.startswith("team:") and not g.hidden]
    assert site.respondents - sum(g.respondents for g in visible_teams) == 7
    # The API says the same.
    response = world.client_for(world.admin).get(f"/api/v1/pulses/results?pulse={pulse.pk}")
    hidden = {g["id"]: g for g in response.json()["groups"] if g["hidden"]}
    assert set(hidden) == {team_c.pk, team_d.pk}
    assert set(hidden[team_c.pk]) == {"group", "id", "label", "hidden", "reason"}


def test_it_scopes_results_by_role(world: World, add_agents) -> None:  # type: ignore[no-untyped-def]
    pulse_a = open_pulse(world, team=world.team_a)
    pulse_b = open_pulse(world, team=world.team_b)
    answer_all(pulse_a, add_agents(world.team_a, 5))
    answer_all(pulse_b, add_agents(world.team_b, 5))
    lead = world.client_for(world.lead)
    assert (
        lead.get(f"/pulse/results/?pulse={pulse_a.pk}").context["groups"][0].id == world.team_a.pk
    )
    # Asking for team B's pulse falls back to a round the lead may see.
    response = lead.get(f"/pulse/results/?pulse={pulse_b.pk}")
    assert response.context["pulse"] == pulse_a
    for persona in (world.agent, world.planner, world.outsider):
        status = world.client_for(persona).get("/pulse/results/").status_code
        assert status == 403 if persona is not world.outsider else status in (200, 403)
    outsider = world.client_for(world.outsider).get("/pulse/results/")
    assert outsider.status_code == 200 and outsider.context["pulse"] is None
    assert (
        world.client_for(world.outsider)
        .get(f"/api/v1/pulses/results?pulse={pulse_a.pk}")
        .status_code
        == 404
    )


def test_it_draws_trends_and_the_questions_that_moved(world: World, add_agents) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    people = add_agents(world.team_a, 5)
    now = timezone.now()
    earlier = open_pulse(
        world,
        team=world.team_a,
        opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=1),
    )
    answer_all(earlier, people, value=2)
    later = open_pulse(world, team=world.team_a)
    answer_all(later, people, value=4)
    response = world.client_for(world.lead).get(f"/pulse/results/?pulse={later.pk}")
    chart = response.context["chart"]
    assert len(chart["labels"]) == 2
    assert chart["datasets"][0]["data"] == [2.0, 4.0]
    assert response.context["moved"][0]["change"] == 2.0
    assert 'id="pulse-trend"' in response.content.decode()
    assert "<script>" not in response.content.decode()  # json_script only, no inline code


def test_it_computes_enps_as_promoters_minus_detractors() -> None:
    # Hand calculation (Bain's definition: promoters 9–10, detractors 0–6):
    # 10, 10, 9, 8, 3 → 3/5 = 60 % promoters − 1/5 = 20 % detractors = 40.
    assert anonymity.enps({10: 2, 9: 1, 8: 1, 3: 1}) == 40.0
    # 10, 9, 8, 7, 6, 0 → 2/6 − 2/6 = 0; 6 counts as a detractor, 7 and 8 as passives.
    assert anonymity.enps({10: 1, 9: 1, 8: 1, 7: 1, 6: 1, 0: 1}) == 0.0
    assert anonymity.enps({}) is None


def test_it_leaves_a_gap_in_the_trend_for_a_round_under_the_threshold(
    world: World, add_agents
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    people = add_agents(world.team_a, 5)
    now = timezone.now()
    small = open_pulse(
        world,
        team=world.team_a,
        opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=1),
    )
    answer_all(small, people[:4], value=1)  # four answers: hidden, also in the trend
    later = open_pulse(world, team=world.team_a)
    answer_all(later, people, value=4)
    response = world.client_for(world.lead).get(f"/pulse/results/?pulse={later.pk}")
    assert response.context["chart"]["datasets"][0]["data"] == [None, 4.0]
    assert response.context["moved"] == []  # nothing to compare with a hidden round


def test_it_shows_a_lead_only_their_team_of_a_site_pulse(world: World, add_agents) -> None:  # type: ignore[no-untyped-def]
    team_c = Team.objects.create(site=world.site_a, name="Team Golven")
    pulse = open_pulse(world, site=world.site_a)
    answer_all(pulse, add_agents(world.team_a, 5))
    answer_all(pulse, add_agents(team_c, 5))
    lead = anonymity.anonymised_results(pulse, user=world.lead.user)
    assert [(g.kind, g.id) for g in lead] == [("team", world.team_a.pk)]
    manager = anonymity.anonymised_results(pulse, user=world.site_manager.user)
    assert {(g.kind, g.id) for g in manager} == {
        ("site", world.site_a.pk),
        ("team", world.team_a.pk),
        ("team", team_c.pk),
    }
    assert all(not g.hidden for g in manager)
    response = world.client_for(world.site_manager).get(f"/pulse/results/?pulse={pulse.pk}")
    assert "Pulse surveys: on" in response.content.decode()
