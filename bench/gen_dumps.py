#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes synthetic asleep dumps to measure asleep-analyze at scale.

usage: gen_dumps.py many DIR [--dumps N] [--threads T]
       gen_dumps.py big FILE [--threads T]

many: N dumps (default 1000) of T threads each (default 12), as a CI run's
      worth of test processes would leave: every 10th has a leaked-thread
      finding, every 50th a deadlock; processes differ in pid and load
      addresses but run the same program.
big:  one dump of T threads (default 10000): a server whose pools leaked,
      in a dozen kinds of thread, with an all-asleep finding naming all.

Output is deterministic (fixed seed).  Then, for example:
  /usr/bin/time -v build/analyzer/asleep-analyze report DIR >/dev/null
"""
import argparse
import json
import os
import random

EXE = "/srv/bench/server"
LIBC = "/lib/x86_64-linux-gnu/libc.so.6"

# (thread name, wait kind, object, top libc function, program frames)
KINDS = [
    ("worker", "cond", "queue", "pthread_cond_wait", ["queue_pop", "worker_loop", "pool_thread"]),
    ("conn", "socket", "fd", "recv", ["conn_read", "conn_serve", "conn_thread"]),
    ("flusher", "mutex", "lock", "__lll_lock_wait", ["stats_lock", "flush_stats", "flusher_main"]),
    ("timer", "sleep", "sleep", "clock_nanosleep", ["tick_wait", "timer_main"]),
    ("reader", "pipe-read", "fd", "read", ["pipe_pull", "reader_main"]),
    ("joiner", "join", "thread", "pthread_join", ["reap_children", "reaper_main"]),
    ("gate", "sem", "sem", "sem_wait", ["gate_pass", "gate_main"]),
    ("poller", "poll", "fd", "poll", ["event_wait", "event_loop", "poller_main"]),
    ("barrier", "barrier", "bar", "pthread_barrier_wait", ["phase_sync", "phase_main"]),
    ("writer", "rwlock-write", "lock", "pthread_rwlock_wrlock", ["table_update", "writer_main"]),
    ("spinner", "spin", "lock", "pthread_spin_lock", ["ring_push", "spinner_main"]),
    ("futexer", "futex", "word", "syscall", ["futex_park", "futexer_main"]),
]


def frame(fn, mod, off, base):
    return {"addr": hex(base + off), "module": mod, "offset": hex(off),
            "function": "%s+0x%x" % (fn, off % 0x40)}


def offset_of(fn):
    return 0x1000 + (sum(map(ord, fn)) * 97) % 0x30000


def thread(rng, tid, main_tid, kind, bases, depth_pad):
    name, wkind, obj, top, prog = kind
    exe_base, libc_base = bases
    stack = [frame(top, 1, offset_of(top), libc_base)]
    stack += [frame(fn, 0, offset_of(fn), exe_base) for fn in prog]
    # Deep application stacks: padding frames make stacks realistic in size.
    stack += [frame("layer_%d" % i, 0, offset_of("layer_%d" % i), exe_base) for i in range(depth_pad)]
    stack.append(frame("start_thread", 1, 0x891f5, libc_base))
    if obj == "fd":
        object_ = "fd %d" % rng.randrange(3, 1000)
    elif obj == "thread":
        object_ = "thread %d" % (tid + 1)
    elif obj == "sleep":
        object_ = "sleep"
    else:
        object_ = hex(exe_base + 0x40000 + rng.randrange(0, 64) * 64)
    t = {"tid": tid, "name": name, "state": "blocked", "main": False, "detached": False,
         "wait": {"kind": wkind, "object": object_, "since_ms": rng.randrange(0, 3_600_000),
                  "timed": wkind == "sleep"},
         "held": [], "stack": stack,
         "created_by": {"tid": main_tid, "stack": [frame("spawn_%s" % name, 0, offset_of("spawn_" + name), exe_base),
                                                   frame("main", 0, offset_of("main"), exe_base)]}}
    if wkind == "mutex":
        t["wait"]["owners"] = [main_tid]
    return t


def dump(rng, pid, seq, n_threads, reason, findings_fn, depth_pad):
    bases = (0x550000000000 + rng.randrange(0, 1 << 20) * 0x1000,
             0x7f0000000000 + rng.randrange(0, 1 << 20) * 0x1000)
    threads = [{"tid": pid, "name": "server", "state": "running", "main": True, "detached": False,
                "held": []}]
    for i in range(1, n_threads):
        kind = KINDS[min(int(rng.expovariate(0.6)), len(KINDS) - 1)]
        threads.append(thread(rng, pid + i, pid, kind, bases, depth_pad))
    return {"schema": "asleep-dump/1", "pid": pid, "seq": seq, "reason": reason, "exe": EXE,
            "time_unix_ms": 1795000000000 + pid, "uptime_ms": 60000, "live_threads": n_threads,
            "peak_threads": n_threads, "threads": threads, "findings": findings_fn(threads),
            "modules": [{"path": EXE, "base": hex(bases[0]), "build_id": "ab" * 20},
                        {"path": LIBC, "base": hex(bases[1]), "build_id": "cd" * 20}]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["many", "big"])
    ap.add_argument("path")
    ap.add_argument("--dumps", type=int, default=1000)
    ap.add_argument("--threads", type=int)
    ap.add_argument("--depth", type=int, default=6, help="extra frames per stack (default 6)")
    a = ap.parse_args()
    rng = random.Random(42)

    if a.mode == "many":
        os.makedirs(a.path, exist_ok=True)
        n_threads = a.threads or 12
        for k in range(a.dumps):
            pid = 10000 + k * 100

            def findings(threads, k=k):
                out = []
                if k % 10 == 0:
                    t = threads[-1]
                    out.append({"kind": "leaked-thread", "threads": [t["tid"]],
                                "message": "thread %d (%s) still running at exit" % (t["tid"], t["name"])})
                if k % 50 == 0:
                    a_, b_ = threads[1]["tid"], threads[2]["tid"]
                    out.append({"kind": "deadlock", "threads": [a_, b_], "objects": ["0x1", "0x2"],
                                "message": "threads %d and %d wait for each other" % (a_, b_),
                                "cycle": [{"tid": a_, "kind": "mutex", "object": "0x1", "owner": b_},
                                          {"tid": b_, "kind": "mutex", "object": "0x2", "owner": a_}]})
                return out
            d = dump(rng, pid, 0, n_threads, "exit", findings, a.depth)
            with open(os.path.join(a.path, "asleep.%d.0.json" % pid), "w") as f:
                json.dump(d, f)
    else:
        n_threads = a.threads or 10000

        def findings(threads):
            return [{"kind": "all-asleep", "message": "all %d threads are asleep" % len(threads),
                     "threads": [t["tid"] for t in threads]}]
        d = dump(rng, 20000, 0, n_threads, "all-asleep", findings, a.depth)
        with open(a.path, "w") as f:
            json.dump(d, f)


if __name__ == "__main__":
    main()
