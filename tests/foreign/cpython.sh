#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cpython.sh: run parts of CPython 3.11's own test suite natively and under the asleep shim, compare.
#
# CPython's regression tests (Debian's libpython3.11-testsuite, run as `python3.11 -m test`) are
# thousands of correct programs that use threads, locks, fork, subprocesses, signals, sockets,
# select/poll/epoll and asyncio. Every test case that passes natively must pass under the shim, and
# no process may get an `all-asleep` or `deadlock` finding.
#
# For each test module this runs `python3.11 -m test -v MODULE` natively and then under the shim
# (LD_PRELOAD=SHIM ASLEEP_OPTIONS=dump_dir=DIR, a DIR per run; child processes inherit both), back to
# back, each with a fresh HOME, TMPDIR and working directory and a clean environment, and parses the
# per-case lines "test_x (test.mod.Class.test_x) ... ok|FAIL|ERROR|skipped '..'|expected failure"
# (subtest failures count for their test case), and the failure tracebacks at the end of the log.
#   Hangs: a watchdog ends a run whose output has not moved for CASE_TIMEOUT seconds (or that reaches
#   the module's time limit): it first takes the C stacks of the process tree with gdb (.stacks file)
#   and the Python stacks (SIGUSR1: regrtest's faulthandler writes them to the run's stderr), then
#   kills the tree. The case in progress counts as "hang" (a case in progress when the process died
#   otherwise: "died"); the run is then continued with the module's remaining cases (up to 3 times).
#   Cases that hang or die natively are left out of the shim's run (--ignorefile; NOTE lines).
#   A case is a suspect when it passed natively (ok, skipped or expected failure) and failed under
#   the shim (FAIL, ERROR, unexpected success, hang, died, or not run at all). Its module is re-run,
#   both ways, with just the suspect cases (--matchfile), up to 2 more times:
#     BROKEN        failed under the shim in all 3 attempts and passed natively in all 3
#     FLAKY         failed under the shim in some attempts only (native passed): listed, not counted
#     NATIVE-FLAKY  failed natively in a re-run too: listed, not counted
#   VERDICT        a dump finding of kind all-asleep or deadlock in any shim run (false: these
#                  programs are correct), with the process's "asleep:" stderr lines
#   LOI            lock-order-inversion findings (message, how often): may be true or false
#   ASLEEP         lines starting with "asleep:" on the shim runs' stdout/stderr
#   NOTE           other differences: a case ok natively but skipped under the shim, the module's
#                  regrtest result (SUCCESS / FAILURE / ENV CHANGED ...) differs, other finding kinds;
#                  a case that hangs natively; case lines this script did not understand (its parser
#                  is checked against unittest's "Ran N tests")
#
# Usage: tests/foreign/cpython.sh [--shim PATH] [--tests "test_a test_b"] [--all] [--jobs N]
#   --shim PATH  the shim to test (default: this checkout's build/shim/libasleep.so); it is copied
#                first, so a rebuild during the run does not change what is tested
#   --tests LIST these test modules (names as for `python -m test`, e.g. test_os test_asyncio.test_events)
#   --all        the whole suite (`python3.11 -m test --list-tests`, ~430 modules; hours)
#   --jobs N     modules run at a time (default 1; a module's native and shim runs are always back to
#                back). Tests use fixed resources now and then (ports, signals): keep 1 on a busy box.
#   default      the thread-, fork-, subprocess-, signal- and socket-heavy modules in $DEFAULT below;
#                names that do not exist in this Python are reported and skipped (test_capi is not in
#                Debian's 3.11 package)
# Environment: PY (default /usr/bin/python3.11), CASE_TIMEOUT (s without output = hang, default 300),
#   TIMEOUT (s, the native run's module limit, default 2400; the shim run's limit is
#   max(MIN_TIMEOUT=600, SLOWDOWN=4 x the native run's time), at most TIMEOUT), PY_USE (regrtest -u
#   resources, default none), KEEP_DUMPS=1 keeps the dump files without findings (deleted otherwise),
#   TESTDIR (regrtest --testdir: test modules from this directory instead of the stdlib's; used to
#   check this script itself with made-up modules), REGRTEST_TIMEOUT=1 also passes regrtest's own
#   --timeout (off by default: its faulthandler watchdog thread sits in a timed wait for the whole
#   run, so the regrtest process could never be "all asleep" and a false verdict there would be hidden;
#   the time limits are kept by this script's watchdog and by `timeout`).
# Output: the lines above (one per broken case / verdict / ...), the logs directory, then exactly
#   CPYTHON modules=N cases=M native_pass=A shim_pass=B broken=C false_verdicts=D
#   (cases: distinct test cases seen in the first attempt; pass: ok, skipped or expected failure;
#   false_verdicts: dump files with an all-asleep or deadlock finding). Exit 0 only if broken=0 and
#   false_verdicts=0; 1 otherwise; 3 on a setup error.
# Logs: /tmp/asleep-cpython.XXXXXX/ (printed at the end): results.tsv (one line per suspect/broken
#   case), MODULE/{native,shim}.TRY[.cN].{out,err,rc,stacks,dumps/} for every run, MODULE/report.
# Time (2 cores, --jobs 1, other work on the machine): the default selection takes 23-28 min; the
#   longest are test_socket (~6 min natively, 5 of them its VSOCK test hanging natively in a
#   Firecracker VM; ~30 s under the shim, which leaves that case out), test_concurrent_futures
#   (~2.5 min per run), test_multiprocessing_fork (~1.3 min), test_signal (~50 s). Each hang costs
#   CASE_TIMEOUT in every run it occurs in; re-runs of suspects add a little.
# Requires: python3.11 and libpython3.11-testsuite (Debian; installed with apt-get when run as root
#   and missing), gdb (for hang stacks; optional), timeout,
#   ps. Runs as the calling user (as root some CPython tests skip themselves; both ways alike).
set -u

