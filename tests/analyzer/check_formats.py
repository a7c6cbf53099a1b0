#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Golden and schema checks of asleep-analyze --format json|sarif|junit|dot|html.

usage: check_formats.py ANALYZER SOURCE_ROOT [--update]

Runs the analyzer on the fixed dumps in tests/fixtures/formats (from that
directory, so file names in the outputs are relative and stable) with
--no-symbolize, and compares each output with tests/golden/formats/.
--update rewrites the golden files instead (review the diff!).

Besides the goldens it checks what a golden file cannot show by itself:
the JSON summary against docs/summary.schema.json, SARIF against the
official SARIF 2.1.0 schema (tests/schemas), JUnit and HTML well-formed,
DOT accepted by Graphviz when installed, exit statuses equal to the text
output's, fingerprints stable across runs, and hostile thread names
escaped in every format.  Prints TAP.
"""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

FORMATS = ["json", "sarif", "junit", "dot", "html"]

# name -> (arguments after the command), command, expected exit status
CASES = {
    "multi": (["report", "multi"], 1),
    "multi-gate": (["gate", "--suppressions", "leak.supp", "multi"], 1),
    "lockorder": (["report", "lockorder.json"], 1),
    "nasty": (["report", "nasty.json"], 1),
    "clean": (["report", "clean.json"], 0),
    "clean-gate": (["gate", "clean.json"], 0),
}

NASTY_NAME = ('<script>alert("x")</script> & \'q\' \\N \\" ]]> --> '
              '\x1b[31mred\x07\n\ttab na\u00efve \u2603 \ufffe')
NO_GRAPHVIZ = "Graphviz not installed: graphs shown as DOT source"

tests = []


def check(name, ok, detail=""):
    tests.append((name, ok, detail))


def run(analyzer, cwd, args, env=None):
    p = subprocess.run([analyzer] + args, cwd=cwd, env=env, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def with_args(case_args, fmt):
    cmd, rest = case_args[0], case_args[1:]
    return [cmd, "--no-symbolize", "--format", fmt] + rest


def strip_text_report(page):
    """The page embeds the text report, which has goldens of its own."""
    return re.sub(r"<details>\n<summary>Text report</summary>\n<pre>.*?</pre>\n</details>",
                  "<details>(text report)</details>", page, flags=re.S)


class TagChecker(html.parser.HTMLParser):
    """Tags must nest; no script, link, iframe or remote URL anywhere."""
    VOID = {"meta", "br", "hr", "img", "input", "link", "path", "polygon", "ellipse",
            "polyline", "text", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems = [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "link", "iframe", "object", "embed"):
            self.problems.append("forbidden tag <%s>" % tag)
        for k, v in attrs:
            if k in ("src", "href", "xlink:href") and v and re.match(r"\w+:", v):
                self.problems.append("remote reference %s=%s" % (k, v))
        if tag not in ("meta", "br"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append("unbalanced </%s> (open: %s)" % (tag, self.stack[-3:]))
        else:
            self.stack.pop()


def check_html(name, page, graphs_expected):
    t = TagChecker()
    t.feed(page)
    t.close()
    check(name + ": html tags balanced, nothing remote", not t.problems and not t.stack,
          "; ".join(t.problems[:5]) + (" unclosed %s" % t.stack if t.stack else ""))


def validator(schema_path, draft):
    import jsonschema
    with open(schema_path) as f:
        schema = json.load(f)
    cls = getattr(jsonschema, draft)
    cls.check_schema(schema)
    return cls(schema)


def errors_of(v, doc):
    return "; ".join("%s at %s" % (e.message[:150], list(e.absolute_path))
                     for e in list(v.iter_errors(doc))[:5])


def main():
    analyzer, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    update = "--update" in sys.argv[3:]
    fixtures = os.path.join(root, "tests", "fixtures", "formats")
    golden_dir = os.path.join(root, "tests", "golden", "formats")
    try:
        summary_v = validator(os.path.join(root, "docs", "summary.schema.json"), "Draft7Validator")
        sarif_v = validator(os.path.join(root, "tests", "schemas", "sarif-schema-2.1.0.json"),
                            "Draft202012Validator")
    except ImportError:
        print("1..0 # SKIP python3-jsonschema not installed")
        return 0

    dump_v = validator(os.path.join(root, "docs", "dump.schema.json"), "Draft7Validator")
    for dirpath, _, names in sorted(os.walk(fixtures)):
        for name in sorted(n for n in names if n.endswith(".json")):
            path = os.path.join(dirpath, name)
            with open(path) as f:
                errs = errors_of(dump_v, json.load(f))
            check("fixture %s valid against docs/dump.schema.json"
                  % os.path.relpath(path, fixtures), not errs, errs)

    # Goldens are made without Graphviz so they do not depend on its version.
    no_dot = dict(os.environ, PATH="/nonexistent")
    outputs = {}
    for case, (args, want_rc) in CASES.items():
        text_rc, _, _ = run(analyzer, fixtures, [args[0], "--no-symbolize"] + args[1:])
        check("%s: text exit status %d" % (case, want_rc), text_rc == want_rc, "got %d" % text_rc)
        for fmt in FORMATS:
            rc, out, err = run(analyzer, fixtures, with_args(args, fmt), env=no_dot)
            outputs[(case, fmt)] = out
            check("%s --format %s: exit status as text (%d), stderr empty" % (case, fmt, text_rc),
                  rc == text_rc and err == "", "rc %d, stderr %r" % (rc, err[:300]))
            golden = os.path.join(golden_dir, "%s.%s" % (case, fmt))
            cmp_out = strip_text_report(out) if fmt == "html" else out
            if update:
                with open(golden, "w") as f:
                    f.write(cmp_out)
            try:
                with open(golden) as f:
                    want = f.read()
            except FileNotFoundError:
                want = None
            check("%s --format %s: matches %s" % (case, fmt, os.path.relpath(golden, root)),
                  want == cmp_out, "differs; rerun with --update and review the diff"
                  if want is not None else "golden file missing")

    for case in CASES:
        doc = json.loads(outputs[(case, "json")])
        check("%s: json valid against docs/summary.schema.json" % case,
              not errors_of(summary_v, doc), errors_of(summary_v, doc))
        sarif = json.loads(outputs[(case, "sarif")])
        check("%s: sarif valid against the SARIF 2.1.0 schema" % case,
              not errors_of(sarif_v, sarif), errors_of(sarif_v, sarif))
        check_sarif_semantics(case, doc, sarif)
        check_junit(case, doc, outputs[(case, "junit")])
        check_html(case, outputs[(case, "html")], False)
        check_dot(case, outputs[(case, "dot")])

    check_schema_rejects(summary_v, sarif_v, outputs)
    check_fingerprints(analyzer, fixtures)
    check_srcroot(analyzer, fixtures, sarif_v)
    check_nasty(outputs)
    check_graphviz_page(analyzer, fixtures)
    check_errors(analyzer, fixtures)

    print("1..%d" % len(tests))
    failed = 0
    for i, (name, ok, detail) in enumerate(tests, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok:
            failed += 1
            for line in str(detail).splitlines() or [""]:
                print("#   " + line)
    return 1 if failed else 0


def check_sarif_semantics(case, doc, sarif):
    run_ = sarif["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    results = run_["results"]
    findings = [f for d in doc["dumps"] for f in d["findings"]]
    check("%s: one sarif result per finding" % case, len(results) == len(findings),
          "%d results, %d findings" % (len(results), len(findings)))
    bad = [r["ruleId"] for r in results if rules[r["ruleIndex"]]["id"] != r["ruleId"]]
    check("%s: sarif ruleIndex points at its ruleId" % case, not bad, bad)
    fps = [r["partialFingerprints"]["asleepFinding/v1"] for r in results]
    check("%s: sarif fingerprints equal the summary's" % case,
          fps == [f["fingerprint"] for f in findings], fps)
    nolocation = [r["ruleId"] for r in results if not r["locations"]]
    check("%s: every sarif result has a location" % case, not nolocation, nolocation)
    suppressed = [bool(r.get("suppressions")) for r in results]
    check("%s: sarif suppressions match the summary" % case,
          suppressed == [f["suppressed_by"] is not None for f in findings], suppressed)


def check_junit(case, doc, text):
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        check("%s: junit is well-formed XML" % case, False, str(e))
        return
    cases = list(root.iter("testcase"))
    findings = [f for d in doc["dumps"] for f in d["findings"]]
    clean_dumps = sum(1 for d in doc["dumps"] if not d["findings"]) or (0 if doc["dumps"] else 1)
    failures = [c for c in cases if c.find("failure") is not None]
    check("%s: junit: one testcase per finding, one passing per clean dump" % case,
          len(cases) == len(findings) + clean_dumps and
          len(failures) == sum(f["fails"] for f in findings) and
          int(root.get("tests")) == len(cases) and int(root.get("failures")) == len(failures),
          "%d cases, %d failures" % (len(cases), len(failures)))


def check_dot(case, text):
    dot = shutil.which("dot")
    if not dot:
        check("%s: dot accepted by Graphviz # SKIP Graphviz not installed" % case, True)
        return
    p = subprocess.run([dot, "-Tsvg"], input=text.encode(), capture_output=True)
    check("%s: dot accepted by Graphviz" % case, p.returncode == 0 and not p.stderr,
          p.stderr.decode()[:300])


def check_schema_rejects(summary_v, sarif_v, outputs):
    """The validators must be able to fail, or the checks above prove nothing."""
    doc = json.loads(outputs[("multi", "json")])
    doc["dumps"][0]["findings"][0]["fingerprint"] = "0x12"
    check("summary schema rejects a malformed fingerprint", bool(errors_of(summary_v, doc)))
    sarif = json.loads(outputs[("multi", "sarif")])
    sarif["runs"][0]["results"][0]["level"] = "fatal"
    check("SARIF schema rejects an unknown level", bool(errors_of(sarif_v, sarif)))


def check_srcroot(analyzer, fixtures, sarif_v):
    """Code scanning wants checkout-relative paths: under ASLEEP_SRCROOT a
    path becomes relative to %SRCROOT%, which the run maps back."""
    env = dict(os.environ, ASLEEP_SRCROOT="/srv/app")
    _, out, _ = run(analyzer, fixtures, ["report", "--no-symbolize", "--format", "sarif", "multi"], env=env)
    sarif = json.loads(out)
    arts = [l["physicalLocation"]["artifactLocation"] for r in sarif["runs"][0]["results"]
            for l in r["locations"]]
    check("sarif: a path under ASLEEP_SRCROOT is relative to %SRCROOT%",
          arts and all(a == {"uri": "bin/server", "uriBaseId": "%SRCROOT%"} for a in arts), arts)
    check("sarif: %SRCROOT% maps back to ASLEEP_SRCROOT",
          sarif["runs"][0].get("originalUriBaseIds") == {"%SRCROOT%": {"uri": "file:///srv/app/"}},
          sarif["runs"][0].get("originalUriBaseIds"))
    check("sarif with %SRCROOT% valid against the SARIF 2.1.0 schema",
          not errors_of(sarif_v, sarif), errors_of(sarif_v, sarif))


def check_fingerprints(analyzer, fixtures):
    """lockorder-rerun.json is the same bug as lockorder.json from another
    run: other pid, tids, load addresses and lock addresses."""
    fps = []
    for name in ("lockorder.json", "lockorder-rerun.json"):
        _, out, _ = run(analyzer, fixtures, ["report", "--no-symbolize", "--format", "json", name])
        fps.append([f["fingerprint"] for d in json.loads(out)["dumps"] for f in d["findings"]])
    check("fingerprints survive a rerun with other pids, tids and addresses",
          fps[0] == fps[1] and len(fps[0]) == 1, fps)
    _, out, _ = run(analyzer, fixtures, ["report", "--no-symbolize", "--format", "json", "multi"])
    kinds = {f["kind"]: f["fingerprint"] for d in json.loads(out)["dumps"] for f in d["findings"]}
    check("different bugs have different fingerprints", len(set(kinds.values())) == len(kinds), kinds)


def check_nasty(outputs):
    doc = json.loads(outputs[("nasty", "json")])
    names = [t["name"] for f in doc["dumps"][0]["findings"] for t in f["threads"]]
    check("json: a hostile thread name round-trips exactly", NASTY_NAME in names, names)
    check("json: output is ASCII", outputs[("nasty", "json")].isascii())
    sarif = outputs[("nasty", "sarif")]
    check("sarif: artifact URI percent-encoded",
          "file:///tmp/my%20dir/100%25%20%3Cevil%3E%26%22app%22%231" in sarif)
    root = ET.fromstring(outputs[("nasty", "junit")])
    failure = root.find(".//failure")
    check("junit: hostile name readable, control bytes spelled out",
          failure is not None and '<script>alert("x")</script>' in failure.text and
          "\\x1b[31mred\\x07\\x0a\\x09tab" in failure.text and "\x1b" not in failure.text,
          failure.text if failure is not None else "no failure")
    page = outputs[("nasty", "html")]
    check("html: no raw markup from dump strings",
          "<script" not in page and "&lt;script&gt;" in page and "\x1b" not in page)
    dot = outputs[("nasty", "dot")]
    check("dot: quotes, backslashes and entities escaped, no control bytes",
          '\\"}\\"; digraph x { a -> b\\"' in dot and "&amp;" in dot and
          not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", dot))


def check_graphviz_page(analyzer, fixtures):
    if not shutil.which("dot"):
        check("html with Graphviz: inline SVG # SKIP Graphviz not installed", True)
        return
    for case in ("multi", "nasty"):
        rc, page, _ = run(analyzer, fixtures, with_args(CASES[case][0], "html"))
        check("html with Graphviz (%s): graphs as inline SVG, no DOT note" % case,
              page.count("<svg") >= 1 and NO_GRAPHVIZ not in page and "<script" not in page)
        check_html(case + " with Graphviz", page, True)


def check_errors(analyzer, fixtures):
    rc, out, err = run(analyzer, fixtures, ["report", "--format", "yaml", "clean.json"])
    check("unknown format: exit 2, one line", rc == 2 and out == "" and err.count("\n") == 1
          and "yaml" in err, err)
    bad = os.path.join(fixtures, "..", "analyzer", "truncated.json")
    for fmt in FORMATS:
        rc, out, err = run(analyzer, fixtures, ["report", "--format", fmt, bad])
        check("malformed dump with --format %s: exit 2, nothing on stdout" % fmt,
              rc == 2 and out == "" and err.count("\n") == 1 and "truncated.json" in err, err)
    with tempfile.TemporaryDirectory() as empty:
        rc, out, _ = run(analyzer, fixtures, ["report", "--format", "json", empty])
        doc = json.loads(out)
        check("an empty directory is listed in json, exit 0",
              rc == 0 and doc["empty_dirs"] == [empty] and doc["dumps"] == [], out[:300])
        rc, out, _ = run(analyzer, fixtures, ["report", "--format", "junit", empty])
        root = ET.fromstring(out)
        check("an empty directory gives one passing junit testcase",
              rc == 0 and len(list(root.iter("testcase"))) == 1 and
              root.find(".//failure") is None)


if __name__ == "__main__":
    sys.exit(main())
