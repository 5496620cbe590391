"""The audience builder's pure parts: polygons, the query's include and exclude lists, the reasons
people were left out, the files, the map projection and the form."""

from __future__ import annotations

import csv
import hashlib
import io

import openpyxl
import pytest
from starlette.datastructures import ImmutableMultiDict

from exports.audience_files import AUDIENCE_COLUMNS, audience_csv, audience_digest, audience_xlsx
from graph.audience import (
    AudienceFilter,
    PolygonError,
    audience_count_query,
    audience_query,
    filter_summary,
    left_out_reasons,
    parse_polygon,
    point_in_polygon,
)
from services.saved_audiences import AudienceForm, ids

SQUARE = ((51.0, -1.0), (51.0, 1.0), (52.0, 1.0), (52.0, -1.0))


@pytest.mark.parametrize(("text", "corners"), [
    ("51.5,-0.1; 51.52,-0.09; 51.51,-0.08", ((51.5, -0.1), (51.52, -0.09), (51.51, -0.08))),
    (" 1 , 2 ;3,4;5,6; ", ((1.0, 2.0), (3.0, 4.0), (5.0, 6.0))),
])
def test_a_typed_polygon_is_read_as_latitude_longitude_corners(text, corners):
    assert parse_polygon(text) == corners


@pytest.mark.parametrize(("text", "message"), [
    ("51.5,-0.1; 51.52,-0.09", "at least three corners, not 2"),
    ("51.5,-0.1; EC2V 9TA; 51.51,-0.08", "corner 2 ('EC2V 9TA') is not LAT,LON"),
    ("91,0; 1,1; 2,2", "corner 1: latitude must be within ±90"),
    ("", "not 0"),
])
def test_a_polygon_that_cannot_be_read_says_which_corner(text, message):
    with pytest.raises(PolygonError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_polygon(text)


@pytest.mark.parametrize(("point", "inside"), [
    ((51.5, 0.0), True), ((50.9, 0.0), False), ((51.5, 1.1), False), ((52.1, 0.0), False), ((51.99, 0.99), True),
])
def test_point_in_polygon_square(point, inside):
    assert point_in_polygon(*point, SQUARE) is inside


def test_point_in_polygon_concave_and_either_winding():
    # An L shape: the notch at the top right is outside.
    ell = ((0, 0), (0, 2), (1, 2), (1, 1), (2, 1), (2, 0))
    assert point_in_polygon(0.5, 1.5, ell)
    assert point_in_polygon(1.5, 0.5, ell)
    assert not point_in_polygon(1.5, 1.5, ell)
    assert point_in_polygon(1.5, 0.5, tuple(reversed(ell)))


@pytest.mark.parametrize("point", [
    (51.0, 0.0), (52.0, 0.0), (51.5, -1.0), (51.5, 1.0), (51.0, -1.0), (52.0, 1.0),
])
def test_a_point_on_the_edge_or_a_corner_is_inside(point):
    # Shapely's "intersects": the hand-written even-odd test counted the south and west edges in and
    # the north and east edges out.
    assert point_in_polygon(*point, SQUARE)


def test_a_polygon_whose_edges_cross_holds_the_parts_enclosed_an_odd_number_of_times():
    bow_tie = ((0, 0), (2, 2), (2, 0), (0, 2))  # two triangles meeting at (1, 1)
    assert point_in_polygon(0.5, 1.0, bow_tie)
    assert point_in_polygon(1.5, 1.0, bow_tie)
    assert not point_in_polygon(1.0, 0.5, bow_tie)
    assert not point_in_polygon(1.0, 1.5, bow_tie)


def test_corners_on_one_line_enclose_nothing():
    assert not point_in_polygon(1.0, 1.0, ((0, 0), (1, 1), (2, 2)))
    assert not point_in_polygon(0.0, 0.0, ((0, 0), (0, 0), (0, 0)))


def test_the_command_lines_filters_alone_build_no_include_or_exclude_terms():
    query, params = audience_query(AudienceFilter(wards=("Cheap",), issues=("fraud",)))
    assert "include" not in query and "exclude" not in query
    assert params == {"spoc": False, "wards": ["cheap"], "issues": ["fraud"]}


def test_includes_join_the_filters_and_exclusions_always_apply():
    query, params = audience_query(AudienceFilter(
        wards=("cheap",), include_contacts=("C-1",), include_organisations=("O-1",), exclude_contacts=("C-2",),
        exclude_organisations=("O-2",)))
    assert "(c.id IN $include_contacts OR EXISTS { (c)-[:WORKS_FOR]->(io:Organisation)" in query
    assert "NOT c.id IN $exclude_contacts" in query
    assert "($spoc OR NOT c.restricted)" in query  # named people are still hidden from a role that may not see them
    assert params["include_contacts"] == ["C-1"] and params["exclude_organisations"] == ["O-2"]


def test_includes_alone_are_the_audience():
    query, _ = audience_query(AudienceFilter(include_contacts=("C-1",)))
    assert "AND (c.id IN $include_contacts)" in query


def test_a_polygon_filters_on_the_postcodes_the_store_found_inside_it():
    _, params = audience_query(AudienceFilter(polygon=SQUARE, postcodes_in_polygon=("EC2V 9TA",)))
    assert params["polygon_postcodes"] == ["EC2V 9TA"]


def test_the_count_query_counts_without_the_minimum_priority_and_returns_no_ids():
    query, params = audience_count_query(AudienceFilter(min_priority="high", include_contacts=("C-1",),
                                                        issues=("fraud",)))
    assert params["min_rank"] == 3
    assert "RETURN count(c) AS candidates" in query and "c.id AS" not in query


def test_left_out_reasons_follow_the_channel_and_skip_zeros():
    counts = {"no_email": 2, "no_email_consent": 0, "no_mobile": 5, "held": 1, "excluded": 3,
              "below_priority": 4, "no_email_or_mobile": 1, "no_consent": 6, "no_phone": 7}
    assert left_out_reasons(counts, AudienceFilter(channel="email", min_priority="high")) == [
        ("no email address", 2), ("held until a steward reviews a possible duplicate", 1), ("in the exclude list", 3),
        ("priority below high", 4)]
    assert [label for label, _ in left_out_reasons(counts, AudienceFilter(channel="any"))][:2] == [
        "no email address or mobile number", "no consent to email or SMS on the ones they have"]
    assert left_out_reasons(counts, AudienceFilter(keyholders=True))[0] == ("no phone or mobile number", 7)


def test_the_audit_summary_holds_the_filters_as_set():
    summary = filter_summary(AudienceFilter(wards=("cheap",), near=(51.5, -0.1), radius_m=200.0, polygon=SQUARE,
                                            exclude_contacts=("C-2",), role="spoc"))
    assert summary == {"channel": "any", "role": "spoc", "wards": ["cheap"], "exclude_contacts": ["C-2"],
                       "near": [51.5, -0.1], "radius_m": 200.0, "polygon": [list(c) for c in SQUARE]}


RECIPIENTS = [
    {"contact_id": "C-2", "name": '=HYPERLINK("http://x","y")', "email": "a@example.org", "mobile": "+447700900123",
     "phone": "", "organisation": "@risk Ltd", "priority": "high", "source_records": ["b:2", "a:1"]},
    {"contact_id": "C-1", "name": "Zoë Kelcourt", "email": "", "mobile": "", "phone": "-cmd", "organisation": None,
     "priority": "low", "source_records": []},
]


def test_the_csv_has_the_command_lines_columns_and_neutralised_cells():
    rows = list(csv.reader(io.StringIO(audience_csv(RECIPIENTS).decode("utf-8-sig"))))
    assert tuple(rows[0]) == AUDIENCE_COLUMNS
    assert rows[1] == ["C-2", "'=HYPERLINK(\"http://x\",\"y\")", "a@example.org", "+447700900123", "",
                       "'@risk Ltd", "high", "b:2;a:1"]
    assert rows[2] == ["C-1", "Zoë Kelcourt", "", "", "'-cmd", "", "low", ""]


def test_the_xlsx_holds_text_cells_never_formulas():
    sheet = openpyxl.load_workbook(io.BytesIO(audience_xlsx(RECIPIENTS))).active
    rows = list(sheet.iter_rows(min_row=2))
    assert rows[0][1].value == "'=HYPERLINK(\"http://x\",\"y\")" and rows[0][1].data_type == "s"
    assert rows[0][3].value == "+447700900123"
    assert all(cell.data_type != "f" for row in rows for cell in row)


def test_the_digest_is_of_the_sorted_contact_ids_whatever_the_order():
    expected = hashlib.sha256(b"C-1\nC-2\n").hexdigest()
    assert audience_digest(RECIPIENTS) == expected == audience_digest(list(reversed(RECIPIENTS)))


def test_ids_are_read_from_any_separator_once_each():
    assert ids(" C-1, C-2;C-3\nC-1  C-4 ") == ("C-1", "C-2", "C-3", "C-4")
    assert ids("  ") == ()


def test_the_form_reads_lists_and_ticks_and_round_trips_through_json():
    params = ImmutableMultiDict([("wards", "cheap"), ("wards", "tower"), ("wards", " "), ("keyholders", "on"),
                                ("near", " EC2V 9TA "), ("csrf_token", "x"), ("exclude_saved", "old list")])
    form = AudienceForm.from_params(params)
    assert form.wards == ("cheap", "tower") and form.keyholders and form.near == "EC2V 9TA"
    assert form.channel == "any" and form.exclude_saved == ("old list",)
    assert AudienceForm.from_json(form.to_json()) == form
