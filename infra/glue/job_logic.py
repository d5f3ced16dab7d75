"""The Glue job's decisions, without Spark: arguments, which symbols to rebuild, the SQL to run,
where statistics go. Unit-tested on any machine (infra/glue/tests)."""

import datetime
import json
import re

# The local Glue binding's arguments (src/Local/StockFlow.Runtime.Local/Bindings/GlueJobBinding.cs) plus the
# deployment's own (artifacts prefix, catalog names), which Pulumi sets as the job's default arguments.
REQUIRED_ARGUMENTS = (
    "lake_bucket", "execution_name", "changed_symbols_key", "full_rebuild",
    "artifacts_prefix", "database", "table",
)

RAW_PREFIX = "raw/prices/"
CURATED_PREFIX = "curated/daily_metrics/"
# The shared SQL, run in this order: clean_prices classifies raw_typed, daily_metrics reads the clean rows.
TRANSFORM_SQL = ("transform/clean_prices.sql", "transform/daily_metrics.sql")
# TransformResult.DuplicateReason (src/Local/StockFlow.GlueAthena.Local/Transform), as the local job counts it.
DUPLICATE_REASON = "duplicate (symbol, date): superseded by a later row"

# PriceRules (src/Shared/StockFlow.Core/Prices/PriceRules.cs): the limits clean_prices.sql names as ${...} placeholders.
EARLIEST_DATE = datetime.date(1900, 1, 1)
MIN_PRICE_SQL = "1.0E-6"
MAX_PRICE_SQL = "1.0E+9"
MAX_VOLUME = (1 << 53) - 1

# SymbolValidator's rules (src/Shared/StockFlow.Core/Symbols): A-Z, digits, . - = and a leading ^; at most 20; no "..".
_SYMBOL = re.compile(r"(?!.*\.\.)[A-Z0-9^][A-Z0-9.\-=]{0,19}\Z")
_EXECUTION = re.compile(r"[A-Za-z0-9_\-]{1,80}\Z")


class JobArgumentError(ValueError):
    """An argument the job cannot run with; the message names it."""


def parse_flag(name, value):
    text = (value or "").strip().lower()
    if text in ("true", "false"):
        return text == "true"
    raise JobArgumentError("--%s must be true or false, not %r." % (name, value))


def check_execution_name(name):
    if not _EXECUTION.match(name or ""):
        raise JobArgumentError("--execution_name %r is not an execution name (letters, digits, - and _)." % (name,))
    return name


def parse_changed_symbols(text, key):
    """The JSON array the summarize function wrote: the symbols whose raw data changed in this run."""
    try:
        value = json.loads(text)
    except ValueError as error:
        raise JobArgumentError("%s is not JSON: %s" % (key, error))
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise JobArgumentError("%s must hold a JSON array of symbols." % key)
    symbols = sorted(set(s.strip().upper() for s in value))
    bad = [s for s in symbols if not _SYMBOL.match(s)]
    if bad:
        raise JobArgumentError("%s names invalid symbols: %s" % (key, ", ".join(bad)))
    return symbols


def raw_prefixes(symbols):
    """Where to list raw files: everything on a full rebuild (None), else each changed symbol's partition."""
    if symbols is None:
        return [RAW_PREFIX]
    return [RAW_PREFIX + "symbol=%s/" % s for s in symbols]


def sql_statement(text):
    """A shared SQL file as one statement Spark accepts (no trailing semicolon)."""
    statement = text.strip()
    while statement.endswith(";"):
        statement = statement[:-1].rstrip()
    return statement


def artifact_key(prefix, relative):
    return prefix.rstrip("/") + "/" + relative


def statistics_key(execution_name):
    """Beside the run's other keys, where the report reads it."""
    return "runs/%s/transform/statistics.json" % execution_name


def statistics(execution_name, mode, symbols, reason_counts, rows_written):
    """Rows in, rejected by reason (the duplicate rule included, as the local job counts it), rows out.

    reason_counts: {reason or None: rows} from classified_prices (None = clean)."""
    rows_read = sum(reason_counts.values())
    excluded = dict((r, c) for r, c in reason_counts.items() if r is not None)
    clean = reason_counts.get(None, 0)
    duplicates = clean - rows_written
    if duplicates > 0:
        excluded[DUPLICATE_REASON] = duplicates
    return {
        "executionName": execution_name,
        "mode": mode,
        "symbols": list(symbols),
        "rowsRead": rows_read,
        "rowsWritten": rows_written,
        "rowsExcluded": sum(excluded.values()),
        "excludedByReason": dict(sorted(excluded.items())),
    }


def partition_last(columns, partition="symbol"):
    """insertInto matches columns by position and wants the partition column last."""
    return [c for c in columns if c != partition] + [partition]


def last_completed_weekday(now):
    """The last weekday before today (UTC): today's session may not have closed yet (PriceRules.LastCompletedWeekday)."""
    day = now.astimezone(datetime.timezone.utc).date() - datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def sql_variables(last_trade_date):
    """The SQL text of each ${name} of clean_prices.sql (PriceRules.SqlValues); Spark substitutes them from the
    session configuration, so the shared file runs unchanged."""
    return {
        "min_trade_date": "DATE '%s'" % EARLIEST_DATE.isoformat(),
        "last_trade_date": "DATE '%s'" % last_trade_date.isoformat(),
        "min_price": MIN_PRICE_SQL,
        "max_price": MAX_PRICE_SQL,
        "max_volume": str(MAX_VOLUME),
    }


def placeholders(sql):
    """The ${name} placeholders a SQL text uses."""
    return sorted(set(re.findall(r"\$\{([a-z_]+)\}", sql)))
