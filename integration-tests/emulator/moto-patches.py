"""Two places where moto 5.2.5 answers differently from AWS, mended as AWS behaves. Idempotent;
run with the Python that has moto installed.

1. CloudWatch's percentile statistics (p95, p99.9, ...) in GetMetricData, which moto answers with
   None. The relays publish round-trip times as value/count arrays and the autoscaler reads their
   p95: without this the emulator could not answer the question the daemon asks. Nearest-rank over
   every value in the period, counts expanded, as moto stores them.
2. A CloudFormation AWS::KMS::Key with Tags: CloudFormation gives tags as Key/Value, and moto hands
   them to KMS's tagger, which wants TagKey/TagValue, so the stack fails with a KeyError. The key's
   tags are translated.
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
