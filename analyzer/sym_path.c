/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* asprintf */
#include "sym_path.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sym_strings_free(struct sym_strings *pool)
{
	size_t i;

	for (i = 0; i < pool->n; i++)
		free(pool->s[i]);
	free(pool->s);
	pool->s = NULL;
	pool->n = pool->cap = 0;
}

static int keep(struct sym_strings *pool, char *s)
{
	if (pool->n == pool->cap) {
		size_t cap = pool->cap ? 2 * pool->cap : 64;
		char **p = realloc(pool->s, cap * sizeof(*p));
		if (!p)
			return -1;
		pool->s = p;
		pool->cap = cap;
	}
	pool->s[pool->n++] = s;
	return 0;
}

/* Rewrites path in place from its components: "." and empty ones go,
 * ".." takes back the component before it (if any, and not "..").
 * Returns -1 when out of memory. */
static int clean(char *path)
{
	const bool abs = path[0] == '/';
	size_t max = 1, n = 0, i, len;
	char **comp, *tok, *save = NULL, *w;

	for (tok = path; *tok; tok++)
		max += *tok == '/';
	comp = malloc(max * sizeof(*comp));
	if (!comp)
		return -1;
	for (tok = strtok_r(path, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0 && n > 0 && strcmp(comp[n - 1], "..") != 0) {
			n--;
			continue;
		}
		if (strcmp(tok, "..") == 0 && n == 0 && abs)
			continue; /* "/.." is "/" */
		comp[n++] = tok;
	}
	/* Components only move left, so copying in order is safe. */
	w = path;
	if (abs)
		*w++ = '/';
	for (i = 0; i < n; i++) {
		if (i)
			*w++ = '/';
		len = strlen(comp[i]);
		memmove(w, comp[i], len);
		w += len;
	}
	*w = '\0';
	free(comp);
	return 0;
}

const char *sym_clean_path(struct sym_strings *pool, const char *path)
{
	char *copy;

	if (!path ||
	    (!strstr(path, "/./") && !strstr(path, "/../") && !strstr(path, "//") && strncmp(path, "./", 2) != 0))
		return path;
	copy = strdup(path);
	if (!copy)
		return path;
	if (clean(copy) < 0 || keep(pool, copy) < 0) {
		free(copy);
		return path;
	}
	return copy;
}

const char *sym_join_path(struct sym_strings *pool, const char *dir, const char *file)
{
	char *joined;

	/* A relative dir (glibc's "./nptl") is no anchor: file may already
	 * include it. */
	if (!file || file[0] == '/' || !dir || dir[0] != '/')
		return sym_clean_path(pool, file);
	if (asprintf(&joined, "%s/%s", dir, file) < 0)
		return file;
	if (clean(joined) < 0 || keep(pool, joined) < 0) {
		free(joined);
		return file;
	}
	return joined;
}

const char *sym_keep(struct sym_strings *pool, const char *s)
{
	char *copy = strdup(s);
	if (!copy || keep(pool, copy) < 0) {
		free(copy);
		return NULL;
	}
	return copy;
}
