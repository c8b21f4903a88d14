#!/usr/bin/env python3
"""visitgraph's map step on Apache Spark: JSON Lines pages in, one shard graph per partition out.

    spark-submit bench/spark_job.py [--bin visitgraph] [--partitions N] INPUT.jsonl OUT_DIR [-- EXTRACT_ARGS...]
    python bench/spark_job.py ...            (pyspark installed: local mode, --master local[*])

Each partition's records (`{"id": ..., "text": ...}` lines, read with `textFile`, so INPUT
may be a local path, a glob or an hdfs:// / s3a:// URI) are piped through
`visitgraph extract --jsonl - --quiet EXTRACT_ARGS...`; the graph each partition gives is
written to OUT_DIR/shard-NNNNN.json (collected to the driver). The reduce step is then

    visitgraph merge OUT_DIR/shard-*.json -o graph.json

which gives the same bytes as one `visitgraph extract` over all the records.

On a cluster, ship the binary (and dictionary folders) with the job: `--files visitgraph`
and `--archives dict.tar.gz#dict`, then `--bin visitgraph -- --no-builtin --dict dict`; a
--bin that is not an existing path is looked up with SparkFiles.get, then in the task's
working directory.
"""

import argparse
import os
import subprocess
import sys

from pyspark import SparkFiles
from pyspark.sql import SparkSession


def resolve(binary):
    if os.path.isabs(binary) and os.path.exists(binary):
        return binary
    for cand in (SparkFiles.get(binary), os.path.join(os.getcwd(), binary), binary):
        if os.path.exists(cand):
            return os.path.abspath(cand)
    return binary


def main():
    argv = sys.argv[1:]
    extract_args = []
    if "--" in argv:
        i = argv.index("--")
        argv, extract_args = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="visitgraph")
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--master", default=None, help="default: spark-submit's, else local[*]")
    ap.add_argument("input")
    ap.add_argument("out_dir")
    a = ap.parse_args(argv)

    builder = SparkSession.builder.appName("visitgraph-extract")
    if a.master or not os.environ.get("SPARK_ENV_LOADED"):
        builder = builder.master(a.master or "local[*]")
    spark = (builder.config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    binary = a.bin

    def extract(index, lines):
        """The map step: this partition's JSON Lines through `visitgraph extract`."""
        data = "".join(line + "\n" for line in lines if line.strip()).encode("utf-8")
        if not data:
            return
        cmd = [resolve(binary), "extract", "--jsonl", "-", "--quiet", *extract_args]
        p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode == 3:  # graph written, some records skipped (each named on stderr)
            sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        elif p.returncode != 0:
            raise RuntimeError(f"partition {index}: {' '.join(cmd)} exited {p.returncode}: "
                               f"{p.stderr.decode('utf-8', 'replace')[-2000:]}")
        yield index, p.stdout.decode("utf-8")

    rdd = spark.sparkContext.textFile(a.input, minPartitions=a.partitions)
    shards = rdd.mapPartitionsWithIndex(extract).collect()
    os.makedirs(a.out_dir, exist_ok=True)
    for index, graph in shards:
        with open(os.path.join(a.out_dir, f"shard-{index:05d}.json"), "w", encoding="utf-8") as f:
            f.write(graph)
    print(f"spark_job: {rdd.getNumPartitions()} partitions, {len(shards)} shard graphs -> {a.out_dir}",
          file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main()
