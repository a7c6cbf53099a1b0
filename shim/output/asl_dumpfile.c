/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_dumpfile.h"

#include "asl_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

static _Atomic int dump_seq;

int asl_dump_next_seq(void)
{
	return atomic_fetch_add(&dump_seq, 1);
}

void asl_dump_seq_reset(void)
{
	atomic_store(&dump_seq, 0);
}

/* mkdir -p, on a copy of dir. */
static void make_dirs(const char *dir)
{
	char p[1024] = "";
	asl_str_cat(p, sizeof p, dir);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0777);
		*s = '/';
	}
	mkdir(p, 0777);
}

static void name(char *out, size_t len, const char *dir, const char *prefix, int seq, int attempt)
{
	out[0] = '\0';
	asl_str_cat(out, len, dir);
	asl_str_cat(out, len, prefix);
	asl_str_cat_int(out, len, getpid());
	asl_str_cat(out, len, ".");
	asl_str_cat_int(out, len, seq);
	if (attempt >= 0) {
		asl_str_cat(out, len, ".");
		asl_str_cat_int(out, len, attempt);
		asl_str_cat(out, len, ".tmp");
	} else {
		asl_str_cat(out, len, ".json");
	}
}

int asl_dumpfile_open(struct asl_dumpfile *f, const char *dir, int seq)
{
	make_dirs(dir);
	name(f->path, sizeof f->path, dir, "/asleep.", seq, -1);
	/* A stale temporary name (a process with our pid died mid-dump) is
	 * skipped, never reused. */
	for (int attempt = 0; attempt < 8; attempt++) {
		name(f->tmp, sizeof f->tmp, dir, "/.asleep.", seq, attempt);
		f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (f->fd >= 0 || errno != EEXIST)
			break;
	}
	return f->fd >= 0 ? 0 : -1;
}

int asl_dumpfile_commit(struct asl_dumpfile *f, int ok)
{
	int saved = 0, rc = ok ? 0 : -1;
	if (asl_sys_close(f->fd) != 0 && rc == 0) {
		saved = errno;
		rc = -1;
	}
	f->fd = -1;
	if (rc == 0 && rename(f->tmp, f->path) != 0) {
		saved = errno;
		rc = -1;
	}
	if (rc != 0) {
		unlink(f->tmp);
		if (saved)
			errno = saved;
	}
	return rc;
}
