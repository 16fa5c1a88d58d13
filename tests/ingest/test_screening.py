import pytest

from ingest.screening import chi_valid, scan_text

pytestmark = pytest.mark.unit


def _chi(prefix9: str) -> str:
    """Append the modulus-11 check digit, as a real CHI number has."""
    total = sum(int(d) * w for d, w in zip(prefix9, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    assert check != 10
    return prefix9 + str(check)


def test_chi_with_valid_check_digit_is_found():
    chi = _chi("150312345")  # 15 March 2012
    assert chi_valid(chi)
    assert scan_text(f"Child record {chi} referred") == ["CHI number"]
    assert scan_text(f"CHI: {chi[:6]} {chi[6:]}") == ["CHI number"]


def test_ten_digit_reference_failing_the_check_is_not_a_chi():
    chi = _chi("150312345")
    wrong = chi[:9] + str((int(chi[9]) + 1) % 10)
    assert not chi_valid(wrong)
    assert scan_text(f"Case reference {wrong}") == []
    assert scan_text("Order 9999999999 and 3112999999 (not a date)") == []


def test_national_insurance_number():
    assert scan_text("NI number AB 12 34 56 C on file") == ["National Insurance number"]
    assert scan_text("Reference GB 12 34 56 A") == []  # GB is never issued
    assert scan_text("Example QQ 12 34 56 C") == []  # QQ is the published example prefix


def test_date_of_birth_next_to_a_name():
    assert scan_text("Name: Jamie Smith, DOB: 04/05/2014") == ["date of birth next to a name"]
    assert scan_text("Jamie Smith was born on 4 May 2014.") == ["date of birth next to a name"]
    assert scan_text("Variables include date of birth, gender and ethnic group.") == []
    assert scan_text("Deaths of all live-born children up to their 18th birthday since 1 October 2021") == []


def test_personal_email_and_phone_but_not_published_contacts():
    assert scan_text("Contact jamie.smith@gmail.com") == ["personal email address"]
    # A named work address at an organisation is a published contact; the same beside a date of birth is not.
    assert scan_text("email jane.doe@edinburgh.gov.uk") == []
    assert "personal email address" in scan_text("Jane Doe, DOB 03/04/2015, jane.doe@edinburgh.gov.uk")
    assert scan_text("Feedback to plan2430@thepromise.scot or enquiries@gov.scot") == []
    assert scan_text("Call her on 07700 900123") == ["personal mobile phone number"]
    assert scan_text("Switchboard 0131 244 4000") == []
