/* SPDX-License-Identifier: MIT */
/* The verdict for a process that was never started under the shim: `attach
 * PID` (a live process, stopped briefly with ptrace) and `core FILE [EXE]`.
 * Everything comes from the kernel and the process's memory: each thread's
 * state and system call (/proc, or the core's notes), its registers (the
 * futex address, the fd), its stack (elfutils' libdwfl, as eu-stack), and
 * glibc 2.36's objects read where the registers point (a mutex's owner, a
 * joined thread's tid, an rwlock's writer).  From that a snapshot is made
 * and judged by the shim's own rules (shim/judge: the same cycle finder and
 * all-asleep veto), then written as a dump (reason "attach" or "core") and
 * reported as `report` would.
 *
 * What is not known for certain counts as running, as in the shim: a wait
 * the decoder does not recognize, a socket (its peer may be anywhere), a
 * channel another process holds, a futex in shared memory. */
#ifndef ASL_OUTSIDE_H
#define ASL_OUTSIDE_H

#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define OUTSIDE_FRAMES 32

struct ext_thread {
	pid_t tid;
	char name[64];
	char state;      /* the kernel's: 'S', 'R', 'D'...; '?' in a core */
	bool in_syscall; /* stopped (or dumped) inside system call nr: its return
	                  * value was a restart code, so it was asleep there */
	long nr;
	unsigned long args[6];
	unsigned long fs_base; /* the thread pointer: its pthread_t */
	uintptr_t pc[OUTSIDE_FRAMES];
	int nframes;
};

struct ext_proc {
	pid_t pid;
	bool live;          /* /proc/PID is there to ask */
	const char *source; /* "attach" or "core" */
	char exe[4096];
	struct ext_thread *t; /* the threads, main first when known */
	size_t n;
	Dwfl *dwfl; /* modules and stacks */
	/* reads the process's memory: 0, or -1 when it cannot */
	int (*read)(const struct ext_proc *p, uintptr_t addr, void *buf, size_t len);
	void *impl;
	bool handlers_known;
	bool handlers; /* the program handles some signal (glibc's own not counted) */
};

/* libdwfl's frame callback: appends the frame's pc to the ext_thread arg. */
int outside_frame_cb(Dwfl_Frame *state, void *arg);

/* A system call interrupted by a stop or a dump: x86_64's registers show its
 * number and arguments, and a restart code (-ERESTARTSYS...) in rax. */
bool outside_syscall_regs(long orig_rax, long rax);

/* Judges p, writes the dump into dump_dir (a temporary file, removed after,
 * when NULL) and the report to out.  The threads' waits are decoded first
 * (from memory, while a live process is still stopped), then resume(arg)
 * is called (NULL: nothing to resume), then the rest is done.  Returns the
 * exit status: 0 nothing found, 1 findings, 2 a deadlock or every thread
 * asleep, 3 trouble (said in one line on stderr). */
int outside_judge(struct ext_proc *p, const char *dump_dir, bool symbolize, FILE *out, void (*resume)(void *),
                  void *arg);

/* `attach PID`: stops every thread of PID with ptrace (PTRACE_SEIZE and
 * PTRACE_INTERRUPT: no signal is sent), reads them, judges, and lets the
 * process go on exactly as it was (PTRACE_DETACH; interrupted system calls
 * restart).  Exit status as outside_judge. */
int outside_attach(pid_t pid, const char *dump_dir, bool symbolize, FILE *out);

/* `core FILE [EXE]`: the same from a core file (gcore's, or the kernel's). */
int outside_core(const char *core, const char *exe, const char *dump_dir, bool symbolize, FILE *out);

#endif
