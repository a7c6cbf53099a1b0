#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the man pages from their one source each: asleep(1) from the
runner's --help, asleep-analyze(1) from the analyzer's --help (and each
command's), asleep-options(7) from the shim's option table (options_doc
--man).  Usage: gen_man.py VERSION RUNNER ANALYZER OPTIONS_DOC OUTDIR"""
import subprocess
import sys


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def esc(line):
    line = line.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + line if line.startswith((".", "'")) else line


def page(name, section, version, summary, body, see_also):
    out = [f'.TH {name.upper()} {section} "" "asleep {version}" "asleep"',
           ".SH NAME", f"{name} \\- {summary}"]
    out += body
    refs = []
    for p in see_also:
        name, sec = p.rstrip(")").split("(")
        refs.append(f"\\fB{name}\\fR({sec})")
    out += [".SH SEE ALSO", ", ".join(refs)]
    return "\n".join(out) + "\n"


def help_body(text):
    """--help text as sections: 'Usage:' lines become SYNOPSIS, headings that
    end with ':' become sections, the rest is kept as preformatted text."""
    body, block = [], []

    def flush():
        if block:
            body.append(".nf")
            body.extend(esc(l) for l in block)
            body.append(".fi")
            block.clear()
    lines = text.rstrip("\n").split("\n")
    body.append(".SH SYNOPSIS")
    for l in lines:
        if l and not l.startswith(" ") and l.endswith(":") and len(l) < 40:
            flush()
            body.append(".SH " + l[:-1].upper())
        else:
            block.append(l)
    flush()
    return body


def main():
    version, runner, analyzer, options_doc, outdir = sys.argv[1:6]
    runner_help = run("bash", runner, "--help")
    runner_help = runner_help.replace("Usage: ", "", 1)
    with open(f"{outdir}/asleep.1", "w") as f:
        f.write(page("asleep", 1, version, "run a program under the asleep shim: deadlocks, hangs and leaked threads",
                     help_body(runner_help), ["asleep-analyze(1)", "asleep-options(7)"]))
    ana_help = run(analyzer, "--help").replace("usage: ", "", 1)
    body = help_body(ana_help)
    for cmd in ("report", "gate", "diff", "attach", "core"):
        body.append(".SH " + cmd.upper())
        body.append(".nf")
        body.extend(esc(l) for l in run(analyzer, cmd, "--help").rstrip("\n").split("\n"))
        body.append(".fi")
    with open(f"{outdir}/asleep-analyze.1", "w") as f:
        f.write(page("asleep-analyze", 1, version, "report, gate and compare asleep's dumps", body,
                     ["asleep(1)", "asleep-options(7)"]))
    opts = run(options_doc, "--man")
    body = [".SH DESCRIPTION",
            "The asleep shim (libasleep.so) reads its options from the environment variable",
            ".BR ASLEEP_OPTIONS :",
            "colon\\-separated",
            ".IB key = value",
            "pairs, as the sanitizers read theirs.",
            ".B ASLEEP_OPTIONS=help=1",
            "prints every option with its current value.",
            "In secure\\-execution (setuid) processes the options that name files are ignored.",
            ".SH OPTIONS"] + opts.rstrip("\n").split("\n")
    with open(f"{outdir}/asleep-options.7", "w") as f:
        f.write(page("asleep-options", 7, version, "the options of the asleep shim (ASLEEP_OPTIONS)", body,
                     ["asleep(1)", "asleep-analyze(1)"]))


if __name__ == "__main__":
    main()
