/* SPDX-License-Identifier: MIT */
/* Stack capture: the caller's return addresses, the shim's own frames
 * dropped; a stack that has the shape of one unwound before is read from
 * its return-address slots instead of unwound again (asl_stack.h). */
#define _GNU_SOURCE
#include "asl_stack.h"

#include "asl_sys.h"

#include <dlfcn.h>
#include <elf.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <unwind.h>

static uintptr_t self_lo, self_hi; /* written once by the constructor, read-only after */

static int find_self(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	uintptr_t me = (uintptr_t)data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && me >= lo && me < hi) {
			self_lo = lo;
			self_hi = hi;
			return 1;
		}
	}
	return 0;
}

static int in_shim(uintptr_t ip)
{
	return ip >= self_lo && ip < self_hi;
}

/* ---- The unwinder ----
 * libgcc's, the one glibc's backtrace() loads: it finds each frame's unwind
 * table through _dl_find_object (lock-free), takes no lock, allocates
 * nothing and keeps no per-thread state.  Its entry points are looked up in
 * the copy glibc loaded (RTLD_NOLOAD), so the shim links nothing of it. */
typedef _Unwind_Reason_Code (*unwind_backtrace_fn)(_Unwind_Trace_Fn, void *);
typedef _Unwind_Ptr (*unwind_get_fn)(struct _Unwind_Context *);
static unwind_backtrace_fn unwind_backtrace; /* NULL: use backtrace(), no shapes */
static unwind_get_fn unwind_get_ip, unwind_get_cfa;

static void load_unwinder(void)
{
	void *h = dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
	if (!h)
		return;
	unwind_get_ip = (unwind_get_fn)dlsym(h, "_Unwind_GetIP");
	unwind_get_cfa = (unwind_get_fn)dlsym(h, "_Unwind_GetCFA");
	unwind_backtrace = (unwind_backtrace_fn)dlsym(h, "_Unwind_Backtrace");
	if (!unwind_get_ip || !unwind_get_cfa)
		unwind_backtrace = NULL;
}

#define RAW_FRAMES 64

/* One unwind: each frame's return address and the CFA of the frame it
 * returns from, so that on x86-64 the address sits in the slot at cfa - 8.
 * (Elsewhere it need not: the check before a shape is stored then fails,
 * and every capture unwinds.) */
struct unwound {
	int n;
	int complete; /* the unwinder reached the stack's outermost frame */
	uintptr_t ip[RAW_FRAMES], cfa[RAW_FRAMES];
};

static _Unwind_Reason_Code on_frame(struct _Unwind_Context *ctx, void *p)
{
	struct unwound *u = p;
	uintptr_t ip = unwind_get_ip(ctx), cfa = unwind_get_cfa(ctx);
	/* No progress (as glibc's backtrace() checks): a loop in the unwind
	 * information; stop. */
	if (u->n > 0 && u->ip[u->n - 1] == ip && u->cfa[u->n - 1] == cfa)
		return _URC_END_OF_STACK;
	u->ip[u->n] = ip;
	u->cfa[u->n] = cfa;
	return ++u->n == RAW_FRAMES ? _URC_END_OF_STACK : _URC_NO_REASON;
}

static void unwind(struct unwound *u)
{
	u->n = 0;
	_Unwind_Reason_Code r = unwind_backtrace(on_frame, u);
	u->complete = r == _URC_END_OF_STACK && u->n < RAW_FRAMES;
	while (u->n > 1 && u->ip[u->n - 1] == 0) /* the outermost frame's "return address" */
		u->n--;
}

/* ---- Stack shapes ----
 * A shape is a stack unwound once, as offsets from the capture's base (the
 * slot of asl_stack_capture's own return address, just under its CFA) to
 * each return-address slot, and the address found there.  A later capture
 * whose base lies as far below its thread's stack top reads those slots;
 * when every one holds the remembered address the call path is the same,
 * frame by frame: the innermost slot is fixed by the base, and each
 * caller's frame lies where the callee's return address and the unwind
 * tables put it.
 *
 * Invariants:
 *  - A slot is read only when it lies in [base, stack_hi) and base lies in
 *    [stack_lo, stack_hi), the calling thread's own stack as
 *    asl_stack_thread_started or asl_stack_init proved it: a mapping that
 *    lives as long as the thread.  A capture on any other stack (a
 *    coroutine's, a sigaltstack) unwinds.
 *  - A shape is stored only when every slot held its address at unwind time
 *    (a signal frame, whose interrupted address is not in such a slot, is
 *    never stored).
 *  - Entries are shared by all threads: seq is odd while one is written
 *    (claimed by a compare-and-swap, never waited for); a reader uses an
 *    entry only when seq was even and unchanged around its reads.  No
 *    spinning, so a capture in a signal handler that interrupted a writer
 *    just unwinds. */
