/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_diag.h"

#include "asl_options.h"
#include "asl_sys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Written once by the constructor, read-only after. */
static dev_t err_dev;
static ino_t err_ino;
static int err_known; /* fd 2 was open at start-up */
static char log_path[ASL_PATH_MAX];

void asl_diag_init(const char *path)
{
	struct stat st;
	if (fstat(2, &st) == 0) {
		err_dev = st.st_dev;
		err_ino = st.st_ino;
		err_known = 1;
	}
	log_path[0] = '\0';
	if (path && path[0])
		asl_str_cat(log_path, sizeof log_path, path);
}

static int stderr_unchanged(void)
{
	struct stat st;
	return err_known && fstat(2, &st) == 0 && st.st_dev == err_dev && st.st_ino == err_ino;
}

int asl_diag_begin(void)
{
	if (!log_path[0])
		return stderr_unchanged() ? 2 : -1;
	char path[ASL_PATH_MAX + 24] = "";
	asl_str_cat(path, sizeof path, log_path);
	asl_str_cat(path, sizeof path, ".");
	asl_str_cat_int(path, sizeof path, getpid());
	return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
}

/* A log file is ours whatever number it got (a program that closed fd 0
 * may see us open there for the length of one report). */
void asl_diag_end(int fd)
{
	if (log_path[0] && fd >= 0)
		asl_sys_close(fd);
}

void asl_write_diag(const char *msg, size_t len)
{
	int fd = asl_diag_begin();
	if (fd < 0)
		return;
	asl_sys_write_all(fd, msg, len);
	asl_diag_end(fd);
}
