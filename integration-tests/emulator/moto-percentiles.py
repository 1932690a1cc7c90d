"""Teaches moto's CloudWatch the percentile statistics (p95, p99.9, ...) that AWS computes in
GetMetricData and moto 5.2.5 does not (it answers None). The relays publish round-trip times as
value/count arrays and the autoscaler reads their p95: without this the emulator could not answer
the question the daemon asks. Nearest-rank over every value in the period, counts expanded, as
moto stores them. Idempotent; run with the Python that has moto installed.
"""

import pathlib

import moto.cloudwatch.models as models

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
