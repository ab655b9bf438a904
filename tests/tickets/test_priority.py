import pytest

from tugi.tickets.priority import Priority, priority_for


@pytest.mark.parametrize(
    ("impact", "urgency", "expected"),
    [(1, 1, 1), (1, 2, 2), (1, 3, 3), (2, 1, 2), (2, 2, 3), (2, 3, 4), (3, 1, 3), (3, 2, 4), (3, 3, 5)],
)
def test_itil_matrix_gives_the_priority(impact, urgency, expected):
    assert priority_for(impact, urgency) == Priority(expected)


def test_values_outside_the_matrix_are_refused():
    with pytest.raises(ValueError):
        priority_for(0, 2)
