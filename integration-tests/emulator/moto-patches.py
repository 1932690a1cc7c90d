"""Two places where moto 5.2.5 answers differently from AWS, mended as AWS behaves. Idempotent;
run with the Python that has moto installed.

1. CloudWatch's percentile statistics (p95, p99.9, ...) in GetMetricData, which moto answers with
   None. The relays publish round-trip times as value/count arrays and the autoscaler reads their
   p95: without this the emulator could not answer the question the daemon asks. Nearest-rank over
   every value in the period, counts expanded, as moto stores them.
2. A CloudFormation AWS::KMS::Key with Tags: CloudFormation gives tags as Key/Value, and moto hands
   them to KMS's tagger, which wants TagKey/TagValue, so the stack fails with a KeyError. The key's
   tags are translated.
3. GetMetricData's time, which in moto grows with every datum in the window times every query
   times every period (each period of each query scans the whole window, sorting each datum's
   dimensions), where CloudWatch answers in milliseconds whatever it stores. A daemon asking for 5
   minutes of 10 s periods of a dozen series, each published every second, waited seconds for an
   answer and timed out (the soak's daemons read their metrics on fewer than half their ticks).
   The same answers: the window's datums are grouped once by name and dimensions, each query takes
   its own from its group by moto's own test, and each period takes its own from those.
"""

import pathlib

import moto.cloudwatch.models as models
import moto.kms.models as kms_models

MARKER = "# liffey: percentile statistics"
PATCH = '''        if stat.startswith("p"):  # liffey: percentile statistics
            values = sorted(self.metric_single_values_list)
            if not values:
                return None
            rank = max(1, -(-float(stat[1:]) * len(values) // 100))
            return values[int(rank) - 1]
        return None
'''

path = pathlib.Path(models.__file__)
source = path.read_text()
if MARKER not in source:
    anchor = '''        if stat == "SampleCount":
            return self.sample_count
        return None
'''
    if anchor not in source:
        raise SystemExit(f"{path}: moto changed; cannot add percentile statistics")
    source = source.replace(
        anchor, anchor[: -len("        return None\n")] + PATCH
    )
    path.write_text(source)
    print(f"{path}: percentile statistics added")

KMS_MARKER = "# liffey: CloudFormation tags"
KMS_ANCHOR = '            tags=properties.get("Tags", []),\n        )\n        key.key_rotation_status'
KMS_TAGS = (
    '            tags=[{"TagKey": t["Key"], "TagValue": t["Value"]}'
    ' for t in properties.get("Tags", [])],  ' + KMS_MARKER + "\n"
    "        )\n        key.key_rotation_status"
)
kms_path = pathlib.Path(kms_models.__file__)
kms_source = kms_path.read_text()
if KMS_MARKER not in kms_source:
    if KMS_ANCHOR not in kms_source:
        raise SystemExit(f"{kms_path}: moto changed; cannot translate CloudFormation tags")
    kms_path.write_text(kms_source.replace(KMS_ANCHOR, KMS_TAGS))
    print(f"{kms_path}: CloudFormation tags translated")

INDEX_MARKER = "# liffey: each query's datums picked once"
LOOP_ANCHOR = """        for query in metric_stat_queries:
            period_start_time = start_time
"""
INDEX_ANCHOR = """            while period_start_time <= end_time:
                period_end_time = period_start_time + delta
                period_md = [
                    period_md
                    for period_md in period_data
                    if period_start_time <= period_md.timestamp < period_end_time
                ]

                query_period_data = [
                    md
                    for md in period_md
                    if md.namespace == query_ns and md.name == query_name
                ]
                if dimensions:
                    query_period_data = [
                        md
                        for md in period_md
                        if sorted(md.dimensions) == sorted(dimensions)
                        and md.name == query_name
                    ]
"""
# The window's datums grouped once by name and dimensions (names and values, in order), then each
# query's taken from its group by moto's own test: a datum moto's test matches is in that group.
INDEX_PATCH = """            if dimensions:  """ + INDEX_MARKER + """
                if by_dimensions is None:
                    by_dimensions = {}
                    for md in period_data:
                        by_dimensions.setdefault(
                            (md.name, tuple(sorted((d.name, str(d.value)) for d in md.dimensions))),
                            [],
                        ).append(md)
                wanted = sorted(dimensions)
                group = (query_name, tuple(sorted((d.name, str(d.value)) for d in dimensions)))
                query_data = [
                    md
                    for md in by_dimensions.get(group, [])
                    if sorted(md.dimensions) == wanted
                ]
            else:
                query_data = [
                    md
                    for md in period_data
                    if md.namespace == query_ns and md.name == query_name
                ]
            while period_start_time <= end_time:
                period_end_time = period_start_time + delta
                query_period_data = [
                    md
                    for md in query_data
                    if period_start_time <= md.timestamp < period_end_time
                ]
"""
source = path.read_text()
if INDEX_MARKER not in source:
    if INDEX_ANCHOR not in source or LOOP_ANCHOR not in source:
        raise SystemExit(f"{path}: moto changed; cannot index GetMetricData's queries")
    source = source.replace(INDEX_ANCHOR, INDEX_PATCH, 1)
    source = source.replace(LOOP_ANCHOR, "        by_dimensions = None\n" + LOOP_ANCHOR, 1)
    path.write_text(source)
    print(f"{path}: GetMetricData picks each query's datums once")
