#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks the analyzer's fixtures against docs/dump.schema.json.

usage: check_fixtures_schema.py SCHEMA FIXTURES_DIR

Every *.json under FIXTURES_DIR/analyzer (and its dumpdir) must be valid,
except the ones listed in INVALID, which exist to be rejected and must be
rejected by the schema as well.  Exit 77 (meson's "skipped") when the
jsonschema module is missing.
"""
import glob
import json
import os
import sys

# Deliberately broken inputs (the loader tests expect them to fail).
INVALID = {"bad-tid.json", "schema2.json", "truncated.json"}


def main():
    try:
        import jsonschema
    except ImportError:
        print("python3-jsonschema not installed; skipping")
        return 77
    schema_path, fixtures = sys.argv[1], sys.argv[2]
    with open(schema_path) as f:
        schema = json.load(f)
    validator = jsonschema.Draft7Validator(schema)
    names = glob.glob(os.path.join(fixtures, "analyzer", "*.json"))
    names += glob.glob(os.path.join(fixtures, "analyzer", "dumpdir", "*.json"))
    names += glob.glob(os.path.join(fixtures, "analyzer", "procs", "*.json"))
    names += glob.glob(os.path.join(fixtures, "*.json"))
    failed = 0
    for name in sorted(names):
        base = os.path.basename(name)
        if base.startswith("fuzz-"):
            continue  # fuzzer regressions: arbitrary bytes
        try:
            with open(name) as f:
                errors = list(validator.iter_errors(json.load(f)))
        except ValueError as e:
            errors = [e]
        if base in INVALID and not errors:
            print(f"{name}: expected to be invalid, but the schema accepts it")
            failed += 1
        elif base not in INVALID and errors:
            print(f"{name}: {errors[0]}")
            failed += 1
    print(f"{len(names)} fixtures checked, {failed} wrong")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
