"""Erlang A (M/M/n+M): closed forms against a brute-force Markov chain, the limit to Erlang C,
the staffing search, properties and edge cases."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from veerkracht.planning import erlang, erlang_a
from veerkracht.planning.erlang import StaffingInputError

FAST = settings(max_examples=30, deadline=None)


def brute_force(
    arrivals: float, aht_s: float, n: int, target_s: float, patience_s: float, interval_s: float
) -> dict[str, float]:
    """Erlang A by brute force, independent of the closed forms.

    The stationary distribution of the birth-death chain (truncated far out), and for a contact
    that finds ``j`` others waiting, the chance to be answered within ``target_s`` from the
    matrix exponential of its own absorbing chain: ``k`` contacts ahead leave at rate
    ``n mu + k theta``, the head is answered at rate ``n mu``, and the contact itself hangs up
    at rate ``theta``.  Mean waits from the same chain's sums of exponentials.
    """
    lam, mu, theta = arrivals / interval_s, 1 / aht_s, 1 / patience_s
    bound = int(max(200, 20 * lam / theta + 50))
    log_p = np.zeros(n + bound + 1)
    for i in range(1, n + bound + 1):
        rate = i * mu if i <= n else n * mu + (i - n) * theta
        log_p[i] = log_p[i - 1] + math.log(lam / rate)
    # keep queue lengths up to where the probabilities fall below 1e-20 of the largest
    top = max(50, int(np.flatnonzero(log_p >= log_p.max() - 46.0)[-1]) - n + 1)
    p = np.exp(log_p[: n + top + 1] - log_p.max())
    p /= p.sum()
    waiting = p[n:]
    size = top + 3  # ahead = 0..top, answered, abandoned
    q = np.zeros((size, size))
    for k in range(top + 1):
        if k:
            q[k, k - 1] = n * mu + k * theta
        else:
            q[k, top + 1] = n * mu
        q[k, top + 2] = theta
        q[k, k] = -q[k].sum()
    answered_in_time = expm(q * target_s)[: top + 1, top + 1]
    j = np.arange(top + 1)
    a = n * mu / theta
    abandon = float((waiting * (1 - a / (a + j + 1))).sum())
    # E[V exp(-theta V)] for V = sum of Exp(n mu + k theta), k = 0..j
    served_wait = a / (theta * (a + j + 1)) * np.cumsum(1 / (a + j + 1))
    return {
        "sl": float(p[:n].sum() + (waiting * answered_in_time).sum()),
        "abandon": abandon,
        "wait": float(waiting.sum()),
        "asa": float((waiting * served_wait).sum() / (1 - abandon)),
    }


CASES = [
    # arrivals, aht_s, agents, target_s, patience_s, interval_s
    (100, 180, 20, 20, 60, 1800),  # light load, series/gammainc regimes
    (50, 300, 15, 30, 120, 900),  # overloaded (load 16.7 on 15 agents)
    (300, 300, 90, 20, 180, 900),  # 100 Erlang on 90 agents
    (300, 300, 110, 20, 180, 900),
    (20, 600, 10, 60, 30, 900),  # impatient, target longer than patience
    (5, 240, 2, 10, 600, 900),
    (400, 300, 150, 0, 90, 900),  # target 0 s
    (1, 300, 1, 20, 100, 900),
    (100, 180, 60, 20, 3600, 900),  # 20 Erlang, 60 agents, patient: quadrature regime
]


@pytest.mark.parametrize("case", CASES)
def test_it_matches_a_brute_force_markov_chain(case: tuple[float, ...]) -> None:
    arrivals, aht_s, n, target_s, patience_s, interval_s = case
    expected = brute_force(arrivals, aht_s, int(n), target_s, patience_s, interval_s)
    args = (arrivals, aht_s, n)
    assert erlang_a.service_level(*args, target_s, patience_s, interval_s) == pytest.approx(
        expected["sl"], abs=1e-9
    )
    assert erlang_a.abandon_rate(*args, patience_s, interval_s) == pytest.approx(
        expected["abandon"], abs=1e-10
    )
    assert erlang_a.prob_wait(*args, patience_s, interval_s) == pytest.approx(
        expected["wait"], abs=1e-10
    )
    assert erlang_a.asa_s(*args, patience_s, interval_s) == pytest.approx(expected["asa"], rel=1e-7)


def test_it_uses_each_evaluation_of_the_kummer_function() -> None:
    # The three ways to evaluate A(b, x) = 1 + sum_k prod_{i<=k} x / (b + i) (quadrature, power
    # series, gammainc) must agree with the plain sum, also on both sides of a switch
    # ((1000 - x)^2 = 900 x near x = 400.05).
    b = np.array([50.0, 200.0, 4000.0, 5.0, 40.0, 300.0, 1000.0, 1000.0])
    x = np.array([25.4, 60.0, 1500.0, 3.1, 20.6, 280.0, 400.0, 400.1])
    quad, series, incomplete = erlang_a._regimes(b, x)
    assert quad.any() and series.any() and incomplete.any()
    assert quad[6] and not quad[7]
    reference = []
    for bi, xi in zip(b, x, strict=True):
        term, total, i = 1.0, 1.0, 0
        while term > 1e-18 * total:
            i += 1
            term *= xi / (bi + i)
            total += term
        reference.append(math.log(total))
    np.testing.assert_allclose(erlang_a._log_a(b, x), reference, rtol=1e-11)


def test_it_becomes_erlang_c_as_patience_grows() -> None:
    # The gap to Erlang C shrinks in proportion to 1 / patience_s (a clean limit, no numerical
    # floor down to patience in the billions of seconds).
    arrivals = np.array([100.0, 300.0, 20.0, 3000.0])
    aht = np.array([180.0, 300.0, 600.0, 240.0])
    agents = np.array([25, 110, 16, 820])
    sl_c = erlang.service_level(arrivals, aht, agents, 20)
    asa_c = erlang.asa_s(arrivals, aht, agents)
    gaps = {}
    for patience_s in (1e6, 1e9):
        sl_a = erlang_a.service_level(arrivals, aht, agents, 20, patience_s)
        asa_a = erlang_a.asa_s(arrivals, aht, agents, patience_s)
        gaps[patience_s] = (sl_a - sl_c, asa_a / asa_c - 1)
        assert np.all(erlang_a.abandon_rate(arrivals, aht, agents, patience_s) < 1e3 / patience_s)
    assert np.all(np.abs(gaps[1e9][0]) < 1e-6)
    assert np.all(np.abs(gaps[1e9][1]) < 1e-5)
    np.testing.assert_allclose(gaps[1e9][0] * 1e3, gaps[1e6][0], rtol=1e-2)
    np.testing.assert_allclose(gaps[1e9][1] * 1e3, gaps[1e6][1], rtol=1e-2)


@FAST
@given(
    arrivals=st.floats(0.5, 3000),
    aht_s=st.floats(60, 900),
    extra=st.integers(1, 60),
    target_s=st.floats(0, 120),
)
def test_it_tends_to_erlang_c_for_any_queue(
    arrivals: float, aht_s: float, extra: int, target_s: float
) -> None:
    n = math.floor(arrivals * aht_s / 900) + extra
    patience_s = 1e9 * aht_s
    assert erlang_a.service_level(arrivals, aht_s, n, target_s, patience_s) == pytest.approx(
        erlang.service_level(arrivals, aht_s, n, target_s), abs=1e-6
    )
    assert erlang_a.prob_wait(arrivals, aht_s, n, patience_s) == pytest.approx(
        erlang.prob_wait(arrivals, aht_s, n), abs=1e-6
    )


def test_it_is_erlang_c_for_infinite_patience() -> None:
    assert erlang_a.service_level(100, 180, 25, 20, math.inf) == erlang.service_level(
        100, 180, 25, 20
    )
    assert erlang_a.required_agents(100, 180, 20, 0.8, math.inf) == erlang.required_agents(
        100, 180, 20, 0.8
    )
    assert erlang_a.abandon_rate(100, 180, 25, math.inf) == 0.0


@FAST
@given(
    arrivals=st.floats(0.5, 2000),
    aht_s=st.floats(60, 900),
    patience_s=st.floats(10, 3600),
    target_s=st.floats(0, 120),
    sl=st.floats(0.05, 0.98),
)
def test_it_staffs_exactly_at_the_target(
    arrivals: float, aht_s: float, patience_s: float, target_s: float, sl: float
) -> None:
    n = erlang_a.required_agents(arrivals, aht_s, target_s, sl, patience_s)
    assert n >= 1
    assert erlang_a.service_level(arrivals, aht_s, n, target_s, patience_s) >= sl - 1e-9
    if n > 1:
        assert erlang_a.service_level(arrivals, aht_s, n - 1, target_s, patience_s) < sl + 1e-9


@FAST
@given(
    arrivals=st.floats(0.5, 2000),
    aht_s=st.floats(60, 900),
    patience_s=st.floats(10, 3600),
    target_s=st.floats(0, 120),
    n=st.integers(1, 400),
)
def test_it_improves_with_every_extra_agent(
    arrivals: float, aht_s: float, patience_s: float, target_s: float, n: int
) -> None:
    sl = erlang_a.service_level(arrivals, aht_s, [n, n + 1], target_s, patience_s)
    abandon = erlang_a.abandon_rate(arrivals, aht_s, [n, n + 1], patience_s)
    assert sl[1] >= sl[0] - 1e-12
    assert abandon[1] <= abandon[0] + 1e-12


def test_it_staffs_for_an_abandonment_ceiling() -> None:
    n = erlang_a.required_agents(300, 300, 20, None, 120, max_abandon=0.02)
    assert erlang_a.abandon_rate(300, 300, n, 120) <= 0.02
    assert erlang_a.abandon_rate(300, 300, n - 1, 120) > 0.02
    both = erlang_a.required_agents(300, 300, 20, 0.8, 120, max_abandon=0.02)
    sl_only = erlang_a.required_agents(300, 300, 20, 0.8, 120)
    assert both == max(n, sl_only)


def test_it_finds_the_smallest_staff_for_a_whole_week() -> None:
    rng = np.random.default_rng(11)
    t = np.arange(672) % 96 / 4.0
    arrivals = 300 * np.exp(-0.5 * ((t - 11) / 3) ** 2) * rng.gamma(40, 1 / 40, 672) + 0.5
    aht = np.repeat([180.0, 300.0, 420.0, 600.0], 168)
    patience = np.repeat([60.0, 120.0, 240.0, 90.0], 168)
    n = erlang_a.required_agents(arrivals, aht, 20, 0.8, patience, max_abandon=0.05)
    meets = (erlang_a.service_level(arrivals, aht, n, 20, patience) >= 0.8 - 1e-9) & (
        erlang_a.abandon_rate(arrivals, aht, n, patience) <= 0.05 + 1e-9
    )
    below = np.maximum(n - 1, 0)
    below_meets = (erlang_a.service_level(arrivals, aht, below, 20, patience) >= 0.8 - 1e-9) & (
        erlang_a.abandon_rate(arrivals, aht, below, patience) <= 0.05 + 1e-9
    )
    assert meets.all()
    assert not below_meets[n > 1].any()


def test_it_handles_five_thousand_erlang() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        n = erlang_a.required_agents(15_000, 300, 20, 0.8, 120)
        # Impatient callers make a large queue efficiency-driven: fewer agents than the load.
        assert 4000 < n < 5000
        assert erlang_a.service_level(15_000, 300, n, 20, 120) >= 0.8
        assert erlang_a.service_level(15_000, 300, n - 1, 20, 120) < 0.8
        overloaded = erlang_a.abandon_rate(15_000, 300, 4000, 120)
        assert overloaded == pytest.approx(0.2, abs=0.01)  # fluid limit: 1 - n / load


def test_it_needs_no_agents_without_arrivals_and_reports_none_answered_without_agents() -> None:
    assert erlang_a.required_agents(0, 300, 20, 0.8, 60) == 0
    assert erlang_a.service_level(0, 300, 0, 20, 60) == 1.0
    assert erlang_a.service_level(10, 300, 0, 20, 60) == 0.0
    assert erlang_a.abandon_rate(10, 300, 0, 60) == 1.0
    assert erlang_a.abandon_rate(0, 300, 3, 60) == 0.0


def test_it_treats_target_zero_as_answered_without_waiting() -> None:
    for n in (15, 18, 22):
        assert erlang_a.service_level(60, 300, n, 0, 90) == pytest.approx(
            1 - erlang_a.prob_wait(60, 300, n, 90), abs=1e-12
        )


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"sl_target": 1.0}, "sl_target"),
        ({"patience_s": 0}, "patience_s"),
        ({"target_s": -1}, "target_s"),
        ({"arrivals": -1}, "arrivals"),
        ({"aht_s": -3}, "aht_s"),
        ({"shrinkage": 1.5}, "shrinkage"),
        ({"max_abandon": 0.0}, "max_abandon"),
        ({"sl_target": None}, "sl_target"),
    ],
)
def test_it_rejects_impossible_inputs_naming_the_parameter(
    kwargs: dict[str, object], parameter: str
) -> None:
    args: dict[str, object] = {
        "arrivals": 100,
        "aht_s": 180,
        "target_s": 20,
        "sl_target": 0.8,
        "patience_s": 60,
    }
    args.update(kwargs)
    with pytest.raises(StaffingInputError, match=parameter):
        erlang_a.required_agents(**args)  # type: ignore[call-overload]
