/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_syscalls.h"

#include "asl_sys.h"

#include <sched.h>

void asl_syscalls_drain(uint64_t ns)
{
	uint64_t until = asl_now_ns() + ns;
	int hwm = atomic_load(&asl_threads_hwm);
	for (int i = 0; i < hwm; i++) {
		struct asl_thread *t = asl_thread_at(i);
		if (!t || t == asl_me)
			continue;
		while (atomic_load_explicit(&t->sys_depth, memory_order_seq_cst) > 0 && asl_now_ns() < until)
			sched_yield();
	}
}
