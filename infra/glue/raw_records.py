"""Typed raw price records, exactly as the local transform stages them.

Pure Python (no Spark), so it is unit-tested on any machine. It mirrors
src/Local/StockFlow.GlueAthena.Local/DuckDb/RawStaging.cs and RawRecordParser.cs: the Glue job and the
local DuckDB transform feed the same relation to the same sql/transform/clean_prices.sql,
so a row is kept, rejected or deduplicated the same way on both.

raw_typed columns: symbol, trade_date (date or None), open, high, low, close, adj_close,
volume (float or None: None when missing, unparseable or not finite), adj_close_given and
volume_given (the field held something other than empty/"null": a missing adj close means
close, a missing volume means 0), record_error (a record that
does not split into the seven columns), date_text (a date that did not parse, as written),
source_order (file_no * 2^32 + line: files in key order, lines in file order; a greater
value was ingested later and wins a duplicate).
"""

import datetime
import math
import re

EXPECTED_HEADER = "Date,Open,High,Low,Close,Adj Close,Volume"
FIELD_COUNT = 7

# Columns of raw_typed, in the order the SQL reads them.
RAW_TYPED_COLUMNS = (
    "symbol", "trade_date", "open", "high", "low", "close", "adj_close", "volume",
    "adj_close_given", "volume_given", "record_error", "date_text", "source_order",
)

_WHITESPACE = b" \t\n\v\f\r"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# .NET's NumberStyles.Float with the invariant culture, on an already trimmed field:
# optional sign, digits with an optional decimal point, optional exponent. ASCII digits only
# (Python's float() also takes underscores and non-ASCII digits, which .NET refuses).
_NUMBER = re.compile(rb"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_DATE = re.compile(rb"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
# The ingest's other date layouts (PriceFieldParser.DateFormats): date-times keep the calendar date as written.
_DATE_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[ T]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:[+-]([0-9]{2}):([0-9]{2}))?\Z")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3}) ([0-9]{1,2}), ([0-9]{4})\Z")
_RAW_KEY = re.compile(r"raw/prices/symbol=([^/]+)/[^/]+\.csv\Z")


class RawFileError(ValueError):
    """A raw file the job cannot read by position (wrong header): the job stops, it does not misread."""


def source_order(file_no, line):
    """A row's ingest order: file number in the high 32 bits, line number in the low."""
    return (file_no << 32) + line


def symbol_of_key(key):
    """The symbol partition of a raw price key, or None for a key that is not a raw price file."""
    match = _RAW_KEY.search(key)
    return match.group(1) if match else None


def trim(field):
    return field.strip(_WHITESPACE)


def parse_finite(field):
    """A number as .NET's double.TryParse(Float, Invariant) reads it; None if missing, unparseable or not finite."""
    if not field or not _NUMBER.match(field):
        return None
    value = float(field)
    return value if math.isfinite(value) else None


def is_missing(field):
    """Empty or "null" in any case (PriceFieldParser.IsMissing)."""
    return not field or field.lower() == b"null"


def _calendar_day(year, month, day):
    try:
        return datetime.date(year, month, day) if year >= 1 else None
    except ValueError:
        return None


def parse_date(field):
    """As the ingest reads dates: yyyy-MM-dd (a real calendar day; 2021-02-29 is not), else its other layouts
    (yyyy-MM-dd[ T]HH:mm:ss with an optional +hh:mm offset, and "Jan 2, 2020"), keeping the date as written."""
    match = _DATE.match(field)
    if match:
        return _calendar_day(*(int(g) for g in match.groups()))
    if is_missing(field):
        return None
    try:
        text = field.decode("ascii")
    except UnicodeDecodeError:
        return None
    match = _DATE_TIME.match(text)
    if match:
        year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
        offset_hours = match.group(7)
        if hour > 23 or minute > 59 or second > 59 or (offset_hours is not None and (int(offset_hours) > 14 or int(match.group(8)) > 59)):
            return None
        return _calendar_day(year, month, day)
    match = _MONTH_DAY_YEAR.match(text)
    if match and match.group(1).lower() in _MONTHS:
        return _calendar_day(int(match.group(3)), _MONTHS.index(match.group(1).lower()) + 1, int(match.group(2)))
    return None


