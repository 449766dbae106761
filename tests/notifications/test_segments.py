"""Segment counting (GSM-7 / UCS-2) as the contract states it, in the function and in the simulator."""

import pytest

from app.notifications.sms.segments import count_segments


@pytest.mark.parametrize(("body", "encoding", "units", "segments"), [
    ("", "GSM-7", 0, 0),
    ("a" * 160, "GSM-7", 160, 1),
    ("a" * 161, "GSM-7", 161, 2),
    ("a" * 306, "GSM-7", 306, 2),
    ("a" * 307, "GSM-7", 307, 3),
    ("Üñöä? Ñ§¿àèéùìòÇØøÅåÆæßÉ@£$¥ΔΩ", "GSM-7", 30, 1),  # accents and Greek that GSM-7 has
    ("ï", "UCS-2", 1, 1),  # i-diaeresis is not in GSM-7
    ("€" * 80, "GSM-7", 160, 1),  # extension characters count two
    ("€" * 81, "GSM-7", 162, 2),
    ("^{}\\[~]|€", "GSM-7", 18, 1),
    ("a" * 159 + "]", "GSM-7", 161, 2),
    ("ç", "UCS-2", 1, 1),  # lower-case c-cedilla is not in GSM-7
    ("ж" * 70, "UCS-2", 70, 1),
    ("ж" * 71, "UCS-2", 71, 2),
    ("ж" * 134, "UCS-2", 134, 2),
    ("ж" * 135, "UCS-2", 135, 3),
    ("😀" * 35, "UCS-2", 70, 1),  # an emoji is two UCS-2 code units
    ("😀" * 36, "UCS-2", 72, 2),
    ("Order shipped 🚚" + "a" * 54, "UCS-2", 70, 1),
    ("Order shipped 🚚" + "a" * 55, "UCS-2", 71, 2),
])
def test_count_segments(body, encoding, units, segments):
    count = count_segments(body)
    assert (count.encoding, count.units, count.segments) == (encoding, units, segments)


def test_per_segment_room_changes_once_the_body_is_split():
    assert count_segments("a" * 160).per_segment == 160
    assert count_segments("a" * 161).per_segment == 153
    assert count_segments("😀").per_segment == 70
    assert count_segments("😀" * 40).per_segment == 67


@pytest.mark.parametrize(("body", "segments"), [
    ("a" * 160, "1"), ("€" * 81, "2"), ("😀" * 36, "2"), ("ж" * 135, "3"),
])
def test_the_simulator_bills_what_count_segments_says(sms_sim, body, segments):
    response = sms_sim.post_message(sms_sim.form(body=body))
    assert response.status_code == 201 and response.json()["num_segments"] == segments
