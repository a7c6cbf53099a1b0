#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Validate asleep dump files against docs/dump.schema.json.

Usage: validate_dump.py SCHEMA FILE...

Prints one line per problem ("FILE: PATH: message") and exits 0 when every
file is valid JSON (no duplicate keys, no NaN/Infinity) matching the schema,
1 when some file is not, 2 on bad usage or an unreadable schema.
"""
import json
import sys

try:
    import jsonschema
except ImportError:  # pragma: no cover
    print("validate_dump.py: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(2)


def _no_dups(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise ValueError("duplicate key %r" % k)
        obj[k] = v
    return obj


def _no_constants(name):
    raise ValueError("non-JSON number %s" % name)


def load_strict(path):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")  # JSON must be UTF-8
    return json.loads(text, object_pairs_hook=_no_dups, parse_constant=_no_constants)


def main(argv):
    if len(argv) < 3:
        print("usage: validate_dump.py SCHEMA FILE...", file=sys.stderr)
        return 2
    try:
        with open(argv[1]) as f:
            schema = json.load(f)
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
        cls.check_schema(schema)
    except Exception as e:  # noqa: BLE001
        print("%s: bad schema: %s" % (argv[1], e), file=sys.stderr)
        return 2
    validator = cls(schema)
    bad = 0
    for path in argv[2:]:
        try:
            doc = load_strict(path)
        except Exception as e:  # noqa: BLE001
            print("%s: not valid JSON: %s" % (path, e))
            bad += 1
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path) or "<root>"
            print("%s: %s: %s" % (path, where, e.message))
        if errors:
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
