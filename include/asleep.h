/* SPDX-License-Identifier: MIT */
/* asleep.h: in-test thread-leak checks (goleak's VerifyNone) for programs
 * run under the asleep shim (libasleep.so).
 *
 *   asleep_snapshot_t snap;
 *   asleep_snapshot(&snap);              // the threads alive now
 *   ... run the code under test ...
 *   int n = asleep_verify_none(&snap, NULL);  // threads alive now, not in snap
 *   asleep_snapshot_free(&snap);
 *
 * Header only: the shim's entry points are looked up at run time with
 * dlsym(RTLD_DEFAULT, ...), so a program that uses this header builds and
 * runs without the shim (then every call returns ASLEEP_NO_SHIM).  Link
 * with -ldl on glibc older than 2.34.
 *
 * asleep_verify_none scans the shim's thread registry up to max_scans times,
 * wait_ms apart, while some thread beyond the snapshot is alive, so that
 * threads on their way out (told to stop, not yet gone) are not flagged.
 * What is still alive after the last scan is reported like any finding:
 * a "leaked-thread" finding on stderr and, with dump_dir set, in a dump with
 * reason "check"; suppressions (ASLEEP_OPTIONS suppressions=FILE) apply. */
#ifndef ASLEEP_H
#define ASLEEP_H

#include <dlfcn.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ASLEEP_OK 0
#define ASLEEP_NO_SHIM (-1) /* libasleep.so is not loaded (or stopped: seccomp) */
#define ASLEEP_EINVAL (-2)  /* no snapshot, or not one asleep_snapshot made */
#define ASLEEP_ENOMEM (-3)

typedef struct asleep_snapshot {
	void *impl;   /* the shim's copy; NULL when none was taken */
	int nthreads; /* threads alive when it was taken */
} asleep_snapshot_t;

typedef struct asleep_verify_opts {
	int max_scans; /* scans before giving up on a thread; <= 0: 50 */
	int wait_ms;   /* between scans; < 0: 10 */
	int scans;     /* out: scans made */
} asleep_verify_opts_t;

static inline void *asleep__entry(const char *name)
{
#ifdef RTLD_DEFAULT
	return dlsym(RTLD_DEFAULT, name);
#else
	return dlsym((void *)0, name); /* RTLD_DEFAULT without _GNU_SOURCE */
#endif
}

/* 1 when the shim is loaded in this process. */
static inline int asleep_shim_present(void)
{
	return asleep__entry("asleep_shim_snapshot") != NULL;
}

/* Records the threads alive now.  ASLEEP_OK, ASLEEP_NO_SHIM or
 * ASLEEP_ENOMEM; s->impl is NULL unless ASLEEP_OK. */
static inline int asleep_snapshot(asleep_snapshot_t *s)
{
	int (*take)(void **, int *) = (int (*)(void **, int *))asleep__entry("asleep_shim_snapshot");
	if (!s)
		return ASLEEP_EINVAL;
	s->impl = NULL;
	s->nthreads = 0;
	if (!take)
		return ASLEEP_NO_SHIM;
	return take(&s->impl, &s->nthreads);
}

/* The number of threads alive beyond the snapshot after the retries (each
 * reported; suppressed ones are not counted), or ASLEEP_NO_SHIM,
 * ASLEEP_EINVAL, ASLEEP_ENOMEM.  opts may be NULL. */
static inline int asleep_verify_none(const asleep_snapshot_t *s, asleep_verify_opts_t *opts)
{
	int (*verify)(const void *, int, int, int *) =
		(int (*)(const void *, int, int, int *))asleep__entry("asleep_shim_verify_none");
	int scans = 0, rc;
	if (!verify)
		return ASLEEP_NO_SHIM;
	if (!s || !s->impl)
		return ASLEEP_EINVAL;
	rc = verify(s->impl, opts ? opts->max_scans : 0, opts ? opts->wait_ms : -1, &scans);
	if (opts)
		opts->scans = scans;
	return rc;
}

static inline void asleep_snapshot_free(asleep_snapshot_t *s)
{
	void (*release)(void *) = (void (*)(void *))asleep__entry("asleep_shim_snapshot_free");
	if (!s)
		return;
	if (release && s->impl)
		release(s->impl);
	s->impl = NULL;
}

static inline const char *asleep_strerror(int rc)
{
	switch (rc) {
	case ASLEEP_NO_SHIM:
		return "asleep: the shim (libasleep.so) is absent: no leak check";
	case ASLEEP_EINVAL:
		return "asleep: no snapshot to check against";
	case ASLEEP_ENOMEM:
		return "asleep: out of memory";
	default:
		return rc > 0 ? "asleep: threads leaked beyond the snapshot" : "asleep: ok";
	}
}

#ifdef __cplusplus
}
#endif

#endif