#define SHAPE_FRAMES 40
#define SHAPE_BUCKETS 128 /* two ways each */

struct shape {
	_Atomic unsigned seq;
	unsigned n;
	unsigned complete;
	uint32_t dist;              /* stack_hi - base */
	uintptr_t key;              /* the innermost return address: which shim call captures */
	uint32_t off[SHAPE_FRAMES]; /* slot - base */
	uintptr_t ip[SHAPE_FRAMES]; /* the return address in the slot */
};

/* Two paths that reach the same depth from the same shim call share a
 * bucket: a new shape goes to the way not written last. */
struct bucket {
	_Atomic unsigned victim;
	struct shape way[2];
};

static struct bucket shapes[SHAPE_BUCKETS];

/* The calling thread's own stack, [stack_lo, stack_hi); both 0: unknown. */
static __thread uintptr_t stack_lo __attribute__((tls_model("initial-exec")));
static __thread uintptr_t stack_hi __attribute__((tls_model("initial-exec")));

/* How the calling thread's captures went (asl_stack_counts). */
static __thread unsigned long n_from_shape __attribute__((tls_model("initial-exec")));
static __thread unsigned long n_unwound __attribute__((tls_model("initial-exec")));

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

static unsigned bucket_of(uintptr_t dist, uintptr_t key)
{
	uint64_t h = ((uint64_t)dist * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)key * 0xff51afd7ed558ccdull);
	return (unsigned)(h >> 40) % SHAPE_BUCKETS;
}

/* Reads other frames' slots: not for ASan's eyes (redzones are never
 * read; a slot lies where a return address was proven). */
#define READS_FRAMES __attribute__((no_sanitize("address")))

/* The shape for (dist, key) read from base up into out[], or -1: no shape,
 * or the stack differs from it. */
static READS_FRAMES int from_shape(uintptr_t base, uintptr_t hi, uintptr_t key, uintptr_t *out, int max)
{
	uintptr_t dist = hi - base;
	struct bucket *b = &shapes[bucket_of(dist, key)];
	for (int way = 0; way < 2; way++) {
		struct shape *s = &b->way[way];
		unsigned seq = atomic_load_explicit(&s->seq, memory_order_acquire);
		if ((seq & 1) || LOAD(s->dist) != dist || LOAD(s->key) != key)
			continue;
		unsigned n = LOAD(s->n);
		int k = 0, ok = n <= SHAPE_FRAMES;
		for (unsigned i = 0; ok && i < n && k < max; i++) {
			uintptr_t off = LOAD(s->off[i]);
			if (off + sizeof(uintptr_t) > dist) { /* a torn read: never outside the stack */
				ok = 0;
				break;
			}
			uintptr_t ip = *(const uintptr_t *)(base + off);
			if (ip != LOAD(s->ip[i]))
				ok = 0;
			else if (!in_shim(ip))
				out[k++] = ip;
		}
		if (ok && k < max && !LOAD(s->complete))
			ok = 0; /* stored short of what this capture wants */
		atomic_thread_fence(memory_order_acquire);
		if (ok && atomic_load_explicit(&s->seq, memory_order_relaxed) == seq)
			return k;
	}
	return -1;
}

/* Remembers u's frames from the base outward, when each one's slot is
 * proven. */
static READS_FRAMES void store_shape(const struct unwound *u, uintptr_t base, uintptr_t hi, uintptr_t key)
{
	int a = 0;
	while (a < u->n && u->cfa[a] - sizeof(uintptr_t) != base)
		a++;
	int n = u->n - a;
	if (n <= 0 || u->ip[a] != key)
		return;
	/* A deeper stack keeps its innermost frames, enough for a capture that
	 * wants no more kept frames than they hold. */
	unsigned complete = u->complete && n <= SHAPE_FRAMES;
	if (n > SHAPE_FRAMES)
		n = SHAPE_FRAMES;
	uintptr_t dist = hi - base, prev = 0;
	for (int i = a; i < a + n; i++) {
		uintptr_t slot = u->cfa[i] - sizeof(uintptr_t);
		if (slot < prev || slot + sizeof(uintptr_t) > hi || *(const uintptr_t *)slot != u->ip[i])
			return;
		prev = slot + sizeof(uintptr_t);
	}
	struct bucket *b = &shapes[bucket_of(dist, key)];
	struct shape *s = &b->way[atomic_fetch_xor_explicit(&b->victim, 1, memory_order_relaxed) & 1];
	unsigned seq = atomic_load_explicit(&s->seq, memory_order_relaxed);
	if ((seq & 1) || !atomic_compare_exchange_strong_explicit(&s->seq, &seq, seq + 1, memory_order_acquire,
	                                                          memory_order_relaxed))
		return;
	atomic_thread_fence(memory_order_release);
	STORE(s->dist, (uint32_t)dist);
	STORE(s->key, key);
	STORE(s->n, (unsigned)n);
	STORE(s->complete, complete);
	for (int i = 0; i < n; i++) {
		STORE(s->off[i], (uint32_t)(u->cfa[a + i] - sizeof(uintptr_t) - base));
		STORE(s->ip[i], u->ip[a + i]);
	}
	atomic_store_explicit(&s->seq, seq + 2, memory_order_release);
}