die() { echo "cpython.sh: $*" >&2; exit 3; }
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
shim=$root/build/shim/libasleep.so
only="" all=0 jobs=1
while [ $# -gt 0 ]; do
    case $1 in
        --shim) [ $# -ge 2 ] || die "--shim needs a path"; shim=$2; shift 2 ;;
        --tests) [ $# -ge 2 ] || die "--tests needs names"; only=$2; shift 2 ;;
        --all) all=1; shift ;;
        --jobs) [ $# -ge 2 ] || die "--jobs needs a number"; jobs=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -u/p' "${BASH_SOURCE[0]}" | sed '/SPDX/d; $d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "--jobs wants a positive number"
real=$(realpath -e -- "$shim" 2>/dev/null) || die "no shim at $shim"
shim=$real
PY=${PY:-/usr/bin/python3.11}
# Debian's standard library has test.libregrtest but not the test modules:
# test.test_threading is in libpython3.11-testsuite only.
have_suite() { [ -x "$PY" ] && "$PY" -c 'import test.libregrtest, test.test_threading' 2>/dev/null; }
if ! have_suite && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y python3.11 libpython3.11-testsuite >&2 || true
fi
[ -x "$PY" ] || die "no $PY (apt-get install python3.11 libpython3.11-testsuite)"
have_suite || die "no CPython test suite (apt-get install libpython3.11-testsuite)"
command -v gdb >/dev/null || echo "cpython.sh: no gdb: hangs get Python stacks only" >&2

DEFAULT="test_threading test_thread test_threadsignals test_threading_local test_queue test_subprocess
 test_signal test_os test_faulthandler test_concurrent_futures test_socket test_select test_selectors
 test_poll test_epoll test_fork1 test_wait3 test_wait4 test_sys test_sched test_logging test_capi
 test_asyncio.test_subprocess test_asyncio.test_events test_asyncio.test_unix_events
 test_asyncio.test_threads test_multiprocessing_fork"

work=$(mktemp -d /tmp/asleep-cpython.XXXXXX) && chmod 755 "$work" || die "no temp dir"
cp -- "$shim" "$work/libasleep.so" || die "cannot copy $shim"
export PY work SHIM=$work/libasleep.so HELPER=$work/helper.py
export CASE_TIMEOUT=${CASE_TIMEOUT:-300} TIMEOUT=${TIMEOUT:-2400} MIN_TIMEOUT=${MIN_TIMEOUT:-600}
export SLOWDOWN=${SLOWDOWN:-4} PY_USE=${PY_USE:-} KEEP_DUMPS=${KEEP_DUMPS:-0} TESTDIR=${TESTDIR:-}
export REGRTEST_TIMEOUT=${REGRTEST_TIMEOUT:-0}

if [ -n "$only" ]; then names=$only
elif [ $all = 1 ]; then names=$("$PY" -m test --list-tests 2>/dev/null) || die "cannot list the tests"
else names=$DEFAULT; fi
selected=()
for t in $names; do
    if [ -n "${TESTDIR:-}" ] && [ -e "$TESTDIR/${t//.//}.py" ] ||
        "$PY" -c 'import importlib.util as u, sys; sys.exit(not u.find_spec("test." + sys.argv[1]))' "$t" 2>/dev/null
    then selected+=("$t"); else echo "NOTE $t: no such test module in $PY, skipped"; fi
done
[ ${#selected[@]} -gt 0 ] || die "no test modules to run"

# ---- the helper: parses logs, picks continuations and re-runs, judges, reads dumps -----------------
cat >"$HELPER" <<'EOF'
"""cpython.sh's helper. Subcommands (D = the module's directory; the runs of attempt TRY are
D/MODE.TRY[.h][.cN]: .h the re-run of the cases that hung or died before, .cN continuations):
  remaining D MODE TAG EXPECTED  after an incomplete run MODE.TAG[.cN]: patterns of the cases listed in
                                 file EXPECTED it has not reached
  suspects D TRY                 the cases to re-run after attempt TRY (D/suspects.TRY.json); writes
                                 D/suspects.TRY.pats (all), .ok.pats (failed) and .h.pats (hung, died)
  nativehung D                    patterns of the cases that hung or died natively in attempt 1
  judge D                        the module's report lines (stdout) and D/summary.json
  prune D                        delete the "exit" dumps without findings
"""
import glob, json, os, re, sys

PASS = {"ok", "skip", "xfail"}
RANK = {"ok": 0, "xfail": 0, "skip": 0, "unknown": 1, "usucc": 2, "FAIL": 3, "ERROR": 4,
        "died": 5, "hang": 6}
START = re.compile(r"^(?P<sub>  )?(?P<name>[^\s()]+) \((?P<id>[\w.]*)\)(?P<rest>.*)$")
# a case line after other output on the same line (test_concurrent_futures prints "0.01s " in tearDown,
# after the previous case's status): only a full test id counts there
LATE_START = re.compile(r"\s(?P<sub>)(?P<name>\w+) \((?P<id>[\w.]+\.(?P=name))\)(?P<rest>.*)$")
# the status ends a line, after " ... " and maybe other output ("... 0.52s ok"), or alone
STATUS = re.compile(r"(?:^|.* \.\.\. (?:.*\s)?)(ok|FAIL|ERROR|skipped ['\"].*|expected failure|unexpected success)$")
WORD = {"ok": "ok", "FAIL": "FAIL", "ERROR": "ERROR", "expected failure": "xfail",
        "unexpected success": "usucc"}
SEP1, SEP2 = "=" * 70, "-" * 70
STARTS = {}   # run -> how many case lines parse() saw (holders and subtests aside), to check the parser


def word(m):
    return "skip" if m.group(1).startswith("skipped") else WORD[m.group(1)]


def chain(base):
    """A run and its continuations, in order: BASE, BASE.c1, ..."""
    out = [base] if os.path.exists(base + ".rc") else []
    i = 1
    while os.path.exists(f"{base}.c{i}.rc"):
        out.append(f"{base}.c{i}")
        i += 1
    return out


def runs(d, mode, tr):
    """The runs of one attempt: MODE.TRY and MODE.TRY.h, each with its continuations."""
    return chain(f"{d}/{mode}.{tr}") + chain(f"{d}/{mode}.{tr}.h")


def rcinfo(b):
    try:
        rc, ms, how = open(b + ".rc").read().split()[:3]
        return int(rc), int(ms), how
    except (OSError, ValueError):
        return -1, 0, "missing"


def tail(path, n=2):
    try:
        lines = [l.strip() for l in open(path, errors="replace").read().splitlines() if l.strip()]
    except OSError:
        return ""
    return " | ".join(lines[-n:])[:300]


def regrtest_result(b):
    try:
        text = open(b + ".out", errors="replace").read()
    except OSError:
        return "no output"
    m = re.findall(r"^Tests result: (.*)$", text, re.M)
    return m[-1].strip() if m else "no result"


def pystack(b):
    """Where the main thread was, from the last faulthandler dump in the run's stderr."""
    try:
        text = open(b + ".err", errors="replace").read()
    except OSError:
        return ""
    i = text.rfind("Current thread 0x")
    if i < 0:
        return ""
    frames = []
    for l in text[i:].split("\n")[1:]:
        m = re.match(r'\s+File "(.*?)", line (\d+) in (\S+)', l)
        if not m:
            break
        frames.append((os.path.basename(m.group(1)), m.group(2), m.group(3)))
    if not frames:
        return ""
    out = [frames[0]] + [f for f in frames[1:] if f[0].startswith("test_") or "test" in f[2]][:1]
    return "main thread in " + " <- ".join(f"{f}:{n} {fn}" for f, n, fn in out)


def summarize(tb):
    """The exception lines of the last traceback in TB and where it was raised."""
    lines = tb.rstrip("\n").split("\n")
    starts = [i for i, l in enumerate(lines) if l.startswith("Traceback")]
    first = starts[-1] if starts else 0
    loc = ""
    for l in lines[first:]:
        m = re.match(r'\s+File "(.*?)", line (\d+), in (\S+)', l)
        if m:
            loc = f"{os.path.basename(m.group(1))}:{m.group(2)} in {m.group(3)}"
    exc = []
    for l in lines[first + 1:] if starts else lines:
        if l in ("Stdout:", "Stderr:"):
            break
        if l.strip() and not l.startswith(" "):
            exc.append(l.strip())
        elif exc and l.strip():
            exc.append(l.strip())   # a multi-line message: keep its next lines
        if len(exc) >= 4:
            break
    msg = " | ".join(exc) or " | ".join(l.strip() for l in lines if l.strip())[-200:]
    return (msg[:400] + (f" ({loc})" if loc else "")).replace("\t", " ")


def parse(b):
    """One run's cases: key -> {"st": status, "pat": pattern, "why": reason}."""
    try:
        lines = open(b + ".out", errors="replace").read().split("\n")
    except OSError:
        lines = []
    cases, subs = {}, {}
    cur = cur_sub = None
    STARTS[b] = 0

    def note(key, st):
        c = cases[key]
        if c["st"] is None or RANK[st] > RANK[c["st"]]:
            c["st"] = st

    def finish(key):
        if key is not None and cases[key]["st"] is None:
            cases[key]["st"] = subs.get(key, "unknown")

    end = len(lines)
    for i, line in enumerate(lines):
        if line == SEP1 or re.match(r"^Ran \d+ tests? in ", line):
            end = i
            break
        m = START.match(line) or LATE_START.search(line)
        if m:
            name, tid = m.group("name"), m.group("id")
            if not tid:
                key = pat = name                     # a doctest: "name ()"
            elif tid.endswith("." + name):
                key = pat = tid                      # a test method
            else:
                key, pat = f"{tid}.{name}", tid + ".*"   # setUpClass (mod.Class) and the like
            s = STATUS.match(m.group("rest"))
            if m.group("sub"):                       # "  test_x (id) (params) ... FAIL"
                key = tid if tid.endswith("." + name) else key
                cases.setdefault(key, {"st": None, "pat": pat, "why": ""})
                if s:
                    w = word(s)
                    if w not in PASS:
                        subs[key] = max(subs.get(key, "ok"), w, key=RANK.get)
                else:
                    cur_sub = key
                continue
            if cur != key:
                finish(cur)
                if not pat.endswith(".*"):
                    STARTS[b] = STARTS.get(b, 0) + 1
            cases.setdefault(key, {"st": None, "pat": pat, "why": ""})
            cur_sub = None
            if s:
                note(key, word(s))
                cur = None
            else:
                cur = key
            continue
        s = STATUS.match(line)
        if s:
            if cur_sub is not None:
                w = word(s)
                if w not in PASS:
                    subs[cur_sub] = max(subs.get(cur_sub, "ok"), w, key=RANK.get)
                cur_sub = None
            elif cur is not None:
                note(cur, word(s))
                cur = None
    rc, ms, how = rcinfo(b)
    if cur is not None and cases[cur]["st"] is None and end == len(lines):
        # the process ended while this case ran
        if how in ("hang", "timeout"):
            cases[cur]["st"] = "hang"
            cases[cur]["why"] = ("hang: no output for %s s" % os.environ.get("CASE_TIMEOUT", "?")
                                 if how == "hang" else "hang: the module's time limit was reached")
            where = pystack(b)
            cases[cur]["why"] += (f"; {where}" if where else "") + f"; stacks: {b}.stacks, {b}.err"
        else:
            cases[cur]["st"] = "died"
            where = pystack(b)
            cases[cur]["why"] = (f"the process ended (status {rc}) during this case: "
                                 + (where or tail(b + '.err')))
    else:
        finish(cur)
    for k in subs:
        if cases[k]["st"] in (None, "ok", "unknown"):
            cases[k]["st"] = subs[k]
    # the failure reports after the case lines
    text = "\n".join(lines[end:])
    for m in re.finditer(r"^={70}\n(FAIL|ERROR|UNEXPECTED SUCCESS): (.*?)\n-{70}\n(.*?)(?=^={70}$|^-{70}$|\Z)",
                         text, re.S | re.M):
        h = START.match(m.group(2).split("\n")[0])
        if not h:
            continue
        name, tid = h.group("name"), h.group("id")
        key = name if not tid else tid if tid.endswith("." + name) else f"{tid}.{name}"
        if key in cases and not cases[key]["why"]:
            cases[key]["why"] = summarize(m.group(3)) if m.group(3).strip() else m.group(1)
    for k, c in cases.items():
        if c["st"] not in PASS and not c["why"]:
            c["why"] = {"unknown": "no result line", "usucc": "unexpected success"}.get(c["st"], c["st"])
    return cases


def merged(d, mode, tr):
    """The cases of one attempt (the run and its continuations); the first run to report a case wins."""
    out = {}
    for b in runs(d, mode, tr):
        for k, c in parse(b).items():
            if k not in out:
                out[k] = dict(c, run=os.path.basename(b))
    return out


def status(cases, key, pat):
    if key in cases:
        return cases[key]["st"]
    return "ok" if pat.endswith(".*") else "notrun"   # a setUpClass-like entry that did not fail


def load(path, default):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return default


def expected(d, tr):
    """key -> pattern of the cases attempt TRY is meant to run (all listed ones for attempt 1)."""
    if tr == 1:
        exp = {}
        for l in open(f"{d}/list", errors="replace"):
            l = l.strip()
            if l:
                exp[l] = l
        for mode in ("native", "shim"):
            for k, c in merged(d, mode, 1).items():
                exp.setdefault(k, c["pat"])
        return exp
    return load(f"{d}/suspects.{tr - 1}.json", {})


def out(lines):
    """Print LINES, one a line; nothing at all when there are none (the caller tests for an empty file)."""
    sys.stdout.write("".join(l + "\n" for l in lines))


def cmd_nativehung(d):
    """Patterns of the cases that hung or died in the native first attempt."""
    nat = merged(d, "native", 1)
    out(sorted({c["pat"] for c in nat.values() if c["st"] in ("hang", "died")}))


def cmd_remaining(d, mode, tag, expfile, ignfile=""):
    rs = chain(f"{d}/{mode}.{tag}")
    if not rs or len(rs) > 3:
        return
    if not any(c["st"] in ("hang", "died") for c in parse(rs[-1]).values()):
        return
    seen = set()
    for b in rs:
        seen |= set(parse(b))
    exp = [l.strip() for l in open(expfile, errors="replace") if l.strip()]
    ign = {l.strip() for l in open(ignfile, errors="replace")} if ignfile else set()
    out(sorted({p for p in exp if p not in seen | ign and not p.endswith(".*")}))


def cmd_suspects(d, tr):
    tr = int(tr)
    prev = expected(d, tr) if tr > 1 else None
    nat, sh = merged(d, "native", tr), merged(d, "shim", tr)
    keys = prev if prev is not None else expected(d, 1)
    sus = {}
    for k, p in keys.items():
        if status(nat, k, p) in PASS and status(sh, k, p) not in PASS:
            sus[k] = p
    json.dump(sus, open(f"{d}/suspects.{tr}.json", "w"), indent=0)
    hung = {p for k, p in sus.items() if status(sh, k, p) in ("hang", "died")}
    for name, pats in (("pats", set(sus.values())), ("h.pats", hung), ("ok.pats", set(sus.values()) - hung)):
        open(f"{d}/suspects.{tr}.{name}", "w").write("".join(p + "\n" for p in sorted(pats)))


def dumps(d):
    """(file, dump) of every dump of every shim run of the module."""
    out = []
    for f in sorted(glob.glob(f"{d}/shim.*.dumps/asleep.*.json")):
        try:
            out.append((f, json.load(open(f))))
        except (OSError, ValueError) as e:
            out.append((f, {"findings": [{"kind": "unreadable-dump", "message": str(e)}]}))
    return out


def mask(s):
    return re.sub(r"\b\d+\b", "N", re.sub(r"\b0x[0-9a-fA-F]+\b", "0xN", s))


def reason(d, k, p, attempts):
    """Why case K failed under the shim: the first informative reason of the attempts."""
    whys = []
    for tr in range(1, attempts + 1):
        sh = merged(d, "shim", tr)
        if k in sh:
            whys.append(sh[k]["why"])
            continue
        if status(sh, k, p) != "notrun":
            continue
        holders = [h for h, c in sh.items() if c["pat"].endswith(".*") and k.startswith(c["pat"][:-1])
                   and c["st"] not in PASS]
        if holders:
            whys.append(f"not run under the shim: {holders[0]} failed: {sh[holders[0]]['why']}")
        else:
            rs = runs(d, "shim", tr)
            b = rs[-1] if rs else f"{d}/shim.{tr}"
            whys.append(f"not run under the shim ({os.path.basename(b)}: {regrtest_result(b)}, status "
                        f"{rcinfo(b)[0]}; stderr: {tail(b + '.err')})")
    for w in whys:
        if w and (":" in w or len(w) > 12):
            return w
    return (whys[0] + " (no failure report: that run did not finish)") if whys else ""


def cmd_judge(d):
    mod = os.path.basename(d)
    rep, tsv = [], []
    exp = expected(d, 1)
    nat1, sh1 = merged(d, "native", 1), merged(d, "shim", 1)
    keys = set(nat1) | set(sh1) | {k for k, p in exp.items() if not p.endswith(".*")}
    npass = sum(status(nat1, k, exp.get(k, k)) in PASS for k in keys)
    spass = sum(status(sh1, k, exp.get(k, k)) in PASS for k in keys)
    sus1 = load(f"{d}/suspects.1.json", {})
    broken = 0
    for k in sorted(sus1):
        p = sus1[k]
        hist = []                # (native status, shim status) per attempt made
        for tr in (1, 2, 3):
            if not runs(d, "shim", tr) or (tr > 1 and k not in load(f"{d}/suspects.{tr - 1}.json", {})):
                break
            hist.append((status(merged(d, "native", tr), k, p), status(merged(d, "shim", tr), k, p)))
        sfail = [s for n, s in hist if s not in PASS]
        nfail = [n for n, s in hist if n not in PASS]
        why = reason(d, k, p, len(hist))
        shown = ",".join(s for _, s in hist)
        if nfail:
            kind = "NATIVE-FLAKY"
            line = f"{kind} {k}: native {','.join(n for n, _ in hist)}, shim {shown}: {why}"
        elif len(sfail) == len(hist) == 3:
            kind = "BROKEN"
            broken += 1
            line = f"{kind} {k}: shim {shown} (native {nat1.get(k, {}).get('st', 'ok')} x3): {why}"
        else:
            kind = "FLAKY"
            line = f"{kind} {k}: shim failed {len(sfail)}/{len(hist)} attempts ({shown}; native passed): {why}"
        rep.append(line)
        tsv.append("\t".join([mod, k, kind, ",".join(n for n, _ in hist), shown, why]))
    for k in sorted(keys):
        if status(nat1, k, exp.get(k, k)) == "ok" and status(sh1, k, exp.get(k, k)) == "skip":
            rep.append(f"NOTE {k}: ok natively, skipped under the shim")
    for k in sorted(keys):
        if status(nat1, k, exp.get(k, k)) in ("hang", "died"):
            rep.append(f"NOTE {k}: {nat1[k]['st']} natively (left out of the shim's first attempt): "
                       f"{nat1[k]['why']}")
    for b in runs(d, "native", 1) + runs(d, "shim", 1):      # the parser against unittest's count
        parse(b)
        ran = re.findall(r"^Ran (\d+) tests? in ", open(b + ".out", errors="replace").read(), re.M)
        if ran and sum(map(int, ran)) != STARTS.get(b, 0):
            rep.append(f"NOTE {mod}: {os.path.basename(b)}: unittest ran {sum(map(int, ran))} cases, "
                       f"{STARTS.get(b, 0)} case lines were understood (see {b}.out)")
    rn, rs = regrtest_result(f"{d}/native.1"), regrtest_result(f"{d}/shim.1")
    if rn != rs:
        rep.append(f"NOTE {mod}: regrtest result native '{rn}', shim '{rs}' (first attempt)")
    # findings in the dumps
    verdicts, loi, other, reasons = [], {}, {}, {}
    for f, j in dumps(d):
        reasons[j.get("reason", "?")] = reasons.get(j.get("reason", "?"), 0) + 1
        found = []
        for fd in j.get("findings") or []:
            kind, msg = fd.get("kind", "?"), str(fd.get("message", "")).replace("\n", " ")
            if kind in ("all-asleep", "deadlock"):
                found.append(f"{kind}: {msg[:200]}")
            elif kind == "lock-order-inversion":
                loi[msg] = loi.get(msg, 0) + 1
            else:
                other[kind] = other.get(kind, 0) + 1
        if found:
            verdicts.append((f, j, found))
    for f, j, found in verdicts:      # one line per dump file (process) with a verdict
        run = os.path.basename(os.path.dirname(f))[:-len(".dumps")]
        pid = j.get("pid", "?")
        err = [l.strip() for l in open(f"{d}/{run}.err", errors="replace") if l.startswith("asleep:")]
        mine = [l for l in err if f"(pid {pid}" in l]
        rep.append(f"VERDICT {mod}: in {run}, pid {pid} {j.get('exe', '')} ({os.path.basename(f)}): "
                   + "; ".join(found) + " | its stderr: "
                   + (" / ".join(mine[:2])[:300] or "no 'asleep:' line of this pid in the run's stderr"))
    for msg, n in sorted(loi.items()):
        rep.append(f"LOI {mod}: {msg[:400]} (x{n})")
    if other:
        rep.append(f"NOTE {mod}: other findings in the shim runs' dumps: "
                   + ", ".join(f"{k}:{v}" for k, v in sorted(other.items())))
    lines = {}
    for f in sorted(glob.glob(f"{d}/shim.*.err") + glob.glob(f"{d}/shim.*.out")):
        for l in open(f, errors="replace"):
            if l.startswith("asleep:"):
                lines[mask(l.strip())] = lines.get(mask(l.strip()), 0) + 1
    if lines:
        top = sorted(lines.items(), key=lambda kv: -kv[1])
        rep.append(f"ASLEEP {mod}: {sum(lines.values())} stderr line(s) starting 'asleep:', e.g. "
                   + " / ".join(f"{l[:200]} (x{n})" for l, n in top[:3]))
    rn_ms, rs_ms = rcinfo(f"{d}/native.1")[1], rcinfo(f"{d}/shim.1")[1]
    summ = {"module": mod, "cases": len(keys), "native_pass": npass, "shim_pass": spass,
            "broken": broken, "false_verdicts": len(verdicts), "loi": len(loi),
            "native_s": round(rn_ms / 1000), "shim_s": round(rs_ms / 1000),
            "native_result": rn, "shim_result": rs, "suspects": len(sus1),
            "dump_reasons": reasons}
    json.dump(summ, open(f"{d}/summary.json", "w"))
    open(f"{d}/results.tsv", "w").write("".join(l + "\n" for l in tsv))
    print("\n".join(rep))


def cmd_prune(d):
    """Delete the exit-time dump files without findings (after judge has read them)."""
    for f, j in dumps(d):
        if not j.get("findings") and j.get("reason") == "exit":
            os.unlink(f)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"remaining": cmd_remaining, "suspects": cmd_suspects, "judge": cmd_judge, "prune": cmd_prune,
     "nativehung": cmd_nativehung}[cmd](*args)
EOF

# ---- running -----------------------------------------------------------------------------------------
descendants() { local c; for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$c"; descendants "$c"; done; }
alive() { local s; s=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) && [ "$s" != Z ]; }
# stacks PID...: gdb's C stacks of these processes (all threads)
stacks() {
    local p
    for p in "$@"; do
        echo "=== pid $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-300)"
        command -v gdb >/dev/null &&
            timeout 60 gdb -p "$p" -batch -ex 'thread apply all bt' 2>&1 | grep -E '^(Thread|#)'
    done
}
# run MODULE MODE TAG PATFILE LIMIT [IGNFILE]: one `python -m test -v MODULE` into $work/MODULE/MODE.TAG.*
#   (.out .err .rc = "status ms how" with how = exit|hang|timeout, .stacks, .dumps/); PATFILE: only
#   these cases (empty: all), IGNFILE: not these
run() {
    local mod=$1 mode=$2 tag=$3 pats=$4 limit=$5 ign=${6:-}
    local d=$work/$1 b=$work/$1/$2.$3 x=$work/$1/x.$2.$3
    local pid py size last_size=-1 last_move=$SECONDS t0=$SECONDS how=exit rc s
    rm -rf "$x" && mkdir -p "$x/home" "$x/tmp" "$x/cwd" || return
    local envv=(PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME=$x/home TMPDIR=$x/tmp)
    [ "$mode" = shim ] && envv+=(LD_PRELOAD=$SHIM ASLEEP_OPTIONS=dump_dir=$b.dumps)
    local args=(-m test -v)
    [ "$REGRTEST_TIMEOUT" = 1 ] && args+=(--timeout $((limit + 30)))
    [ -n "$PY_USE" ] && args+=(-u "$PY_USE")
    [ -n "$TESTDIR" ] && args+=(--testdir "$TESTDIR")
    [ -n "$pats" ] && args+=(--matchfile "$pats")
    [ -n "$ign" ] && args+=(--ignorefile "$ign")
    s=$(date +%s%N)
    {   # braces with 2>/dev/null: no "Killed" job notices from bash
        (cd "$x/cwd" && exec env -i "${envv[@]}" timeout -k 10 $((limit + 90)) "$PY" "${args[@]}" "$mod" \
            </dev/null >"$b.out" 2>"$b.err") &
        pid=$!
        # watchdog: no output for CASE_TIMEOUT s, or the limit reached: stacks, then end the tree
        while alive $pid; do
            sleep 2
            size=$(stat -c %s "$b.out" 2>/dev/null || echo 0)
            [ "$size" != "$last_size" ] && last_size=$size last_move=$SECONDS
            if [ $((SECONDS - last_move)) -ge "$CASE_TIMEOUT" ] || [ $((SECONDS - t0)) -ge "$limit" ]; then
                [ $((SECONDS - last_move)) -ge "$CASE_TIMEOUT" ] && how=hang || how=timeout
                py=$(ps -o pid= --ppid $pid | head -n 1)
                stacks $py $(descendants "${py:-$pid}") >"$b.stacks" 2>&1
                [ -n "$py" ] && kill -USR1 $py && sleep 3    # regrtest's faulthandler: Python stacks
                kill -KILL $pid $(descendants $pid) 2>/dev/null
                break
            fi
        done
        wait $pid; rc=$?
    } 2>/dev/null
    [ "$how" = exit ] && [ "$rc" = 124 ] && how=timeout
    echo "$rc $(( ($(date +%s%N) - s) / 1000000 )) $how" >"$b.rc"
    # whatever the tests left running (found by their private TMPDIR) is ended, by pid
    for s in /proc/[0-9]*; do
        grep -qsF -- "TMPDIR=$x/tmp" "$s/environ" 2>/dev/null && kill -KILL "${s#/proc/}" 2>/dev/null
    done
    rm -rf "$x"
}
# attempt MODULE MODE TAG PATFILE LIMIT [IGNFILE]: a run (of the cases in PATFILE, or of all; not those
# in IGNFILE) and, after a hang or death mid-case, up to 3 continuations with the cases it did not reach
attempt() {
    local mod=$1 mode=$2 tag=$3 pats=$4 limit=$5 ign=${6:-} d=$work/$1 c
    run "$mod" "$mode" "$tag" "$pats" "$limit" "$ign"
    for c in 1 2 3; do
        "$PY" "$HELPER" remaining "$d" "$mode" "$tag" "${pats:-$d/list}" ${ign:+"$ign"} >"$d/$mode.$tag.c$c.pats" 2>>"$d/helper.err"
        [ -s "$d/$mode.$tag.c$c.pats" ] || { rm -f "$d/$mode.$tag.c$c.pats"; break; }
        run "$mod" "$mode" "$tag.c$c" "$d/$mode.$tag.c$c.pats" "$limit" "$ign"
    done
}
# one MODULE: attempt 1 both ways, re-runs of the suspects, the module's report
one() {
    local mod=$1 d=$work/$1 tr next limit ns
    mkdir -p "$d/x.list/tmp"
    (cd "$d/x.list" && env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME="$d/x.list" TMPDIR="$d/x.list/tmp" \
        timeout 300 "$PY" -m test ${TESTDIR:+--testdir "$TESTDIR"} --list-cases "$mod" >"$d/list" 2>"$d/list.err")
    rm -rf "$d/x.list"
    attempt "$mod" native 1 "" "$TIMEOUT"
    read -r _ ns _ <"$d/native.1.rc"; ns=$((ns / 1000))
    limit=$((SLOWDOWN * ns)); [ $limit -lt "$MIN_TIMEOUT" ] && limit=$MIN_TIMEOUT
    [ $limit -gt "$TIMEOUT" ] && limit=$TIMEOUT
    # cases that hang (or die) natively would only cost CASE_TIMEOUT again: left out under the shim
    "$PY" "$HELPER" nativehung "$d" >"$d/native.1.hung" 2>>"$d/helper.err"
    if [ -s "$d/native.1.hung" ]; then attempt "$mod" shim 1 "" "$limit" "$d/native.1.hung"
    else rm -f "$d/native.1.hung"; attempt "$mod" shim 1 "" "$limit"; fi
    for tr in 1 2 3; do
        "$PY" "$HELPER" suspects "$d" $tr 2>>"$d/helper.err"
        [ $tr -lt 3 ] && [ -s "$d/suspects.$tr.pats" ] || break
        next=$((tr + 1))
        # natively all suspects in one run; under the shim the cases that hung or died apart from
        # the others, so that the others' failure reports (printed at the end of a run) are not lost
        attempt "$mod" native $next "$d/suspects.$tr.pats" "$limit"
        [ -s "$d/suspects.$tr.ok.pats" ] && attempt "$mod" shim $next "$d/suspects.$tr.ok.pats" "$limit"
        [ -s "$d/suspects.$tr.h.pats" ] && attempt "$mod" shim $next.h "$d/suspects.$tr.h.pats" "$limit"
    done
    "$PY" "$HELPER" judge "$d" >"$d/report" 2>>"$d/helper.err"
    [ "$KEEP_DUMPS" = 1 ] || "$PY" "$HELPER" prune "$d" 2>>"$d/helper.err"   # keep dumps with findings
    "$PY" -c 'import json,sys; s=json.load(open(sys.argv[1]))
print("%-32s native %-12s %5ss  shim %-12s %5ss  cases %4d  suspects %d broken %d verdicts %d" % (s["module"],
      s["native_result"], s["native_s"], s["shim_result"], s["shim_s"], s["cases"], s["suspects"],
      s["broken"], s["false_verdicts"]))' "$d/summary.json" >&2
}
export -f descendants alive stacks run attempt one

start=$SECONDS
echo "cpython.sh: ${#selected[@]} module(s), shim $shim (copied to $SHIM), logs in $work" >&2
printf '%s\n' "${selected[@]}" | xargs -r -P "$jobs" -I{} bash -c 'one "$1"' _ {}

# ---- report ----------------------------------------------------------------------------------------
n=0 cases=0 np=0 sp=0 broken=0 verdicts=0
printf 'module\tcase\tkind\tnative\tshim\twhy\n' >"$work/results.tsv"
for mod in "${selected[@]}"; do
    d=$work/$mod
    [ -f "$d/summary.json" ] || { echo "NOTE $mod: no result (see $d/helper.err)"; continue; }
    cat -- "$d/report" | grep -v '^$'
    cat -- "$d/results.tsv" >>"$work/results.tsv"
    read -r c a b k v < <("$PY" -c 'import json,sys; s=json.load(open(sys.argv[1]))
print(s["cases"], s["native_pass"], s["shim_pass"], s["broken"], s["false_verdicts"])' "$d/summary.json")
    n=$((n + 1)) cases=$((cases + c)) np=$((np + a)) sp=$((sp + b)) broken=$((broken + k)) verdicts=$((verdicts + v))
done
echo "run time $((SECONDS - start))s; shim $shim; logs: $work"
echo "CPYTHON modules=$n cases=$cases native_pass=$np shim_pass=$sp broken=$broken false_verdicts=$verdicts"
[ "$broken" = 0 ] && [ "$verdicts" = 0 ]
