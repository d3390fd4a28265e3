"""R15: BIN/IIN check digit."""

import pytest

from app.core.identifiers import bin_iin_problem, check_digit


def test_valid_number_passes():
    # 1*9+2*0+3*0+4*4+5*0+6*1+7*5+8*0+9*0+10*0+11*1 = 77 -> 77 mod 11 = 0
    assert check_digit("90040150001") == 0
    assert bin_iin_problem("900401500010") is None


def test_wrong_check_digit_is_refused():
    assert bin_iin_problem("900401500011") == "has a wrong check digit"


@pytest.mark.parametrize("value", ["90040150001", "9004015000100", "", "90040150001a"])
def test_wrong_length_or_letters_are_refused(value):
    assert bin_iin_problem(value) == "must be exactly 12 digits"


def test_first_sum_ten_uses_second_weights():
    # first weights: 10*1 = 10 -> 10; second weights (3..11,1,2): 1*1 = 1
    assert check_digit("00000000010") == 1
    assert bin_iin_problem("000000000101") is None
    assert bin_iin_problem("000000000100") == "has a wrong check digit"


def test_ten_twice_is_invalid_whatever_the_last_digit():
    # first: 9*2 + 10*8 + 11*1 = 109 -> 10; second: 11*2 + 1*8 + 2*1 = 32 -> 10
    for last in "0123456789":
        assert bin_iin_problem("00000000281" + last) == (
            "is not a valid number (no check digit is possible)"
        )
