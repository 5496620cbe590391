"""Which passwords a new account may have: the common ones are refused in their usual disguises."""

from __future__ import annotations

import pytest

from accounts.passwords import common_passwords, password_problem


@pytest.mark.parametrize("password", [
    "password1234", "Password1234!", "P@ssw0rd2024", "qwertyuiop123", "123456789012", "1q2w3e4r5t6y",
    "iloveyou1234", "September2024", "London2012!!", "LiverpoolFC1892", "!!Welcome2025!!",
    "administrator1"])
def test_a_common_password_is_refused_whatever_is_put_around_it(password):
    assert "commonly used" in password_problem(password, "alice")


@pytest.mark.parametrize("password, reason", [
    ("aaaaaaaaaaaaaaaa", "repeats"), ("abababababab", "repeats"), ("alice-in-the-city", "username"),
    ("short one", "at least 12")])
def test_other_weak_passwords_say_why(password, reason):
    assert reason in password_problem(password, "alice")


@pytest.mark.parametrize("password", ["plum orchard at dusk", "Tr0ub4dor&3xx", "violet kettle under stairs"])
def test_a_password_of_its_own_is_accepted(password):
    assert password_problem(password, "alice") is None


def test_the_shipped_list_holds_a_few_hundred_lower_case_passwords():
    listed = common_passwords()
    assert len(listed) > 400 and all(word == word.lower() and word.strip() == word for word in listed)
