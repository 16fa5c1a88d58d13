"""The answer threshold is chosen for gain on held-out points, whatever their count (no model, no store)."""

import pytest

from evals.fit import choose_threshold

pytestmark = pytest.mark.unit


def _points(confs_right, confs_wrong):
    return ([{"conf": c, "answerable": 1.0, "right": 1.0, "pre_decided": 0.0} for c in confs_right]
            + [{"conf": c, "answerable": 1.0, "right": 0.0, "pre_decided": 0.0} for c in confs_wrong])


def test_a_costlier_wrong_answer_raises_the_threshold():
    right = [0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95]
    wrong = [0.2, 0.35, 0.45, 0.55, 0.65]
    cheap, table = choose_threshold(_points(right, wrong), 1.0)
    dear, _ = choose_threshold(_points(right, wrong), 5.0)
    assert dear > cheap
    row = next(r for r in table if r["threshold"] == cheap)
    given = [c for c in right + wrong if c >= cheap]
    assert row["answered"] == len(given)
    assert row["gain"] == pytest.approx((sum(c >= cheap for c in right) - sum(c >= cheap for c in wrong)) / 13)


def test_declines_everything_when_every_answer_would_be_wrong():
    threshold, table = choose_threshold(_points([], [0.1, 0.3, 0.5]), 3.0)
    assert next(r for r in table if r["threshold"] == threshold)["answered"] == 0


def test_each_part_of_a_question_is_taught_its_own_fact():
    from evals.fit import _part_facts

    must = [["registered medical practitioner"], ["registered nurse"]]
    assert _part_facts(must, 2, 1) == [["registered nurse"]]
    assert _part_facts(must, 1, 0) == must  # one part asks for both
    assert _part_facts([["a"], ["b"], ["c"]], 2, 0) == [["a"], ["b"], ["c"]]  # facts and parts do not pair up


def test_of_thresholds_dev_cannot_tell_apart_the_one_answering_most_is_chosen():
    # 40 right answers with confidences from 0.52 to 0.91, one wrong at 0.57: raising the threshold to 0.58 saves one
    # wrong answer (+3) but loses three right ones (-3) -- no better -- so the lower threshold stands.
    right = [0.52 + 0.01 * i for i in range(40)]
    threshold, table = choose_threshold(_points(right, [0.57]), 3.0)
    assert threshold <= 0.52
    # Ten wrong answers just below the right ones are a clear loss: the threshold rises above them.
    threshold, _ = choose_threshold(_points(right, [0.40 + 0.01 * i for i in range(10)]), 3.0)
    assert 0.50 <= threshold <= 0.52
