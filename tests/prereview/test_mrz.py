"""ICAO 9303 TD3: check digits, parsing, and picking the zone out of OCR text."""

from datetime import date

from prereview.mrz import check_digit, find_td3, parse_td3
from tests.prereview.documents import td3

TODAY = date(2026, 12, 2)
# The specimen of ICAO Doc 9303 part 4 (Utopia, Eriksson Anna Maria).
SPECIMEN = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def test_check_digits_of_the_icao_specimen():
    assert check_digit("L898902C3") == 6
    assert check_digit("740812") == 2
    assert check_digit("120415") == 9
    assert check_digit("ZE184226B<<<<<") == 1


def test_the_specimen_parses_with_every_check_digit_right():
    mrz = parse_td3(*SPECIMEN, today=TODAY)
    assert mrz.valid
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert (mrz.issuing_state, mrz.nationality, mrz.document_number) == ("UTO", "UTO", "L898902C3")
    assert mrz.birth_date == date(1974, 8, 12)
    assert mrz.expiry_date == date(2012, 4, 15)


def test_a_changed_document_number_breaks_its_digit_and_the_composite():
    line2 = "L898902C46" + SPECIMEN[1][10:]
    mrz = parse_td3(SPECIMEN[0], line2, today=TODAY)
    assert mrz.bad_check_digits == ("document_number", "composite")
    assert not mrz.valid


def test_lines_of_the_wrong_length_are_not_a_zone():
    assert parse_td3(SPECIMEN[0][:40], SPECIMEN[1], today=TODAY) is None
    assert parse_td3("I<UTO" + SPECIMEN[0][5:], SPECIMEN[1], today=TODAY) is None


def test_generated_zone_is_valid_and_a_broken_digit_is_named():
    good = td3(surname="Zhang", given="Wei", number="E12345678", nationality="GBR",
               birth=date(1985, 3, 14), sex="M", expiry=date(2031, 6, 30))
    assert parse_td3(*good, today=TODAY).valid
    bad = td3(surname="Zhang", given="Wei", number="E12345678", nationality="GBR",
              birth=date(1985, 3, 14), sex="M", expiry=date(2031, 6, 30), break_digit="expiry_date")
    # the generator recomputes the composite digit over the wrong one: only expiry is off
    assert parse_td3(*bad, today=TODAY).bad_check_digits == ("expiry_date",)


def test_ocr_noise_is_repaired_where_the_format_leaves_no_doubt():
    # Spaces, a short first line, "1" for "I" in the name, "Q" for "0" in a digit field.
    text = ("REPUBLIC OF UTOPIA\nP<UTOERIKSSON<<ANNA<MAR1A<<<<<<<<<\n"
            "L898902C36UTO7408122F12Q4159ZE184226B<<<<<10\n")
    mrz = find_td3(text, today=TODAY)
    assert mrz.valid
    assert mrz.given_names == "ANNA MARIA"
    assert mrz.expiry_date == date(2012, 4, 15)


def test_one_character_added_by_ocr_is_dropped_by_the_check_digits():
    text = SPECIMEN[0] + "\n" + SPECIMEN[1][:20] + "<" + SPECIMEN[1][20:] + "\n"
    assert find_td3(text, today=TODAY).valid


def test_text_without_a_zone_finds_nothing():
    assert find_td3("姓名 ZHANG WEI\nPassport E12345678", today=TODAY) is None
    assert find_td3("", today=TODAY) is None


def test_two_digit_years_birth_in_the_past_expiry_ahead():
    line1, line2 = td3(surname="A", given="B", number="X1", nationality="GBR",
                       birth=date(2001, 1, 2), sex="F", expiry=date(2036, 1, 1))
    mrz = parse_td3(line1, line2, today=TODAY)
    assert (mrz.birth_date, mrz.expiry_date) == (date(2001, 1, 2), date(2036, 1, 1))
