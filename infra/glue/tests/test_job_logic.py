"""job_logic.py: the Glue job's arguments, symbols, SQL and statistics."""

import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import job_logic as j  # noqa: E402

REPO = os.path.join(os.path.dirname(__file__), "..", "..", "..")


class JobLogicTests(unittest.TestCase):
    def test_every_placeholder_of_the_shared_clean_prices_sql_gets_a_value(self):
        with open(os.path.join(REPO, "sql", "transform", "clean_prices.sql"), encoding="utf-8") as f:
            names = j.placeholders(f.read())
        self.assertTrue(names)
        variables = j.sql_variables(datetime.date(2024, 1, 5))
        self.assertEqual([n for n in names if n not in variables], [])
        self.assertEqual(variables["last_trade_date"], "DATE '2024-01-05'")
        self.assertEqual(variables["max_volume"], "9007199254740991")

    def test_the_last_trade_date_is_the_last_weekday_before_today_utc(self):
        utc = datetime.timezone.utc
        self.assertEqual(j.last_completed_weekday(datetime.datetime(2024, 1, 8, 3, 0, tzinfo=utc)), datetime.date(2024, 1, 5))
        self.assertEqual(j.last_completed_weekday(datetime.datetime(2024, 1, 10, 23, 0, tzinfo=utc)), datetime.date(2024, 1, 9))

    def test_changed_symbols_are_read_normalised_and_checked(self):
        self.assertEqual(j.parse_changed_symbols('["msft", "AAPL", "AAPL", "^GSPC"]', "k"), ["AAPL", "MSFT", "^GSPC"])
        self.assertEqual(j.parse_changed_symbols("[]", "k"), [])
        for bad in ('{"AAPL": 1}', "not json", '["../etc"]', '[1]', '["A..B"]'):
            with self.assertRaises(j.JobArgumentError, msg=bad):
                j.parse_changed_symbols(bad, "runs/x/ingest/changed-symbols.json")

    def test_raw_prefixes_cover_everything_on_a_full_rebuild_and_only_changed_symbols_otherwise(self):
        self.assertEqual(j.raw_prefixes(None), ["raw/prices/"])
        self.assertEqual(j.raw_prefixes(["AAPL", "MSFT"]), ["raw/prices/symbol=AAPL/", "raw/prices/symbol=MSFT/"])

    def test_flags_and_execution_names_are_checked(self):
        self.assertTrue(j.parse_flag("full_rebuild", "TRUE"))
        self.assertFalse(j.parse_flag("full_rebuild", "false"))
        with self.assertRaises(j.JobArgumentError):
            j.parse_flag("full_rebuild", "yes")
        self.assertEqual(j.check_execution_name("run-2024_01"), "run-2024_01")
        with self.assertRaises(j.JobArgumentError):
            j.check_execution_name("../x")

    def test_statistics_count_rows_in_rejections_by_reason_and_duplicates_as_the_local_job_does(self):
        stats = j.statistics("e1", "full", ["AAPL"], {None: 10, "high < low": 2, "open <= 0": 1}, rows_written=8)
        self.assertEqual(stats["rowsRead"], 13)
        self.assertEqual(stats["rowsWritten"], 8)
        self.assertEqual(stats["excludedByReason"], {j.DUPLICATE_REASON: 2, "high < low": 2, "open <= 0": 1})
        self.assertEqual(stats["rowsExcluded"], 5)
        self.assertEqual(j.statistics_key("e1"), "runs/e1/transform/statistics.json")

    def test_the_shared_sql_files_exist_and_become_single_statements(self):
        for name in j.TRANSFORM_SQL:
            with open(os.path.join(REPO, "sql", name), encoding="utf-8") as f:
                statement = j.sql_statement(f.read())
            self.assertFalse(statement.endswith(";"))
            self.assertIn("SELECT", statement)
        self.assertEqual(j.sql_statement("SELECT 1;\n"), "SELECT 1")

    def test_the_partition_column_goes_last(self):
        self.assertEqual(j.partition_last(["symbol", "trade_date", "open"]), ["trade_date", "open", "symbol"])

    def test_artifact_keys_join_the_prefix_once(self):
        self.assertEqual(j.artifact_key("artifacts/", "sql/transform/clean_prices.sql"), "artifacts/sql/transform/clean_prices.sql")


if __name__ == "__main__":
    unittest.main()
