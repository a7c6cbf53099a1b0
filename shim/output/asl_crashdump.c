/* SPDX-License-Identifier: MIT */
/* The crash dump: every thread's record written from a fatal signal's
 * handler.  Async-signal-safe throughout: no malloc, no locks, no stdio.
 * JSON goes through a static buffer flushed with write(2) straight into
 * the temporary file, which is then renamed (both plain system calls).
 * Registry records are read seqlock-style (asl_thread.h); everything else a
 * dump needs (module map, options) was prepared outside signal context. */
#define _GNU_SOURCE
#include "asl_diag.h"
#include "asl_proc.h"
#include "asl_dumpfile.h"
#include "asl_finding.h"
#include "asl_forklock.h"
#include "asl_options.h"
#include "asl_crashdump.h"
#include "asl_real.h"
#include "asl_sys.h"
#include "asl_thread.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define cat asl_str_cat
#define cat_int asl_str_cat_int

/* ---- module map: double-buffered so the handler never sees a half copy */

#define CRASH_MODS 512
struct crash_mod {
	uintptr_t base, lo, hi;
	char path[256];
	char build_id[41];
};
static struct crash_mod mod_buf[2][CRASH_MODS]; /* guarded by mod_lock (writers); the handler reads mod_cur's */
static int mod_n[2];
static _Atomic int mod_cur = -1; /* the complete buffer, -1: none yet */
/* Serializes the writers (the handler only reads mod_cur's buffer). */
static struct asl_forklock mod_lock = ASL_FORKLOCK_INIT;
static __thread struct asl_forklock_tls mod_writing __attribute__((tls_model("initial-exec")));

void asl_crash_fork_prepare(void)
{
	asl_forklock_prepare(&mod_lock, &mod_writing);
}

void asl_crash_fork_done(void)
{
	asl_forklock_done(&mod_lock, &mod_writing);
}

void asl_crash_modules_set(const struct asl_modules *ms)
{
	asl_forklock_enter(&mod_lock, &mod_writing);
	int next = atomic_load(&mod_cur) == 0 ? 1 : 0;
	int n = ms->n < CRASH_MODS ? ms->n : CRASH_MODS;
	for (int i = 0; i < n; i++) {
		struct crash_mod *c = &mod_buf[next][i];
		c->base = ms->m[i].base;
		c->lo = ms->m[i].lo;
		c->hi = ms->m[i].hi;
		c->path[0] = c->build_id[0] = '\0';
		cat(c->path, sizeof c->path, ms->m[i].path); /* long paths cut: the offsets still hold */
		cat(c->build_id, sizeof c->build_id, ms->m[i].build_id);
	}
	mod_n[next] = n;
	atomic_store(&mod_cur, next);
	asl_forklock_leave(&mod_lock, &mod_writing);
}

void asl_crash_modules_refresh(void)
{
	struct asl_modules ms;
	asl_modules_collect(&ms);
	if (ms.n > 0)
		asl_crash_modules_set(&ms);
	asl_modules_free(&ms);
}

static int mod_index(int cur, uintptr_t a)
{
	for (int i = 0; cur >= 0 && i < mod_n[cur]; i++)
		if (a >= mod_buf[cur][i].lo && a < mod_buf[cur][i].hi)
			return i;
	return -1;
}

/* ---- output: a static buffer flushed with write(2) */

static struct {
	int fd;
	int err;
	size_t n;
	char buf[32768];
} out;

static void flush_out(void)
{
	const char *p = out.buf;
	while (out.n > 0 && !out.err) {
		ssize_t w = REAL(write)(out.fd, p, out.n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			out.err = 1;
			break;
		}
		p += w;
		out.n -= (size_t)w;
	}
	out.n = 0;
}

static void put_raw(const char *s, size_t n)
{
	while (n > 0) {
		if (out.n == sizeof out.buf)
			flush_out();
		size_t k = sizeof out.buf - out.n;
		if (k > n)
			k = n;
		memcpy(out.buf + out.n, s, k);
		out.n += k;
		s += k;
		n -= k;
	}
}

static void put(const char *s)
{
	put_raw(s, strlen(s));
}

