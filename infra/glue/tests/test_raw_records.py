"""raw_records.py: the same typed rows the local staging (RawStaging.cs, RawRecordParser.cs) produces."""

import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import raw_records as r  # noqa: E402

HEADER = b"Date,Open,High,Low,Close,Adj Close,Volume\n"


class ParseRecordTests(unittest.TestCase):
    def test_a_clean_record_is_typed(self):
        self.assertEqual(
            r.parse_record(b"2024-01-02,10.5,11,10,10.75,10.70,1200"),
            (datetime.date(2024, 1, 2), 10.5, 11.0, 10.0, 10.75, 10.70, True, 1200.0, True, None, None))

    def test_unparseable_values_are_none_and_an_unparsed_date_keeps_its_text(self):
        parsed = r.parse_record(b"2021-02-29,abc,,1e400,nan,NuLL, 12 ")
        self.assertEqual(parsed[0], None)
        self.assertEqual(parsed[1:6], (None, None, None, None, None))
        self.assertFalse(parsed[6], "null (any case) means no Adj Close was given")
        self.assertEqual(parsed[7], 12.0)
        self.assertTrue(parsed[8])
        self.assertEqual(parsed[10], "2021-02-29")

    def test_a_missing_volume_is_not_given_and_a_non_numeric_one_is(self):
        self.assertEqual(r.parse_record(b"2024-01-02,1,1,1,1,,")[7:9], (None, False))
        self.assertEqual(r.parse_record(b"2024-01-02,1,1,1,1,,lots")[7:9], (None, True))

    def test_numbers_follow_dotnet_float_parsing_not_pythons(self):
        self.assertEqual(r.parse_finite(b"+.5"), 0.5)
        self.assertEqual(r.parse_finite(b"5."), 5.0)
        self.assertEqual(r.parse_finite(b"-1.5E2"), -150.0)
        for text in (b"1_000", b"0x10", b"1e", b"", b".", b"inf", b"Infinity", b"NaN", b"1,5", "\u0661".encode()):
            self.assertIsNone(r.parse_finite(text), text)

    def test_dates_are_read_as_the_ingest_reads_them(self):
        self.assertEqual(r.parse_date(b"2024-02-29"), datetime.date(2024, 2, 29))
        self.assertEqual(r.parse_date(b"2024-01-02 00:00:00"), datetime.date(2024, 1, 2))
        self.assertEqual(r.parse_date(b"2024-01-02T00:00:00+09:00"), datetime.date(2024, 1, 2), "the date as written, not UTC")
        self.assertEqual(r.parse_date(b"2024-01-02 00:00:00-05:00"), datetime.date(2024, 1, 2))
        self.assertEqual(r.parse_date(b"Jan 2, 2020"), datetime.date(2020, 1, 2))
        for text in (b"2023-02-29", b"2024-1-02", b"02/01/2024", b"2024-01-02T00:00", b"0000-01-01", b"2024-13-01",
                     b"2024-01-02 24:00:00", b"Foo 2, 2020", b"null", b""):
            self.assertIsNone(r.parse_date(text), text)

    def test_an_adj_close_that_is_not_a_number_is_given_but_none(self):
        parsed = r.parse_record(b"2024-01-02,1,1,1,1,n/a,5")
        self.assertIsNone(parsed[5])
        self.assertTrue(parsed[6])

    def test_quoted_fields_may_hold_commas_and_doubled_quotes(self):
        self.assertEqual(r.split_fields(b'"2024-01-02","1,5","a""b",3\r'), [b"2024-01-02", b"1,5", b'a"b', b"3"])

    def test_too_many_fields_is_a_record_error_and_too_few_are_missing_values(self):
        self.assertEqual(r.parse_record(b"2024-01-02,1,2,3,4,5,6,7")[9], "8 fields, expected 7")
        short = r.parse_record(b"2024-01-02,1,2")
        self.assertIsNone(short[9])
        self.assertIsNone(short[3])
        self.assertIsNone(short[7])

    def test_fields_are_trimmed_of_whitespace(self):
        self.assertEqual(r.parse_record(b" 2024-01-02 ,\t1 ,2,3,4,,5")[0:2], (datetime.date(2024, 1, 2), 1.0))


class FileTests(unittest.TestCase):
    def test_rows_carry_file_and_line_in_source_order_and_blank_lines_are_not_rows(self):
        data = HEADER + b"2024-01-02,1,1,1,1,,10\n\n  \t\r\n2024-01-03,2,2,2,2,,20\r\n"
        rows = r.typed_rows(3, "AAPL", "k", data)
        self.assertEqual([row[-1] for row in rows], [(3 << 32) + 2, (3 << 32) + 5])
        self.assertEqual([row[0] for row in rows], ["AAPL", "AAPL"])
        self.assertEqual(len(rows[0]), len(r.RAW_TYPED_COLUMNS))

    def test_a_record_starting_with_a_tab_is_still_a_record(self):
        rows = r.typed_rows(0, "X", "k", HEADER + b"\t2024-01-02,1,1,1,1,,1\n")
        self.assertEqual(rows[0][1], datetime.date(2024, 1, 2))

    def test_a_quoted_newline_stays_inside_its_record(self):
        rows = r.typed_rows(0, "X", "k", HEADER + b'2024-01-02,"1\n",1,1,1,,1\n2024-01-03,1,1,1,1,,1\n')
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][-1], 3)

    def test_a_quoted_header_and_a_bom_are_accepted_and_another_header_stops_the_job(self):
        quoted = b'\xef\xbb\xbf"Date","Open","High","Low","Close","Adj Close","Volume"\r\n2024-01-02,1,1,1,1,,1\n'
        self.assertEqual(len(r.typed_rows(0, "X", "k", quoted)), 1)
        with self.assertRaises(r.RawFileError) as caught:
            r.typed_rows(0, "X", "s3://b/raw/prices/symbol=X/X_2024.csv", b"Date,Close\n2024-01-02,1\n")
        self.assertIn("X_2024.csv", str(caught.exception))

    def test_an_empty_file_has_no_rows(self):
        self.assertEqual(r.typed_rows(0, "X", "k", b""), [])

    def test_files_are_numbered_in_key_order_and_other_keys_are_skipped(self):
        keys = ["raw/prices/symbol=MSFT/MSFT_2024.csv", "raw/prices/symbol=AAPL/AAPL_2025.csv",
                "raw/prices/symbol=AAPL/AAPL_2024.csv", "raw/prices/symbol=AAPL/notes.txt"]
        self.assertEqual(r.number_files(keys), [
            (0, "AAPL", "raw/prices/symbol=AAPL/AAPL_2024.csv"),
            (1, "AAPL", "raw/prices/symbol=AAPL/AAPL_2025.csv"),
            (2, "MSFT", "raw/prices/symbol=MSFT/MSFT_2024.csv"),
        ])


if __name__ == "__main__":
    unittest.main()