static int capture_by_backtrace(uintptr_t *out, int max)
{
	void *raw[RAW_FRAMES];
	int n = backtrace(raw, RAW_FRAMES);
	int k = 0;
	for (int i = 0; i < n && k < max; i++)
		if (!in_shim((uintptr_t)raw[i]))
			out[k++] = (uintptr_t)raw[i];
	return k;
}

__attribute__((noinline)) READS_FRAMES int asl_stack_capture(uintptr_t *out, int max)
{
	/* The slot of this function's return address: on the stack the
	 * capture starts from. */
	uintptr_t base = (uintptr_t)__builtin_dwarf_cfa() - sizeof(uintptr_t);
	uintptr_t lo = stack_lo, hi = stack_hi;
	if (!unwind_backtrace)
		return capture_by_backtrace(out, max);
	int usable = base >= lo && base < hi && hi - base < UINT32_MAX;
	uintptr_t key = usable ? *(const uintptr_t *)base : 0;
	if (usable) {
		int k = from_shape(base, hi, key, out, max);
		if (k >= 0) {
			n_from_shape++;
			return k;
		}
	}
	n_unwound++;
	struct unwound u;
	unwind(&u);
	int k = 0;
	for (int i = 0; i < u.n && k < max; i++)
		if (!in_shim(u.ip[i]))
			out[k++] = u.ip[i];
	if (usable)
		store_shape(&u, base, hi, key);
	return k;
}

void asl_stack_counts(unsigned long *from_shape, unsigned long *unwound)
{
	*from_shape = n_from_shape;
	*unwound = n_unwound;
}

/* ---- Which stack is the thread's own ---- */

/* The mapping of /proc/self/maps that holds addr, read a piece at a time
 * (the file has no size limit) with no allocation; 0 when found. */
static int mapping_of(uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char buf[4096];
	uintptr_t v[2] = { 0, 0 };
	int field = 0, found = -1; /* field 0, 1: the range's ends; 2: the rest of the line */
	ssize_t n;
	while (found != 0 && (n = asl_sys_read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			char c = buf[i];
			if (c == '\n') {
				if (field == 2 && addr >= v[0] && addr < v[1]) {
					*lo = v[0];
					*hi = v[1];
					found = 0;
					break;
				}
				v[0] = v[1] = 0;
				field = 0;
			} else if (field < 2) {
				int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
				if (d >= 0)
					v[field] = v[field] << 4 | (uintptr_t)d;
				else
					field++; /* '-' after the start, ' ' after the end */
			}
		}
	}
	asl_sys_close(fd);
	return found;
}

void asl_stack_thread_started(size_t stacksize, size_t guardsize)
{
	/* glibc puts the thread's descriptor (pthread_self()) at the top of its
	 * stack block, under at most a few kB of alignment; the block is at
	 * least stacksize bytes and its lowest guardsize bytes are the guard.
	 * 16 kB of slack at each end keeps the estimate inside the mapping. */
	const uintptr_t slack = 16384;
	uintptr_t self = (uintptr_t)pthread_self(), here = (uintptr_t)__builtin_frame_address(0);
	if (stacksize > self || guardsize > stacksize || stacksize - guardsize < 4 * slack)
		return;
	uintptr_t lo = self + slack - stacksize + guardsize + slack;
	if (here > lo && here < self) {
		stack_lo = lo;
		stack_hi = self;
	}
}

void asl_stack_default_sizes(size_t *stacksize, size_t *guardsize)
{
	pthread_attr_t a;
	*stacksize = *guardsize = 0;
	if (pthread_getattr_default_np(&a) != 0)
		return;
	pthread_attr_getstacksize(&a, stacksize);
	pthread_attr_getguardsize(&a, guardsize);
	pthread_attr_destroy(&a);
}

void asl_stack_init(void)
{
	void *warm[4];
	dl_iterate_phdr(find_self, (void *)(uintptr_t)&asl_stack_init);
	/* glibc loads libgcc's unwinder on the first backtrace(): here, at
	 * start-up, rather than inside a hook. */
	backtrace(warm, 4);
	load_unwinder();
	/* The main thread's stack is its mapping as it is now (a stack mapping
	 * grows, never shrinks). */
	uintptr_t lo, hi, here = (uintptr_t)__builtin_frame_address(0);
	if (getpid() == (pid_t)syscall(SYS_gettid) && mapping_of(here, &lo, &hi) == 0) {
		stack_lo = lo;
		stack_hi = hi;
	}
}
