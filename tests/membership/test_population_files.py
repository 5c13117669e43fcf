"""Reading population files: SSB table 07459 as downloaded (long or wide, split by age) and plain CSVs."""

from membership.population_files import PopulationRow, parse_population_file
from tests.membership.conftest import data_file


def _counts(parsed):
    return {(r.number, r.year): r.count for r in parsed.rows}


def test_ssb_download_split_by_age_is_summed_per_municipality_and_year():
    parsed = parse_population_file(data_file("ssb_07459_by_age_2017.csv").read_bytes())
    assert parsed.errors == []
    assert parsed.layout == "ssb-long"
    # The official figures of 1.1.2017 (SSB 07459): Drammen 68 363, Lier 25 740, Gol 4 612.
    assert _counts(parsed) == {("0602", 2017): 68363, ("0626", 2017): 25740, ("0617", 2017): 4612}
    drammen = next(r for r in parsed.rows if r.number == "0602")
    assert drammen.line == 4  # the first line of the group: title, blank line and header come first
    assert drammen.label == "Drammen"  # "(-2019)" is SSB's note on the old number, not part of the name


def test_ssb_download_with_one_column_per_year_is_read():
    parsed = parse_population_file(data_file("ssb_07459_wide.csv").read_bytes())
    assert parsed.errors == []
    assert parsed.layout == "ssb-wide"
    assert _counts(parsed) == {
        ("0602", 2016): 67895,
        ("0602", 2017): 68363,
        ("0626", 2016): 25513,
        ("0626", 2017): 25740,
        ("0617", 2016): 4590,
        ("0617", 2017): 4612,
    }
    # 3005 Drammen did not exist in 2016-2017: SSB marks the cells with "." and they are skipped, not saved.
    assert [line for line, _m in parsed.skipped] == [7, 7]


def test_api_csv_with_table_title_as_value_column_and_k_prefixed_labels_is_read():
    text = (
        '"region";"år";"statistikkvariabel";"07459: Befolkning, etter region, år og statistikkvariabel"\n'
        '"K-3005 Drammen";"2020";"Personer";101386\n'
    )
    parsed = parse_population_file(text.encode())
    assert parsed.errors == []
    assert _counts(parsed) == {("3005", 2020): 101386}


def test_windows_1252_download_is_decoded():
    text = '"region";"alder";"år";"Personer"\r\n"0619 Ål (-2019)";"0 år";"2017";4725\r\n'
    parsed = parse_population_file(text.encode("cp1252"))
    assert parsed.errors == []
    assert parsed.rows == [PopulationRow(line=2, number="0619", year=2017, count=4725, label="Ål")]


def test_every_bad_line_of_a_broken_ssb_file_is_listed_by_line_number():
    parsed = parse_population_file(data_file("ssb_07459_broken.csv").read_bytes())
    lines = [line for line, _message in parsed.errors]
    assert lines == [5, 6, 8, 10]
    messages = dict(parsed.errors)
    assert "negativt" in messages[5]
    assert "«06 Buskerud» er ikke en kommune" in messages[6]
    assert "«mange» er ikke et tall" in messages[8]
    assert "gjentar linje 9" in messages[10]


def test_a_group_with_some_missing_figures_is_an_error_not_a_wrong_sum():
    text = '"region";"alder";"år";"Personer"\n"0617 Gol";"0 år";"2017";40\n"0617 Gol";"1 år";"2017";..\n'
    parsed = parse_population_file(text.encode())
    assert parsed.rows == []
    assert parsed.errors[0][0] == 3
    assert "noen tall mangler" in parsed.errors[0][1]


def test_ssb_nil_mark_counts_as_zero():
    text = '"region";"alder";"år";"Personer"\n"0617 Gol";"0 år";"2017";40\n"0617 Gol";"105 år eller eldre";"2017";-\n'
    assert _counts(parse_population_file(text.encode())) == {("0617", 2017): 40}


def test_plain_csv_is_read():
    parsed = parse_population_file(data_file("plain_2017.csv").read_bytes())
    assert parsed.errors == []
    assert parsed.layout == "plain"
    assert _counts(parsed) == {("0602", 2017): 68363, ("0626", 2017): 25740, ("0617", 2017): 4612}


def test_plain_csv_errors_name_the_line_and_the_problem():
    text = (
        "kommunenummer,year,population\n"
        "602,2017,68363\n"  # 2: a spreadsheet dropped the leading zero
        "0626,2017,-1\n"  # 3: negative
        "0617,20x7,4612\n"  # 4: not a year
        "0617,2017,4612\n"
        "0617,2017,4613\n"  # 6: the same municipality and year twice
        "0619,2017,0\n"  # 7: nobody lives there?
        "0620,2017\n"
    )  # 8: a field missing
    parsed = parse_population_file(text.encode())
    errors = dict(parsed.errors)
    assert sorted(errors) == [2, 3, 4, 6, 7, 8]
    assert "ledende nullen" in errors[2]
    assert "negativt" in errors[3]
    assert "årstall" in errors[4]
    assert "også på linje 5" in errors[6]
    assert "større enn null" in errors[7]
    assert "ventet tre" in errors[8]


def test_unknown_columns_are_refused_with_the_header_line():
    parsed = parse_population_file(b"kommune;antall\n0602;68363\n")
    assert parsed.errors[0][0] == 1
    assert parsed.errors[0][1].startswith("Kjente ikke igjen kolonnene «antall»")
    assert parse_population_file(b"a;b;c\n1;2;3\n").errors[0][1].startswith("Kjente ikke igjen kolonnene «a», «b», «c»")


def test_another_statistic_in_the_contents_column_is_refused():
    text = '"region";"år";"statistikkvariabel";"Verdi"\n"0602 Drammen";"2017";"Levendefødte";800\n'
    parsed = parse_population_file(text.encode())
    assert parsed.errors == [(2, "Statistikkvariabelen «Levendefødte» er ikke et innbyggertall (ventet «Personer»).")]


def test_empty_file_is_refused():
    assert parse_population_file(b"").errors == [(1, "Filen er tom.")]
