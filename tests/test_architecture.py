import pytest

from hpo_teach.models.architecture import constant_width_for_budget, count_params
from hpo_teach.models.mlp import MLP


@pytest.mark.parametrize("sizes", [(2, 1), (2, 3, 2), (196, 64, 32, 16, 10), (784, 100, 100, 10), (5, 1, 1, 1, 3)])
def test_count_params_matches_mlp(sizes):
    assert count_params(sizes) == MLP(sizes).n_params


def test_count_params_by_hand():
    assert count_params([196, 64, 32, 16, 10]) == 196 * 64 + 64 + 64 * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10 == 15386


@pytest.mark.parametrize("depth", [1, 2, 3, 5])
@pytest.mark.parametrize("width", [1, 7, 50, 300])
def test_exact_budget_recovers_width(depth, width):
    n = count_params([196] + [width] * depth + [10])
    assert constant_width_for_budget(196, 10, depth, n) == width


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
@pytest.mark.parametrize("budget", [3000, 15386, 15423, 100003])
def test_width_is_closest_of_all(depth, budget):
    h = constant_width_for_budget(196, 10, depth, budget)
    gap = abs(count_params([196] + [h] * depth + [10]) - budget)
    for other in range(1, 400):
        assert gap <= abs(count_params([196] + [other] * depth + [10]) - budget)


def test_pyramid_budget_example():
    budget = count_params([196, 64, 32, 16, 10])
    h = constant_width_for_budget(196, 10, 3, budget)
    assert h == 50
    assert abs(count_params([196, h, h, h, 10]) - budget) / budget < 0.01


def test_smallest_budget_gives_width_one():
    assert constant_width_for_budget(4, 3, 2, count_params([4, 1, 1, 3])) == 1


@pytest.mark.parametrize("kwargs, message", [
    (dict(n_in=0, n_out=10, depth=1, n_params=1000), "n_in"),
    (dict(n_in=5, n_out=10, depth=0, n_params=1000), "depth"),
    (dict(n_in=5, n_out=10, depth=2, n_params=10), "n_params"),
    (dict(n_in=5, n_out=2.5, depth=2, n_params=1000), "n_out"),
])
def test_bad_arguments_name_themselves(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        constant_width_for_budget(**kwargs)


@pytest.mark.parametrize("sizes", [[10], [3, 0, 2], [3, 2.0]])
def test_count_params_rejects_bad_sizes(sizes):
    with pytest.raises((ValueError, TypeError), match="sizes"):
        count_params(sizes)
