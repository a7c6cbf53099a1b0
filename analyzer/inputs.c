/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* strverscmp */
#include "inputs.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "escape.h"
#include "load.h"

static int fail(const char *path, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", path, what);
	sanitize_line(err);
	return -1;
}

static int add_dump(struct dump_set *set, struct dump *d)
{
	struct dump **nd = realloc(set->dumps, (set->n + 1) * sizeof(*nd));

	if (!nd)
		return -1;
	set->dumps = nd;
	set->dumps[set->n++] = d;
	return 0;
}

static int load_one(struct dump_set *set, const char *path, char *err, size_t errlen)
{
	struct dump *d;

	if (dump_load_file(path, &d, err, errlen) < 0)
		return -1;
	if (add_dump(set, d) < 0) {
		dump_free(d);
		return fail(path, "out of memory", err, errlen);
	}
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

static char *join_path(const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";
	char *p;

	return asprintf(&p, "%s%s%s", dir, sep, name) < 0 ? NULL : p;
}

static bool is_dump_name(const char *name)
{
	return name[0] != '.' && fnmatch(DUMP_FILE_GLOB, name, 0) == 0;
}

/* The dump files' full paths, sorted; NULL-terminated. */
static char **list_dir(const char *dir, size_t *count, char *err, size_t errlen)
{
	char **paths = NULL, **np, *p;
	size_t n = 0, i;
	struct dirent *e;
	struct stat st;
	DIR *dh;

	dh = opendir(dir);
	if (!dh) {
		fail(dir, strerror(errno), err, errlen);
		return NULL;
	}
	while ((e = readdir(dh))) {
		if (!is_dump_name(e->d_name))
			continue;
		p = join_path(dir, e->d_name);
		if (!p)
			goto oom;
		/* stat, not d_type: follow symlinks, skip directories. */
		if (stat(p, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		np = realloc(paths, (n + 1) * sizeof(*np));
		if (!np) {
			free(p);
			goto oom;
		}
		paths = np;
		paths[n++] = p;
	}
	closedir(dh);
	if (n)
		qsort(paths, n, sizeof(*paths), name_cmp);
	*count = n;
	if (!paths) /* an empty directory is not an error */
		paths = calloc(1, sizeof(*paths));
	if (!paths)
		fail(dir, "out of memory", err, errlen);
	return paths;
oom:
	closedir(dh);
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	fail(dir, "out of memory", err, errlen);
	return NULL;
}

static int load_dir(struct dump_set *set, const char *dir, char *err, size_t errlen)
{
	const char **ne;
	size_t n = 0, i;
	char **paths;
	int r = 0;

	paths = list_dir(dir, &n, err, errlen);
	if (!paths)
		return -1;
	for (i = 0; i < n && r == 0; i++)
		r = load_one(set, paths[i], err, errlen);
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	if (r == 0 && n == 0) {
		ne = realloc(set->empty_dirs, (set->n_empty_dirs + 1) * sizeof(*ne));
		if (!ne)
			return fail(dir, "out of memory", err, errlen);
		set->empty_dirs = ne;
		set->empty_dirs[set->n_empty_dirs++] = dir;
	}
	return r;
}

int inputs_load(char *const *paths, size_t n, struct dump_set *set, char *err, size_t errlen)
{
	struct stat st;
	size_t i;

	memset(set, 0, sizeof(*set));
	for (i = 0; i < n; i++) {
		if (stat(paths[i], &st) < 0) {
			fail(paths[i], strerror(errno), err, errlen);
			goto bad;
		}
		if (S_ISDIR(st.st_mode) ? load_dir(set, paths[i], err, errlen) < 0
		                        : load_one(set, paths[i], err, errlen) < 0)
			goto bad;
	}
	return 0;
bad:
	dump_set_free(set);
	return -1;
}

void dump_set_free(struct dump_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		dump_free(set->dumps[i]);
	free(set->dumps);
	free(set->empty_dirs);
	memset(set, 0, sizeof(*set));
}
