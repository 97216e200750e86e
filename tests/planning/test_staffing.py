"""Channel staffing: phone, chat (concurrency), e-mail and social (deferred work)."""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veerkracht.planning import erlang, erlang_a, staffing
from veerkracht.planning.staffing import ServiceTarget, StaffingInputError, staff_channel

HOURS = np.arange(96) / 4.0  # hour of day of each quarter hour


def day_curve(peak: float) -> np.ndarray:
    return peak * np.exp(-0.5 * ((HOURS - 11.0) / 2.5) ** 2)


def fifo_on_time(
    arrivals: np.ndarray, agents: np.ndarray, aht_s: float, deadline: np.ndarray
) -> tuple[float, np.ndarray]:
    """Independent FIFO check: a queue of (amount, deadline) lots, worked interval by interval.

    Returns the share of contacts due within the horizon that were answered by their deadline,
    and the backlog at the end of each interval.
    """
    queue: deque[list[float]] = deque()
    on_time = due = 0.0
    backlog = np.zeros(arrivals.size)
    for t, (amount, staff) in enumerate(zip(arrivals, agents, strict=True)):
        if amount > 0:
            queue.append([float(amount), float(deadline[t])])
            if deadline[t] >= 0:
                due += amount
        capacity = staff * 900.0 / aht_s
        while queue and capacity > 1e-12:
            lot = queue[0]
            take = min(lot[0], capacity)
            lot[0] -= take
            capacity -= take
            if lot[1] >= t:
                on_time += take
            if lot[0] <= 1e-12:
                queue.popleft()
        backlog[t] = sum(lot[0] for lot in queue)
    return (on_time / due if due else 1.0), backlog


# --- phone ---------------------------------------------------------------------------------


def test_it_staffs_phone_with_erlang_c_and_grosses_up_for_shrinkage() -> None:
    arrivals = day_curve(300.0)
    target = ServiceTarget(aht_s=300, sl_target=0.8, target_s=20, shrinkage=0.35)
    result = staff_channel("phone", arrivals, target)
    raw = erlang.required_agents(arrivals, 300, 20, 0.8)
    assert result.model == "erlang_c"
    np.testing.assert_array_equal(result.raw_agents, raw)
    np.testing.assert_array_equal(result.scheduled_agents, np.ceil(raw / 0.65 - 1e-9))
    busy = arrivals > 0
    assert np.all(result.service_level[busy] >= 0.8)
    assert np.all(result.backlog == 0)


def test_it_staffs_phone_with_erlang_a_when_patience_is_given() -> None:
    arrivals = day_curve(300.0)
    target = ServiceTarget(aht_s=300, target_s=20, patience_s=90, max_abandon=0.05)
    result = staff_channel("phone", arrivals, target)
    expected = erlang_a.required_agents(arrivals, 300, 20, 0.8, 90, max_abandon=0.05)
    assert result.model == "erlang_a"
    np.testing.assert_array_equal(result.raw_agents, expected)
    assert np.all(result.abandon_rate <= 0.05 + 1e-12)
    assert np.all(result.service_level >= 0.8 - 1e-12)


def test_it_needs_no_agents_for_zero_arrivals_on_any_channel() -> None:
    zeros = np.zeros(96)
    for kind, target in [
        ("phone", ServiceTarget(aht_s=300)),
        ("chat", ServiceTarget(aht_s=600, concurrency=3)),
        ("email", ServiceTarget(aht_s=420, response_time_s=86_400)),
        ("social", ServiceTarget(aht_s=300, response_time_s=4 * 3600)),
    ]:
        result = staff_channel(kind, zeros, target)  # type: ignore[arg-type]
        assert result.raw_agents.sum() == 0
        assert result.scheduled_agents.sum() == 0


def test_it_leaves_closed_intervals_unstaffed() -> None:
    arrivals = day_curve(100.0)
    open_mask = (HOURS >= 8) & (HOURS < 20)
    result = staff_channel("phone", arrivals, ServiceTarget(aht_s=300), open_mask=open_mask)
    assert np.all(result.raw_agents[~open_mask] == 0)
    assert np.all(np.isnan(result.service_level[~open_mask]))
    assert np.all(result.raw_agents[open_mask & (arrivals > 1)] > 0)


