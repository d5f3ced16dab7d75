"""StockFlow transform on AWS Glue 5.0 (Spark 3.5, Python 3.11).

Reads the raw CSVs (raw/prices/symbol=<SYM>/<SYM>_<YYYY>.csv), builds the typed relation the local
transform's staging builds (raw_records.py), runs the shared sql/transform/*.sql unchanged (read
from the artifacts prefix), writes daily_metrics as Parquet partitioned by symbol into the catalog
table (dynamic partition overwrite of the changed symbols; a full rebuild replaces the table's
data), and writes the job's statistics to runs/<execution>/transform/statistics.json.

Arguments: --lake_bucket --execution_name --changed_symbols_key --full_rebuild (as the local Glue
binding), and the deployment's --artifacts_prefix --database --table (job defaults, set by Pulumi).
"""

import datetime
import json
import sys

import boto3
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import types as T

import job_logic
import raw_records

RAW_TYPED_SCHEMA = T.StructType([
    T.StructField("symbol", T.StringType(), True),
    T.StructField("trade_date", T.DateType(), True),
    T.StructField("open", T.DoubleType(), True),
    T.StructField("high", T.DoubleType(), True),
    T.StructField("low", T.DoubleType(), True),
    T.StructField("close", T.DoubleType(), True),
    T.StructField("adj_close", T.DoubleType(), True),
    T.StructField("volume", T.DoubleType(), True),
    T.StructField("adj_close_given", T.BooleanType(), False),
    T.StructField("volume_given", T.BooleanType(), False),
    T.StructField("record_error", T.StringType(), True),
    T.StructField("date_text", T.StringType(), True),
    T.StructField("source_order", T.LongType(), False),
])


def list_keys(s3, bucket, prefix):
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys.extend(item["Key"] for item in page.get("Contents", []))
    return keys


def read_text(s3, bucket, key):
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")


def main():
    args = getResolvedOptions(sys.argv, ["JOB_NAME"] + list(job_logic.REQUIRED_ARGUMENTS))
    bucket = args["lake_bucket"]
    execution = job_logic.check_execution_name(args["execution_name"])
    full = job_logic.parse_flag("full_rebuild", args["full_rebuild"])
    table = "`%s`.`%s`" % (args["database"], args["table"])

    spark_context = SparkContext.getOrCreate()
    glue = GlueContext(spark_context)
    spark = glue.spark_session
    job = Job(glue)
    job.init(args["JOB_NAME"], args)
    s3 = boto3.client("s3")

    symbols = None if full else job_logic.parse_changed_symbols(read_text(s3, bucket, args["changed_symbols_key"]), args["changed_symbols_key"])
    keys = [k for prefix in job_logic.raw_prefixes(symbols) for k in list_keys(s3, bucket, prefix)]
    files = raw_records.number_files(keys)

    def typed(numbered):
        file_no, symbol, key = numbered
        body = boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
        return raw_records.typed_rows(file_no, symbol, "s3://%s/%s" % (bucket, key), body)

    # One task per file: the parser is the staging's, so every engine sees the same rows.
    raw_rdd = spark_context.parallelize(files, max(1, min(len(files), 2000))).flatMap(typed)
    spark.createDataFrame(raw_rdd, RAW_TYPED_SCHEMA).createOrReplaceTempView("raw_typed")

    clean_sql, metrics_sql = (
        job_logic.sql_statement(read_text(s3, bucket, job_logic.artifact_key(args["artifacts_prefix"], "sql/" + name)))
        for name in job_logic.TRANSFORM_SQL)
    # clean_prices.sql names its limits as ${...}: Spark's variable substitution fills them from the session conf.
    spark.conf.set("spark.sql.variable.substitute", "true")
    variables = job_logic.sql_variables(job_logic.last_completed_weekday(datetime.datetime.now(datetime.timezone.utc)))
    missing = [name for name in job_logic.placeholders(clean_sql) if name not in variables]
    if missing:
        raise job_logic.JobArgumentError("clean_prices.sql names placeholders this job does not define: %s" % ", ".join(missing))
    for name, value in variables.items():
        spark.conf.set(name, value)
    classified = spark.sql(clean_sql)
    classified.cache().createOrReplaceTempView("classified_prices")
    spark.sql("SELECT symbol, trade_date, open, high, low, close, adj_close, volume, source_order "
              "FROM classified_prices WHERE reason IS NULL").createOrReplaceTempView("raw_prices")
    metrics = spark.sql(metrics_sql)
    columns = job_logic.partition_last(metrics.columns)

    spark.sql(
        "CREATE TABLE IF NOT EXISTS %s (%s) USING PARQUET PARTITIONED BY (symbol) LOCATION 's3://%s/%s'" % (
            table,
            ", ".join("`%s` %s" % (f.name, f.dataType.simpleString()) for f in metrics.select(columns).schema.fields),
            bucket, job_logic.CURATED_PREFIX))
    # Dynamic: only the partitions this run writes are replaced; a full rebuild replaces them all.
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "static" if full else "dynamic")
    output = metrics.select(columns).cache()
    rows_written = output.count()
    output.write.mode("overwrite").insertInto(table)

    reason_counts = dict((row["reason"], row["rows"]) for row in
                         spark.sql("SELECT reason, COUNT(*) AS rows FROM classified_prices GROUP BY reason").collect())
    stats = job_logic.statistics(execution, "full" if full else "changed-symbols",
                                 sorted(set(f[1] for f in files)) if symbols is None else symbols,
                                 reason_counts, rows_written)
    s3.put_object(Bucket=bucket, Key=job_logic.statistics_key(execution),
                  Body=json.dumps(stats, indent=2).encode("utf-8"), ContentType="application/json")
    job.commit()


if __name__ == "__main__":
    main()