static void put_int(long long v)
{
	char b[24];
	int i = sizeof b;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do {
		b[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		b[--i] = '-';
	put_raw(b + i, sizeof b - (size_t)i);
}

static void put_hex(uintptr_t v)
{
	char b[20];
	int i = sizeof b;
	do {
		b[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	put("0x");
	put_raw(b + i, sizeof b - (size_t)i);
}

/* A JSON string, escaped. */
static void put_str(const char *s)
{
	put("\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			put_raw(e, 2);
		} else if (c < 0x20 || c == 0x7f) {
			char e[6] = { '\\', 'u', '0', '0', "0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15] };
			put_raw(e, 6);
		} else {
			put_raw((const char *)&c, 1);
		}
	}
	put("\"");
}

static void put_hex_str(uintptr_t v)
{
	put("\"");
	put_hex(v);
	put("\"");
}

/* ---- small async-signal-safe helpers */

static pid_t my_tid(void)
{
	return gettid();
}

static void thread_name(pid_t tid, char *buf, size_t len)
{
	char path[64] = "/proc/self/task/";
	cat_int(path, sizeof path, tid);
	cat(path, sizeof path, "/comm");
	if (asl_sys_read_file(path, buf, len) <= 0) {
		buf[0] = '?';
		buf[1] = '\0';
	}
	buf[strcspn(buf, "\n")] = '\0';
}

const char *asl_signal_name(int sig, char *buf, size_t len)
{
	const char *abbrev = sigabbrev_np(sig);
	buf[0] = '\0';
	cat(buf, len, "SIG");
	if (abbrev)
		cat(buf, len, abbrev);
	else
		cat_int(buf, len, sig);
	return buf;
}

/* A word of our own memory, or -1 when it is not mapped (read through the
 * kernel so a bad frame pointer cannot fault the handler). */
static int peek(uintptr_t addr, uintptr_t *val)
{
	struct iovec local = { val, sizeof *val }, remote = { (void *)addr, sizeof *val };
	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)sizeof *val ? 0 : -1;
}

/* The interrupted context's pc, then a frame-pointer walk: exact for code
 * built with frame pointers, best effort (stops at the first bad link)
 * elsewhere. */
static int interrupted_stack(const void *ucv, uintptr_t *st, int max)
{
	const ucontext_t *uc = ucv;
	uintptr_t pc = 0, fp = 0;
	if (!uc)
		return 0;
#if defined(__x86_64__)
	pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
#elif defined(__aarch64__)
	pc = (uintptr_t)uc->uc_mcontext.pc;
	fp = (uintptr_t)uc->uc_mcontext.regs[29];
#endif
	int n = 0;
	if (pc)
		st[n++] = pc;
	while (n < max && fp && !(fp & (sizeof(uintptr_t) - 1))) {
		uintptr_t next, ret;
		if (peek(fp, &next) || peek(fp + sizeof(uintptr_t), &ret) || ret < 4096)
			break;
		st[n++] = ret;
		if (next <= fp || next - fp > (1u << 24))
			break;
		fp = next;
	}
	return n;
}

/* ---- one thread's record, copied the way asl_snapshot.c does */

struct crash_thread {
	int life;
	int blocked;
	struct asl_wait wait;
	int nheld, held_lost;
	struct asl_held held[ASL_HELD_MAX];
};

static void copy_thread(struct asl_thread *t, struct crash_thread *c)
{
	c->life = atomic_load(&t->life);
	for (int tries = 0; tries < 4; tries++) {
		unsigned s1 = atomic_load_explicit(&t->wait_seq, memory_order_acquire);
		memcpy(&c->wait, &t->wait, sizeof c->wait);
		c->nheld = t->nheld;
		c->held_lost = t->held_lost;
		if (c->nheld < 0 || c->nheld > ASL_HELD_MAX)
			c->nheld = 0;
		memcpy(c->held, t->held, (size_t)c->nheld * sizeof c->held[0]);
		atomic_thread_fence(memory_order_acquire);
		if (s1 == atomic_load_explicit(&t->wait_seq, memory_order_relaxed)) {
			c->blocked = asl_is_blocked(s1);
			if (c->wait.depth < 0 || c->wait.depth > ASL_STACK_MAX)
				c->wait.depth = 0;
			if (c->wait.nfds < 0)
				c->wait.nfds = 0;
			return;
		}
	}
	c->blocked = 0;
}

static int live(int life)
{
	return life == ASL_STARTING || life == ASL_ALIVE || life == ASL_EXITING;
}

static const char *state_name(const struct crash_thread *c)
{
	if (c->blocked)
		return "blocked";
	return c->life == ASL_STARTING ? "starting" : c->life == ASL_EXITING ? "exiting" : "running";
}

static int is_lock_wait(int kind)
{
	return kind == ASL_W_MUTEX || kind == ASL_W_RWLOCK_READ || kind == ASL_W_RWLOCK_WRITE || kind == ASL_W_SPIN;
}

/* Who must act: lock holders (from every thread's held list, read racily:
 * best effort here) or the join target.  Returns the count. */
static int owners_of(const struct asl_wait *w, pid_t *o, int max)
{
	int n = 0, hwm = atomic_load(&asl_threads_hwm);
	for (int i = 0; i < hwm && n < max; i++) {
		struct asl_thread *t = asl_thread_at(i);
		if (!t || !live(atomic_load(&t->life)))
			continue;
		if (w->kind == ASL_W_JOIN && t->self == (pthread_t)w->obj) {
			o[n++] = t->tid;
			continue;
		}
		int nh = t->nheld;
		for (int h = 0; is_lock_wait(w->kind) && h < nh && h < ASL_HELD_MAX; h++)
			if (t->held[h].obj == w->obj) {
				o[n++] = t->tid;
				break;
			}
	}
	if (n == 0 && is_lock_wait(w->kind) && w->owner_hint > 0)
		o[n++] = w->owner_hint;
	return n;
}

static void put_frame(int cur, uintptr_t a)
{
	int mi = mod_index(cur, a);
	put("{\"addr\":");
	put_hex_str(a);
	if (mi >= 0) {
		put(",\"module\":");
		put_int(mi);
		put(",\"offset\":");
		put_hex_str(a - mod_buf[cur][mi].base);
	}
	put("}");
}

static void put_stack(int cur, const uintptr_t *st, int n)
{
	put("[");
	for (int i = 0; i < n; i++) {
		if (i)
			put(",");
		put_frame(cur, st[i]);
	}
	put("]");
}

static void put_wait(const struct crash_thread *c, uint64_t now)
{
	const struct asl_wait *w = &c->wait;
	pid_t o[16];
	int no = owners_of(w, o, 16);
	put("{\"kind\":");
	put_str(asl_wait_kind_name(w->kind));
	put(",\"object\":\"");
	if (w->kind == ASL_W_JOIN) {
		put("thread ");
		put_int(no ? o[0] : 0);
	} else if (asl_wait_on_fds(w->kind)) {
		put("fd ");
		put_int((long long)w->obj);
	} else if (w->kind == ASL_W_SLEEP) {
		put("sleep");
	} else {
		put_hex(w->obj);
	}
	put("\",\"owners\":[");
	for (int i = 0; i < no; i++) {
		if (i)
			put(",");
		put_int(o[i]);
	}
	put("]");
	if (w->kind == ASL_W_COND) {
		put(",\"mutex\":");
		put_hex_str(w->aux);
	}
	if (asl_wait_on_fds(w->kind)) {
		put(",\"fds\":[");
		for (int i = 0; i < w->nfds && i < ASL_WAIT_FDS; i++) {
			if (i)
				put(",");
			put_int(w->fds[i]);
		}
		put("]");
		if (w->peer >= 0) {
			put(",\"peer\":\"fd ");
			put_int(w->peer);
			put("\"");
		}
	}
	put(",\"since_ms\":");
	put_int(now > w->since_ns ? (long long)((now - w->since_ns) / 1000000u) : 0);
	put(w->timed ? ",\"timed\":true" : ",\"timed\":false");
	put(w->shared ? ",\"shared\":true}" : ",\"shared\":false}");
}

static void put_thread(struct asl_thread *t, const struct crash_thread *c, int cur, uint64_t now)
{
	char name[64];
	thread_name(t->tid, name, sizeof name);
	put("{\"tid\":");
	put_int(t->tid);
	put(",\"name\":");
	put_str(name);
	put(",\"state\":");
	put_str(state_name(c));
	put(t->is_main ? ",\"main\":true" : ",\"main\":false");
	put(t->detached ? ",\"detached\":true" : ",\"detached\":false");
	if (c->blocked) {
		put(",\"wait\":");
		put_wait(c, now);
		put(",\"stack\":");
		put_stack(cur, c->wait.stack, c->wait.depth);
	}
	put(",\"held\":[");
	for (int h = 0; h < c->nheld; h++) {
		put(h ? ",{\"kind\":" : "{\"kind\":");
		put_str(asl_lock_kind_name(asl_held_kind(&c->held[h])));
		put(",\"object\":");
		put_hex_str(c->held[h].obj);
		if (c->held[h].site) {
			put(",\"site\":");
			put_frame(cur, c->held[h].site);
		}
		put("}");
	}
	put("]");
	if (c->held_lost) {
		put(",\"held_untracked\":");
		put_int(c->held_lost);
	}
	if (!t->is_main) {
		int d = t->create_depth;
		put(",\"created_by\":{\"tid\":");
		put_int(t->parent_tid);
		put(",\"stack\":");
		put_stack(cur, t->create_stack, d >= 0 && d <= ASL_STACK_MAX ? d : 0);
		put("}");
	}
	put("}");
}

static uint64_t mono_ns(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int synchronous_fault(int sig, const siginfo_t *si)
{
	return si && si->si_code > 0 && (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL);
}

static void put_signal(int sig, const siginfo_t *si, const void *uc, int cur)
{
	char name[32];
	uintptr_t st[ASL_STACK_MAX];
	int n = interrupted_stack(uc, st, ASL_STACK_MAX);
	put("{\"number\":");
	put_int(sig);
	put(",\"name\":");
	put_str(asl_signal_name(sig, name, sizeof name));
	put(",\"tid\":");
	put_int(my_tid());
	if (si) {
		put(",\"code\":");
		put_int(si->si_code);
		if (synchronous_fault(sig, si)) {
			put(",\"fault_addr\":");
			put_hex_str((uintptr_t)si->si_addr);
		} else if (si->si_code <= 0) {
			put(",\"sender_pid\":");
			put_int(si->si_pid);
		}
	}
	put(",\"stack\":");
	put_stack(cur, st, n);
	put("}");
}

static void put_dump(int seq, int sig, const siginfo_t *si, const void *uc)
{
	int cur = atomic_load(&mod_cur);
	uint64_t now = mono_ns(CLOCK_MONOTONIC);
	char exe[512];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	put("{\"schema\":\"asleep-dump/1\",\"pid\":");
	put_int(getpid());
	put(",\"seq\":");
	put_int(seq);
	put(",\"reason\":\"signal\",\"signal\":");
	put_signal(sig, si, uc, cur);
	put(",\"exe\":");
	put_str(exe);
	put(",\"time_unix_ms\":");
	put_int((long long)(mono_ns(CLOCK_REALTIME) / 1000000u));
	put(",\"uptime_ms\":");
	put_int(now > asl_start_ns ? (long long)((now - asl_start_ns) / 1000000u) : 0);
	put(",\"live_threads\":");
	put_int(atomic_load(&asl_live_threads));
	put(",\"peak_threads\":");
	put_int(atomic_load(&asl_peak_threads));
	put(",\"threads\":[");
	static struct crash_thread c; /* one dump at a time: the caller is the only writer */
	int hwm = atomic_load(&asl_threads_hwm), first = 1;
	for (int i = 0; i < hwm && i < ASL_MAX_THREADS; i++) {
		struct asl_thread *t = asl_thread_at(i);
		if (!t)
			continue;
		copy_thread(t, &c);
		if (!live(c.life))
			continue;
		if (!first)
			put(",\n");
		first = 0;
		put_thread(t, &c, cur, now);
	}
	put("],\"findings\":[],\"modules\":[");
	for (int i = 0; cur >= 0 && i < mod_n[cur]; i++) {
		const struct crash_mod *m = &mod_buf[cur][i];
		put(i ? ",\n{\"path\":" : "{\"path\":");
		put_str(m->path);
		put(",\"base\":");
		put_hex_str(m->base);
		put(",\"build_id\":");
		put_str(m->build_id);
		put("}");
	}
	put("]}\n");
}

/* Returns 0 when the file is in place. */
static int write_file(int sig, const siginfo_t *si, const void *uc, char *path, size_t len)
{
	struct asl_dumpfile f;
	int seq = asl_dump_next_seq();
	if (asl_dumpfile_open(&f, asl_opts.dump_dir, seq) != 0)
		return -1;
	out.fd = f.fd;
	out.err = 0;
	out.n = 0;
	put_dump(seq, sig, si, uc);
	flush_out();
	path[0] = '\0';
	cat(path, len, f.path);
	return asl_dumpfile_commit(&f, !out.err);
}

/* Without a dump file: each thread and what it waits for, on stderr. */
static void write_summary(int sig)
{
	static struct crash_thread c;
	char name[64];
	uint64_t now = mono_ns(CLOCK_MONOTONIC);
	int hwm = atomic_load(&asl_threads_hwm);
	out.fd = asl_diag_begin();
	out.err = out.fd < 0;
	out.n = 0;
	put("asleep: fatal signal ");
	put(asl_signal_name(sig, name, sizeof name));
	put(" in thread ");
	put_int(my_tid());
	put(" (pid ");
	put_int(getpid());
	put("); threads:\n");
	for (int i = 0; i < hwm && i < ASL_MAX_THREADS; i++) {
		struct asl_thread *t = asl_thread_at(i);
		if (!t)
			continue;
		copy_thread(t, &c);
		if (!live(c.life))
			continue;
		thread_name(t->tid, name, sizeof name);
		put("    thread ");
		put_int(t->tid);
		put(" \"");
		put(name);
		put(t->is_main ? "\" (main): " : "\": ");
		if (c.blocked) {
			put("blocked ");
			put_int(now > c.wait.since_ns ? (long long)((now - c.wait.since_ns) / 1000000u) : 0);
			put("ms on ");
			put(asl_wait_kind_name(c.wait.kind));
			put(" ");
			if (asl_wait_on_fds(c.wait.kind)) {
				put("fd ");
				put_int((long long)c.wait.obj);
			} else {
				put_hex(c.wait.obj);
			}
		} else {
			put(state_name(&c));
		}
		if (c.nheld) {
			put(", holds ");
			put_int(c.nheld);
			put(c.nheld == 1 ? " lock" : " locks");
		}
		put("\n");
	}
	flush_out();
	asl_diag_end(out.fd);
}

/* A process that dies of a signal has stderr exactly as without the shim
 * (test suites crash and abort children on purpose and check what they
 * print): the dump goes to dump_dir without a word.  report_fatal=1 asks
 * for a line (or, without dump_dir, the threads' summary) on a crash, an
 * abort or a SIGQUIT; SIGTERM and SIGINT, how correct programs are
 * stopped, stay silent even then. */
static int says_on_stderr(int sig)
{
	return asl_opts.report && asl_opts.report_fatal && sig != SIGTERM && sig != SIGINT;
}

void asl_crashdump_write(int sig, const siginfo_t *si, const void *uc)
{
	char path[ASL_PATH_MAX + 64], name[32];
	if (asl_opts.dump_dir[0] && write_file(sig, si, uc, path, sizeof path) == 0) {
		if (says_on_stderr(sig) && (out.fd = asl_diag_begin()) >= 0) {
			out.err = 0;
			out.n = 0;
			put("asleep: fatal signal ");
			put(asl_signal_name(sig, name, sizeof name));
			put(": dump written to ");
			put(path);
			put("\n");
			flush_out();
			asl_diag_end(out.fd);
		}
		return;
	}
	if (says_on_stderr(sig))
		write_summary(sig);
}
