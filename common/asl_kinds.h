/* SPDX-License-Identifier: MIT */
/* The kinds of findings, waits and held locks: one table each, from which
 * every list in the shim, the suppressions parser and the analyzer is
 * generated (enums, names, the gate's verdicts, SARIF rules).  Adding a kind
 * is one line here.  Pure C, shared by the shim and the analyzer. */
#ifndef ASL_KINDS_H
#define ASL_KINDS_H

#include <stdbool.h>

/* X(ENUM, "name in dumps", fails the gate, "SARIF rule id", "SARIF name", "one sentence")
 * The order is the SARIF rules' order (ruleIndex): append, never reorder. */
#define ASL_FINDING_KINDS(X)                                                                                    \
	X(DEADLOCK, "deadlock", 1, "ASLEEP-DEADLOCK", "Deadlock", "A cycle of waits that can never resolve.")   \
	X(ALL_ASLEEP, "all-asleep", 1, "ASLEEP-ALL-ASLEEP", "AllAsleep",                                        \
	  "Every live thread waits forever and nothing can wake any of them.")                                  \
	X(LOCK_ORDER_INVERSION, "lock-order-inversion", 1, "ASLEEP-LOCK-ORDER-INVERSION", "LockOrderInversion", \
	  "Locks were taken in orders that form a cycle: a potential deadlock.")                                \
	X(LEAKED_THREAD, "leaked-thread", 1, "ASLEEP-LEAKED-THREAD", "LeakedThread",                            \
	  "A thread was still alive when the process exited.")                                                  \
	X(ABANDONED_LOCK, "abandoned-lock", 1, "ASLEEP-ABANDONED-LOCK", "AbandonedLock",                        \
	  "A thread exited while holding a lock.")                                                              \
	X(LONG_WAIT, "long-wait", 0, "ASLEEP-LONG-WAIT", "LongWait",                                            \
	  "A thread waited longer than the configured limit.")                                                  \
	X(THREAD_GROWTH, "thread-growth", 0, "ASLEEP-THREAD-GROWTH", "ThreadGrowth",                            \
	  "More live threads than max_threads.")                                                                \
	X(SHUTDOWN_STALL, "shutdown-stall", 0, "ASLEEP-SHUTDOWN-STALL", "ShutdownStall",                        \
	  "The program handled SIGTERM and was still alive after the grace period.")

/* X(ENUM, "name in dumps", is a lock wait (its owners can be named)) */
#define ASL_WAIT_KINDS(X)                  \
	X(NONE, "none", 0)                 \
	X(MUTEX, "mutex", 1)               \
	X(RWLOCK_READ, "rwlock-read", 1)   \
	X(RWLOCK_WRITE, "rwlock-write", 1) \
	X(COND, "cond", 0)                 \
	X(JOIN, "join", 0)                 \
	X(SEM, "sem", 0)                   \
	X(BARRIER, "barrier", 0)           \
	X(SPIN, "spin", 1)                 \
	X(FUTEX, "futex", 0)               \
	X(PIPE_READ, "pipe-read", 0)       \
	X(PIPE_WRITE, "pipe-write", 0)     \
	X(EVENTFD, "eventfd", 0)           \
	X(SOCKET, "socket", 0)             \
	X(POLL, "poll", 0)                 \
	X(SLEEP, "sleep", 0)               \
	X(ONCE, "once", 1)                 \
	X(COND_DESTROY, "cond-destroy", 0)

/* X(ENUM, "name in dumps", held exclusively) */
#define ASL_LOCK_KINDS(X)                  \
	X(MUTEX, "mutex", 1)               \
	X(RWLOCK_READ, "rwlock-read", 0)   \
	X(RWLOCK_WRITE, "rwlock-write", 1) \
	X(SPIN, "spin", 1)                 \
	X(ONCE, "once", 1) /* running a pthread_once / call_once routine */

#define ASL_KIND_ENUM_F(e, ...) ASL_F_##e,
#define ASL_KIND_ENUM_W(e, ...) ASL_W_##e,
#define ASL_KIND_ENUM_L(e, ...) ASL_L_##e,
enum asl_finding_kind { ASL_FINDING_KINDS(ASL_KIND_ENUM_F) ASL_F__COUNT };
enum asl_wait_kind { ASL_WAIT_KINDS(ASL_KIND_ENUM_W) ASL_W__COUNT };
enum asl_lock_kind { ASL_LOCK_KINDS(ASL_KIND_ENUM_L) ASL_L__COUNT };
#undef ASL_KIND_ENUM_F
#undef ASL_KIND_ENUM_W
#undef ASL_KIND_ENUM_L

/* A lock-order edge in words, the same in the shim's report and every
 * analyzer format: "held mutex 0x10, then took mutex 0x20"; its two stacks
 * are where the first lock was "taken" and the second "requested". */
#define ASL_ORDER_EDGE_FMT "held %s %s, then took %s %s"
#define ASL_ORDER_HELD_AT "taken at"
#define ASL_ORDER_ACQUIRED_AT "requested at"

/* Names ("?" out of range) and their inverses (-1 when unknown). */
const char *asl_finding_kind_name(int kind);
const char *asl_wait_kind_name(int kind);
const char *asl_lock_kind_name(int kind);
int asl_finding_kind_from_name(const char *name);

/* Whether a finding of this kind (by name) fails the runner's gate. */
bool asl_finding_kind_fails_gate(const char *name);

/* Whether a wait of this kind (by name) is for a lock: its owners can be named. */
bool asl_wait_kind_is_lock(const char *name);

#endif