def split_fields(record):
    """Splits on commas outside double quotes ("" inside quotes is a quote); returns all fields."""
    if record.endswith(b"\r"):
        record = record[:-1]
    if b'"' not in record:
        return record.split(b",")
    fields = []
    current = bytearray()
    in_quotes = False
    i = 0
    n = len(record)
    while i < n:
        b = record[i]
        if in_quotes:
            if b != 0x22:
                current.append(b)
            elif i + 1 < n and record[i + 1] == 0x22:
                current.append(b)
                i += 1
            else:
                in_quotes = False
        elif b == 0x22:
            in_quotes = True
        elif b == 0x2C:
            fields.append(bytes(current))
            current = bytearray()
        else:
            current.append(b)
        i += 1
    fields.append(bytes(current))
    return fields


def parse_record(record):
    """One record (without its newline) -> (trade_date, open, high, low, close, adj_close, volume,
    adj_close_given, volume_given, record_error, date_text)."""
    fields = split_fields(record)
    if len(fields) > FIELD_COUNT:
        return (None, None, None, None, None, None, None, False, False,
                "%d fields, expected %d" % (len(fields), FIELD_COUNT), None)
    fields = [trim(f) for f in fields] + [b""] * (FIELD_COUNT - len(fields))
    date_text = fields[0]
    date = parse_date(date_text)
    adj_text = fields[5]
    volume_text = fields[6]
    return (
        date,
        parse_finite(fields[1]),
        parse_finite(fields[2]),
        parse_finite(fields[3]),
        parse_finite(fields[4]),
        parse_finite(adj_text),
        not is_missing(adj_text),
        parse_finite(volume_text),
        not is_missing(volume_text),
        None,
        date_text.decode("utf-8", errors="replace") if date is None and date_text else None,
    )


def record_end(data, start):
    """Index of the newline ending the record at start (outside quotes), or len(data)."""
    newline = data.find(b"\n", start)
    segment_end = len(data) if newline < 0 else newline
    if data.find(b'"', start, segment_end) < 0:
        return segment_end
    in_quotes = False
    for i in range(start, len(data)):
        b = data[i]
        if b == 0x22:
            in_quotes = not in_quotes
        elif b == 0x0A and not in_quotes:
            return i
    return len(data)


def is_blank(record):
    return not record or (record[0] in b" \t\r" and not record.strip(b" \t\r"))


def skip_header(data, path):
    """Offset of the first record after a checked header; raises RawFileError for another header."""
    if not data:
        return 0
    end = record_end(data, 0)
    header = data[:end].decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r")
    if header.replace('"', "") != EXPECTED_HEADER:
        raise RawFileError("Raw price file '%s' has header '%s'; expected '%s'." % (path, header, EXPECTED_HEADER))
    return min(end + 1, len(data))


def typed_rows(file_no, symbol, path, data):
    """Every record of one raw file as a raw_typed row (a tuple in RAW_TYPED_COLUMNS order)."""
    position = skip_header(data, path)
    line = 1
    rows = []
    while position < len(data):
        end = record_end(data, position)
        record = data[position:end]
        position = end + 1
        line += 1
        if is_blank(record):
            continue
        parsed = parse_record(record)
        rows.append((symbol,) + parsed + (source_order(file_no, line),))
    return rows


def number_files(keys):
    """(file_no, symbol, key) for the raw price keys, in key order (the order that decides duplicates)."""
    numbered = []
    for key in sorted(keys):
        symbol = symbol_of_key(key)
        if symbol is not None:
            numbered.append((len(numbered), symbol, key))
    return numbered
