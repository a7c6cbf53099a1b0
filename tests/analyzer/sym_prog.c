/* SPDX-License-Identifier: MIT */
/* Leaks a thread blocked in read() at a known line, for the symbolized
 * report test (test_symbolize_shim.c): run under the shim, its exit dump
 * has a leaked-thread finding whose stack's frame #0 is the read call. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static volatile pid_t reader_tid;

__attribute__((noinline)) static void *sym_prog_reader(void *arg)
{
	char c;

	(void)arg;
	reader_tid = (pid_t)syscall(SYS_gettid);
	if (read(fds[0], &c, 1) < 0)	/* SYM-PROG-MARK */
		perror("read");
	return NULL;
}

/* The reader is asleep in read() once the kernel says 'S'. */
static int sleeping(pid_t tid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

int main(void)
{
	struct timespec ms = { 0, 1000000 };
	pthread_t t;
	int i;

	if (pipe(fds) != 0 || pthread_create(&t, NULL, sym_prog_reader, NULL) != 0)
		return 1;
	for (i = 0; i < 10000 && !(reader_tid && sleeping(reader_tid)); i++)
		nanosleep(&ms, NULL);
	return 0;
}
