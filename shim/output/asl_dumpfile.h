/* SPDX-License-Identifier: MIT */
/* Dump files: DIR/asleep.<pid>.<seq>.json, written under a temporary name
 * in DIR and renamed into place, so that a reader never sees half a file.
 * The temporary file is created with O_EXCL|O_NOFOLLOW and mode 0600: a
 * name planted in DIR (a symlink, a file) is never followed nor truncated.
 * Async-signal-safe (the crash dump uses it). */
#ifndef ASL_DUMPFILE_H
#define ASL_DUMPFILE_H

#include <stddef.h>

/* The next dump number of this process (lock-free). */
int asl_dump_next_seq(void);
void asl_dump_seq_reset(void);

struct asl_dumpfile {
	int fd;
	char path[1100];
	char tmp[1100];
};

/* Creates DIR (and its parents) if missing and opens the temporary file for
 * dump `seq`.  Returns 0, or -1 with errno set. */
int asl_dumpfile_open(struct asl_dumpfile *f, const char *dir, int seq);

/* Closes it and, when ok, renames it into place; otherwise removes it.
 * Returns 0 when the dump is in place, else -1 with errno set. */
int asl_dumpfile_commit(struct asl_dumpfile *f, int ok);

#endif
