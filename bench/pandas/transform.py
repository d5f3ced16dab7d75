#!/usr/bin/env python3
"""The daily_metrics transform (docs/architecture.md, "The metrics") written the way a pandas user would: the baseline the
DuckDB transform is timed against. Reads the raw lake CSVs, cleans, de-duplicates (last ingested wins),
computes the metrics with groupby/rolling and writes Parquet partitioned by symbol.

Usage: transform.py LAKE_ROOT OUT_DIR
Prints one JSON line: rows, seconds per step, the writer used, a checksum and the peak memory (VmHWM).
Debian bookworm ships no Parquet engine for pandas (no pyarrow, no fastparquet): then the partitions are
written as pickle files instead, and the JSON says so.
"""
import glob
import json
import os
import sys
import time

import numpy as np
import pandas as pd

CSV_COLUMNS = ["Date", "Open", "High", "Low", "Close", "Adj Close", "Volume"]


def read_raw(lake):
    files = sorted(glob.glob(os.path.join(lake, "raw", "prices", "symbol=*", "*.csv")))
    frames = []
    for file_no, path in enumerate(files):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if list(frame.columns) != CSV_COLUMNS:
            raise ValueError(f"{path}: unexpected header {list(frame.columns)}")
        frame["symbol"] = os.path.basename(os.path.dirname(path)).split("=", 1)[1]
        frame["file_no"] = file_no
        frame["line_no"] = np.arange(len(frame))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def clean(raw):
    trade_date = pd.to_datetime(raw["Date"].str.strip(), format="%Y-%m-%d", errors="coerce")
    num = {c: pd.to_numeric(raw[c], errors="coerce") for c in ["Open", "High", "Low", "Close", "Volume"]}
    adj_text = raw["Adj Close"].str.strip()
    has_adj = ~adj_text.isin(["", "null", "NULL", "Null"])
    adj = pd.to_numeric(adj_text.where(has_adj), errors="coerce")
    ok = trade_date.notna()
    for c in ["Open", "High", "Low", "Close"]:
        ok &= np.isfinite(num[c]) & (num[c] > 0)
    ok &= num["High"] >= num["Low"]
    ok &= np.isfinite(num["Volume"]) & (num["Volume"] >= 0) & (num["Volume"] == np.floor(num["Volume"]))
    ok &= ~has_adj | (np.isfinite(adj) & (adj > 0))
    frame = pd.DataFrame({
        "symbol": raw["symbol"], "trade_date": trade_date,
        "open": num["Open"], "high": num["High"], "low": num["Low"], "close": num["Close"],
        "adj_close": adj.fillna(num["Close"]), "volume": num["Volume"],
        "file_no": raw["file_no"], "line_no": raw["line_no"],
    })[ok]
    frame["volume"] = frame["volume"].astype("int64")
    # Duplicate (symbol, date): the last ingested row wins.
    frame = frame.sort_values(["symbol", "trade_date", "file_no", "line_no"])
    frame = frame.drop_duplicates(["symbol", "trade_date"], keep="last")
    return frame.drop(columns=["file_no", "line_no"]).reset_index(drop=True), int((~ok).sum())


def metrics(frame):
    px = frame.groupby("symbol", sort=False)["adj_close"]
    prev = px.shift()
    frame["daily_return"] = frame["adj_close"] / prev - 1
    frame["log_return"] = np.log(frame["adj_close"] / prev)
    for n in (20, 50, 200):
        frame[f"ma_{n}"] = px.rolling(n).mean().reset_index(level=0, drop=True)
    returns = frame.groupby("symbol", sort=False)["daily_return"]
    frame["volatility_20"] = returns.rolling(20).std().reset_index(level=0, drop=True) * np.sqrt(252)
    frame["cumulative_return"] = frame["adj_close"] / px.transform("first") - 1
    frame["drawdown"] = frame["adj_close"] / px.cummax() - 1
    return frame


def write(frame, out):
    try:
        frame.to_parquet(out, partition_cols=["symbol"], index=False)
        return "parquet"
    except ImportError:
        for symbol, part in frame.groupby("symbol", sort=False):
            folder = os.path.join(out, f"symbol={symbol}")
            os.makedirs(folder, exist_ok=True)
            part.drop(columns=["symbol"]).to_pickle(os.path.join(folder, "data_0.pkl"))
        return "pickle (no Parquet engine installed)"


def peak_memory_kb():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def main():
    lake, out = sys.argv[1], sys.argv[2]
    seconds = {}
    start = time.perf_counter()
    raw = read_raw(lake)
    seconds["read"] = time.perf_counter() - start
    step = time.perf_counter()
    frame, rejected = clean(raw)
    seconds["clean_dedupe"] = time.perf_counter() - step
    step = time.perf_counter()
    frame = metrics(frame)
    seconds["metrics"] = time.perf_counter() - step
    step = time.perf_counter()
    writer = write(frame, out)
    seconds["write"] = time.perf_counter() - step
    seconds["total"] = time.perf_counter() - start
    print(json.dumps({
        "rows_read": len(raw), "rows_written": len(frame), "rows_rejected": rejected,
        "seconds": seconds, "writer": writer, "pandas": pd.__version__,
        "ma_200_sum": float(frame["ma_200"].sum()), "peak_kb": peak_memory_kb(),
    }))


if __name__ == "__main__":
    main()
