"""Pulse results with the anonymity rules applied: the ONE function pages, API and exports call.

`anonymised_results(pulse, user=..., team=..., site=..., question=...)` returns the groups (the
site total and each team) of one pulse round that the user may see. A group's figures appear only
when at least `threshold(organisation)` people answered (the organisation's setting, never below
3); comments need `comment_threshold(organisation)` respondents. A hidden group says why and shows
no figures, not even its number of respondents.

Differencing (docs/pulses.md): the site total minus the visible teams must never describe a
group that is smaller than the threshold. When it would (0 < remainder < threshold), the
smallest visible team is hidden too, and again, until the remainder is empty or large enough.
The rule is decided over ALL groups of the round, before the user's scope is applied, so two
viewers who pool what they see cannot subtract their way to a small group either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.translation import gettext as _

from veerkracht.people import access
from veerkracht.people.models import Organisation, Team

from .models import Answer, Category, Participation, Pulse, Scale

MINIMUM = 3  # never below 3, whatever the setting says (domain/privacy.md)
NO_TEAM = "none"


def threshold(organisation: Organisation) -> int:
    return max(MINIMUM, organisation.anonymity_threshold or 0)


def comment_threshold(organisation: Organisation) -> int:
    return max(MINIMUM, organisation.comment_threshold or 0)


def suppressed_parts(total: int, parts: Mapping[Hashable, int], limit: int) -> set[Hashable]:
    """Which parts of a total to hide so that no group under `limit` can be seen or derived.

    Parts under the limit are hidden; `NO_TEAM` (people without a team) is never shown on its
    own. Then, while the total minus the visible parts is a group of 1..limit-1 people, the
    smallest visible part is hidden as well. Pure, so it is tested directly."""
    hidden = {k for k, n in parts.items() if n < limit or k == NO_TEAM}
    if total < limit:
        return set(parts)
    visible = sorted((n, str(k), k) for k, n in parts.items() if k not in hidden)
    while True:
        remainder = total - sum(n for k, n in parts.items() if k not in hidden)
        if remainder == 0 or remainder >= limit or not visible:
            return hidden
        hidden.add(visible.pop(0)[2])


@dataclass
class QuestionResult:
    id: int
    text: str
    category: str
    scale: str
    n: int
    mean: float | None
    distribution: dict[int, int]  # value → number of answers (all values of the scale)
    comments: list[str] | None = None  # open questions; None when hidden
    comments_hidden_reason: str = ""


@dataclass
class GroupResult:
    kind: str  # "site" or "team"
    id: int
    label: str
    hidden: bool
    reason: str = ""
    respondents: int | None = None
    invited: int | None = None
    response_rate: float | None = None  # percent
    enps: float | None = None
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    def question(self, pk: int) -> QuestionResult | None:
        return next((q for q in self.questions if q.id == pk), None)

    def as_dict(self) -> dict[str, Any]:
        base: dict[str, Any] = {"group": self.kind, "id": self.id, "label": self.label}
        if self.hidden:
            return {**base, "hidden": True, "reason": self.reason}
        return {
            **base,
            "hidden": False,
            "respondents": self.respondents,
            "invited": self.invited,
            "response_rate": self.response_rate,
            "enps": self.enps,
            "questions": [_question_dict(q) for q in self.questions],
        }


def _question_dict(q: QuestionResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": q.id,
        "text": q.text,
        "category": q.category,
        "scale": q.scale,
        "n": q.n,
        "mean": q.mean,
        "distribution": {str(k): v for k, v in q.distribution.items()},
    }
    if q.scale == Scale.TEXT:
        out["comments"] = q.comments
        if q.comments is None:
            out["comments_hidden_reason"] = q.comments_hidden_reason
    return out


def _small_reason(limit: int) -> str:
    return _("Hidden to protect anonymity: fewer than %(n)d people answered in this group.") % {
        "n": limit
    }


def _differencing_reason() -> str:
    return _(
        "Hidden to protect anonymity: together with the site total and the other teams, these "
        "figures would reveal the answers of a smaller group."
    )


def enps(values: Mapping[int, int]) -> float | None:
    """eNPS = % promoters (9–10) − % detractors (0–6), from {score: count}."""
    total = sum(values.values())
    if not total:
        return None
    promoters = sum(c for v, c in values.items() if v >= 9)
    detractors = sum(c for v, c in values.items() if v <= 6)
    return round(100 * (promoters - detractors) / total, 1)


def anonymised_results(
    pulse: Pulse,
    *,
    user: Any,
    team: int | None = None,
    site: int | None = None,
    question: int | None = None,
) -> list[GroupResult]:
    """The groups of one round the user may see, with every anonymity rule applied.

    Raises PermissionDenied when the user may see no pulse results at all. Filters narrow the
    groups (`team`, `site`) and the questions (`question`); they never lower a threshold."""
    scope = access.pulse_result_scope(user)
    if scope is None:
        raise PermissionDenied
    scope_teams, scope_sites = scope
    org = pulse.organisation
    limit = threshold(org)
    comment_limit = comment_threshold(org)

    per_team: dict[Hashable, int] = defaultdict(int)
    for row in Participation.objects.filter(pulse=pulse).values("team_id").annotate(n=Count("pk")):
        per_team[row["team_id"] or NO_TEAM] += row["n"]
    total = sum(per_team.values())

    # Every group of the round: a team pulse has one; a site pulse the site and each team.
    groups: list[tuple[str, int, str, int, int]] = []  # kind, id, label, respondents, invited
    invited = {k: int(v) for k, v in (pulse.invited or {}).items()}
    hidden_teams: set[Hashable] = set()
    site_hidden = False
    if pulse.team_id is not None:
        team_obj = pulse.team
        groups.append(("team", team_obj.pk, team_obj.name, total, sum(invited.values())))  # type: ignore[union-attr]
        site_hidden = total < limit
        if site_hidden:
            hidden_teams = {team_obj.pk}  # type: ignore[union-attr]
    else:
        teams = list(Team.objects.filter(site=pulse.site_id).order_by("name"))
        parts = {t.pk: per_team.get(t.pk, 0) for t in teams}
        if per_team.get(NO_TEAM):
            parts[NO_TEAM] = per_team[NO_TEAM]
        hidden_teams = suppressed_parts(total, parts, limit)
        site_hidden = total < limit
        groups.append(("site", pulse.site_id, pulse.site.name, total, sum(invited.values())))
        for t in teams:
            groups.append(("team", t.pk, t.name, parts[t.pk], invited.get(str(t.pk), 0)))

    small = {("team", k) for k in hidden_teams if k != NO_TEAM and (per_team.get(k, 0) < limit)}
    results: list[GroupResult] = []
    for kind, pk, label, respondents, invited_n in groups:
        if kind == "team" and pk not in scope_teams:
            continue
        if kind == "site" and pk not in scope_sites:
            continue
        if team is not None and not (kind == "team" and pk == team):
            continue
        if site is not None and not (
            (kind == "site" and pk == site) or (kind == "team" and pulse.site_id == site)
        ):
            continue
        hidden = site_hidden if kind == "site" else pk in hidden_teams
        if hidden:
            small_group = kind == "site" or ("team", pk) in small or pulse.team_id is not None
            reason = _small_reason(limit) if small_group else _differencing_reason()
            results.append(GroupResult(kind, pk, label, True, reason))
            continue
        results.append(
            GroupResult(
                kind,
                pk,
                label,
                False,
                respondents=respondents,
                invited=invited_n or None,
                response_rate=round(min(100.0, 100 * respondents / invited_n), 1)
                if invited_n
                else None,
            )
        )
    _fill_figures(pulse, results, question=question, comment_limit=comment_limit)
    return results


def _fill_figures(
    pulse: Pulse, results: list[GroupResult], *, question: int | None, comment_limit: int
) -> None:
    shown = [g for g in results if not g.hidden]
    if not shown:
        return
    questions = [
        q for q in pulse.questions.all() if q.category != Category.HEALTH
    ]  # health never appears here; the guard in PulseQuestion.save keeps them out anyway
    if question is not None:
        questions = [q for q in questions if q.pk == question]
    answers = Answer.objects.filter(pulse=pulse, question__in=questions)
    counts: dict[tuple[int | None, int, int], int] = defaultdict(int)
    for row in (
        answers.filter(value__isnull=False)
        .values("team_id", "question_id", "value")
        .annotate(n=Count("pk"))
    ):
        counts[(row["team_id"], row["question_id"], row["value"])] += row["n"]
    texts: dict[tuple[int | None, int], list[str]] = defaultdict(list)
    for team_id, question_id, text in answers.exclude(text="").values_list(
        "team_id", "question_id", "text"
    ):
        texts[(team_id, question_id)].append(text)

    for group in shown:
        team_ids = None if group.kind == "site" else {group.id}
        for q in questions:
            low, high = q.value_range or (0, -1)
            dist = {v: 0 for v in range(low, high + 1)}
            for (t, qid, value), n in counts.items():
                if qid == q.pk and (team_ids is None or t in team_ids) and value in dist:
                    dist[value] += n
            n = sum(dist.values())
            mean = round(sum(v * c for v, c in dist.items()) / n, 2) if n else None
            result = QuestionResult(q.pk, q.text, q.category, q.scale, n, mean, dist)
            if q.scale == Scale.TEXT:
                comments = [
                    text
                    for (t, qid), items in texts.items()
                    if qid == q.pk and (team_ids is None or t in team_ids)
                    for text in items
                ]
                result.n = len(comments)
                if (group.respondents or 0) >= comment_limit:
                    result.comments = sorted(comments, key=str.casefold)  # order reveals nothing
                else:
                    result.comments_hidden_reason = _(
                        "Comments are shown only when at least %(n)d people answered."
                    ) % {"n": comment_limit}
            if q.category == Category.ENPS:
                group.enps = enps(dist)
            group.questions.append(result)


def result_pulses(user: Any) -> Any:
    """Pulses of which the user may see at least one group (before thresholds)."""
    from django.db.models import Q

    scope = access.pulse_result_scope(user)
    me = access.employee_of(user)
    if scope is None or me is None:
        return Pulse.objects.none()
    teams, sites = scope
    team_sites = Team.objects.filter(pk__in=teams).values_list("site_id", flat=True)
    return (
        Pulse.objects.filter(organisation=me.organisation)
        .filter(
            Q(team_id__in=teams)
            | Q(team__isnull=True, site_id__in=sites)
            | Q(team__isnull=True, site_id__in=team_sites)
        )
        .select_related("organisation", "team", "site")
    )


def trend(
    user: Any, pulse: Pulse, *, kind: str, group_id: int, rounds: int = 8
) -> list[tuple[Pulse, GroupResult | None]]:
    """The same group over the latest rounds of the same audience up to `pulse`, each round
    through `anonymised_results` (so a hidden round stays hidden in the trend)."""
    siblings = (
        result_pulses(user)
        .filter(audience=pulse.audience, team=pulse.team_id, site=pulse.site_id)
        .filter(opens_at__lte=pulse.opens_at)
        .order_by("-opens_at")[:rounds]
    )
    series = []
    for p in reversed(list(siblings)):
        groups = anonymised_results(
            p,
            user=user,
            team=group_id if kind == "team" else None,
            site=group_id if kind == "site" else None,
        )
        series.append((p, next((g for g in groups if g.kind == kind and g.id == group_id), None)))
    return series


def moved_most(
    series: list[tuple[Pulse, GroupResult | None]], *, limit: int = 3
) -> list[dict[str, Any]]:
    """Questions whose mean changed most between the last two visible rounds of a trend."""
    visible = [(p, g) for p, g in series if g is not None and not g.hidden]
    if len(visible) < 2:
        return []
    (_p0, before), (_p1, after) = visible[-2], visible[-1]
    moves = []
    for q in after.questions:
        old = before.question(q.id)
        if q.mean is None or old is None or old.mean is None:
            continue
        moves.append(
            {
                "question": q.text,
                "before": old.mean,
                "after": q.mean,
                "change": round(q.mean - old.mean, 2),
                "width": 10 if q.scale == Scale.ZERO_TEN else 4,
            }
        )
    # Compare like with like: a change as a share of the scale's width (1–5 → 4, 0–10 → 10).
    moves.sort(key=lambda m: abs(m["change"]) / m["width"], reverse=True)
    for m in moves:
        del m["width"]
    return [m for m in moves if m["change"]][:limit]
