/* SPDX-License-Identifier: MIT */
/* Replays fuzzer inputs through the libFuzzer entry point of
 * analyzer/fuzz_load.c, built here with the normal compiler (and under
 * ASan/UBSan in the sanitizer build), so a crash once found by the fuzzer
 * stays fixed on every test run, clang or not.
 *
 * usage: replay FILE|DIR...   (a DIR stands for its files, in name order)
 *
 * Prints one line per input, "NAME: loads, T threads, F findings" or
 * "NAME: refused: REASON", for comparison with a golden file.  A crash,
 * a sanitizer report or a multi-line error (fuzz_load.c traps) fails the
 * run. */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load.h"
#include "readfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char err[LOAD_ERR_MAX];
	struct dump *d;
	size_t len;
	char *buf;

	if (read_whole_file(path, &buf, &len, err, sizeof(err)) < 0) {
		fprintf(stderr, "replay: %s\n", err);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	/* The outcome, for the golden file; the error starts with the name. */
	if (dump_load_buffer(name, buf, len, &d, err, sizeof(err)) == 0) {
		printf("%s: loads, %zu threads, %zu findings\n", name, d->n_threads, d->n_findings);
		dump_free(d);
	} else {
		printf("%s: refused: %s\n", name, err + strlen(name));
	}
	free(buf);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_hidden(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static int replay_dir(const char *dir)
{
	struct dirent **list;
	int n, i, rc = 0;

	n = scandir(dir, &list, not_hidden, by_name);
	if (n < 0) {
		perror(dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		if (replay_file(path) < 0)
			rc = -1;
		free(list[i]);
	}
	free(list);
	return rc;
}

int main(int argc, char **argv)
{
	struct stat st;
	int i, rc = 0;

	if (argc < 2) {
		fputs("usage: replay FILE|DIR...\n", stderr);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			rc = 1;
		} else if (S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i])) {
			rc = 1;
		}
	}
	return rc;
}