# --- chat ----------------------------------------------------------------------------------


def test_it_slows_chats_down_with_concurrency() -> None:
    # aht_eff = aht * (1 + slowdown * (k - 1)): three chats at slowdown 0.25 take 1.5x as long.
    assert staffing.effective_chat_aht_s(600, 3, 0.25) == pytest.approx(900)
    assert staffing.effective_chat_aht_s(600, 1, 0.25) == 600


def test_it_staffs_chat_as_slots_of_concurrent_agents() -> None:
    arrivals = day_curve(200.0)
    target = ServiceTarget(aht_s=600, target_s=60, sl_target=0.8, concurrency=3, slowdown=0.2)
    result = staff_channel("chat", arrivals, target)
    slots = erlang.required_agents(arrivals, 600 * 1.4, 60, 0.8)
    np.testing.assert_array_equal(result.raw_agents, -(-slots // 3))
    assert np.all(result.service_level[arrivals > 0] >= 0.8)
    # fewer agents than one chat at a time, more than a slowdown-free ideal would need
    single = erlang.required_agents(arrivals, 600, 60, 0.8)
    ideal = -(-erlang.required_agents(arrivals, 600, 60, 0.8) // 3)
    assert result.raw_agents.sum() < single.sum()
    assert result.raw_agents.sum() >= ideal.sum()


def test_it_makes_chat_with_one_chat_at_a_time_plain_erlang_c() -> None:
    arrivals = day_curve(80.0)
    got = staffing.chat_required_agents(arrivals, 480, 30, 0.9, concurrency=1, slowdown=0.3)
    np.testing.assert_array_equal(got, erlang.required_agents(arrivals, 480, 30, 0.9))
    assert staffing.chat_required_agents(100, 600, 60, 0.8, 3, 0.2) == math.ceil(
        erlang.required_agents(100, 840, 60, 0.8) / 3
    )


# --- e-mail and social ---------------------------------------------------------------------


def test_it_answers_e_mail_within_business_hours() -> None:
    arrivals = np.tile(day_curve(40.0) + 0.5, 7)
    open_mask = np.tile((HOURS >= 8) & (HOURS < 18), 7)
    target = ServiceTarget(aht_s=420, response_time_s=8 * 3600, response_share=0.95, shrinkage=0.3)
    result = staff_channel("email", arrivals, target, open_mask=open_mask)
    assert result.model == "deferred_fifo"
    assert np.all(result.raw_agents[~open_mask] == 0)
    assert result.response_share is not None and result.response_share >= 0.95
    # an independent lot-by-lot FIFO simulation agrees on the share and the backlog
    plan = staffing.deferred_staffing(arrivals, 420, 8 * 3600, 0.95, open_mask=open_mask)
    share, backlog = fifo_on_time(arrivals, plan.agents, 420, plan.deadline)
    assert share == pytest.approx(plan.response_share, abs=1e-9)
    np.testing.assert_allclose(result.backlog, backlog, atol=1e-7)
    # mail that arrives at night waits for the morning: backlog at 08:00 on day 2
    assert result.backlog[96 + 31] > 0


def test_it_counts_response_time_in_opening_hours_only() -> None:
    # 10 mails in the 17:45 quarter, open 08:00-18:00, 4 business hours: that quarter plus
    # 15 quarters from 08:00 the next day, i.e. due by 11:45 (the end of slot 46 of day 2).
    arrivals = np.zeros(192)
    arrivals[71] = 10
    open_mask = np.tile((HOURS >= 8) & (HOURS < 18), 2)
    plan = staffing.deferred_staffing(arrivals, 600, 4 * 3600, 1.0, open_mask=open_mask)
    assert plan.deadline[71] == 96 + 46
    assert plan.response_share == 1.0
    assert plan.agents.sum() > 0


def test_it_staffs_webcare_around_the_clock_within_four_hours() -> None:
    arrivals = day_curve(30.0) + 1.0
    plan = staffing.deferred_staffing(arrivals, 300, 4 * 3600, 0.9)
    assert plan.response_share >= 0.9
    share, backlog = fifo_on_time(arrivals, plan.agents, 300, plan.deadline)
    assert share >= 0.9
    np.testing.assert_allclose(plan.backlog, backlog, atol=1e-7)
    # needs less staff than answering everything in its own interval
    eager = np.ceil(arrivals * 300 / 900)
    assert plan.agents.sum() < eager.sum()


@settings(max_examples=25, deadline=None)
@given(
    volumes=st.lists(st.floats(0, 50), min_size=96, max_size=96),
    hours=st.integers(1, 24),
    share=st.floats(0.5, 1.0),
)
def test_it_always_reaches_the_response_share(
    volumes: list[float], hours: int, share: float
) -> None:
    arrivals = np.array(volumes)
    plan = staffing.deferred_staffing(arrivals, 300, hours * 3600, share)
    achieved, backlog = fifo_on_time(arrivals, plan.agents, 300, plan.deadline)
    assert achieved >= share - 1e-9
    assert plan.response_share == pytest.approx(achieved, abs=1e-9)
    assert np.all(plan.backlog >= 0)


def test_it_rejects_a_response_time_shorter_than_an_interval() -> None:
    with pytest.raises(StaffingInputError, match="response_time_s"):
        staffing.deferred_staffing(np.ones(4), 300, 600)


def test_it_requires_a_response_time_for_deferred_channels() -> None:
    with pytest.raises(StaffingInputError, match="response_time_s"):
        staff_channel("email", np.ones(4), ServiceTarget(aht_s=300))


# --- results and errors --------------------------------------------------------------------


def test_it_adds_up_agent_hours_per_day_including_dst_days() -> None:
    arrivals = np.concatenate([day_curve(100.0)[:92], day_curve(100.0)])
    result = staff_channel("phone", arrivals, ServiceTarget(aht_s=300, shrinkage=0.2))
    hours = result.fte_hours_per_day([92, 96])
    assert hours.shape == (2,)
    assert hours[0] == pytest.approx(result.scheduled_agents[:92].sum() / 4)
    assert hours[1] == pytest.approx(result.scheduled_agents[92:].sum() / 4)
    raw = result.fte_hours_per_day([92, 96], scheduled=False)
    assert np.all(raw <= hours)
    with pytest.raises(StaffingInputError, match="intervals_per_day"):
        result.fte_hours_per_day([96, 96])


@pytest.mark.parametrize(
    ("kind", "arrivals", "target", "parameter"),
    [
        ("phone", [1.0, -2.0], {"aht_s": 300}, "arrivals"),
        ("phone", [1.0, float("nan")], {"aht_s": 300}, "arrivals"),
        ("phone", [1.0], {"aht_s": 0}, "aht_s"),
        ("phone", [1.0], {"aht_s": 300, "target_s": -5}, "target_s"),
        ("phone", [1.0], {"aht_s": 300, "sl_target": 1.0}, "sl_target"),
        ("phone", [1.0], {"aht_s": 300, "shrinkage": 1.0}, "shrinkage"),
        ("phone", [1.0], {"aht_s": 300, "max_occupancy": 1.5}, "max_occupancy"),
        ("phone", [1.0], {"aht_s": 300, "concurrency": 2}, "concurrency"),
        ("chat", [1.0], {"aht_s": 300, "concurrency": 0}, "concurrency"),
        ("chat", [1.0], {"aht_s": 300, "slowdown": -0.1}, "slowdown"),
        ("phone", [1.0], {"aht_s": 300, "patience_s": -1}, "patience_s"),
        ("phone", [1.0], {"aht_s": 300, "max_abandon": 0.05}, "max_abandon"),
        (
            "email",
            [1.0],
            {"aht_s": 300, "response_time_s": 3600, "response_share": 0},
            "response_share",
        ),
        ("fax", [1.0], {"aht_s": 300}, "kind"),
    ],
)
def test_it_rejects_impossible_input_naming_the_parameter(
    kind: str, arrivals: list[float], target: dict[str, float], parameter: str
) -> None:
    with pytest.raises(StaffingInputError, match=parameter):
        staff_channel(kind, np.array(arrivals), ServiceTarget(**target))  # type: ignore[arg-type]
