/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* pipe2 */
#include "format_graphviz.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static bool find_dot(char *path, size_t len)
{
	const char *p = getenv("PATH"), *end;
	int n;

	for (; p && *p; p = *end ? end + 1 : end) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		if (end == p)
			continue; /* an empty entry would mean ".": not trusted */
		n = snprintf(path, len, "%.*s/dot", (int)(end - p), p);
		if (n > 0 && (size_t)n < len && access(path, X_OK) == 0)
			return true;
	}
	return false;
}

bool graphviz_found(void)
{
	char path[PATH_MAX];

	return find_dot(path, sizeof(path));
}

static bool write_all(int fd, const char *buf, size_t len)
{
	ssize_t w;

	while (len) {
		w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		buf += w;
		len -= (size_t)w;
	}
	return true;
}

static char *read_all(int fd)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap), *grown;
	ssize_t r;

	while (buf) {
		if (len + 1 == cap) {
			grown = realloc(buf, cap *= 2);
			if (!grown)
				break;
			buf = grown;
		}
		r = read(fd, buf + len, cap - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (r == 0) {
			buf[len] = '\0';
			return buf;
		}
		len += (size_t)r;
	}
	free(buf);
	return NULL;
}

/* dot reads a temporary file rather than a pipe, so that writing the
 * source and reading the SVG cannot block each other. */
static char *run_dot(const char *dot, const char *file)
{
	char *argv[] = { (char *)"dot", (char *)"-Tsvg", (char *)file, NULL };
	posix_spawn_file_actions_t fa;
	char *out = NULL;
	int pipefd[2], status = 1;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return NULL;
	if (posix_spawn_file_actions_init(&fa) == 0) {
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
		posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
		if (posix_spawn(&pid, dot, &fa, NULL, argv, environ) == 0) {
			close(pipefd[1]);
			pipefd[1] = -1;
			out = read_all(pipefd[0]);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				free(out);
				out = NULL;
			}
		}
		posix_spawn_file_actions_destroy(&fa);
	}
	close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return out;
}

/* dot's output for several graphs is their SVG documents one after the
 * other: out[i] gets the i-th "<svg ...>...</svg>" element, malloc'd. */
static int split_svgs(const char *all, char **out, size_t n)
{
	const char *p = all;
	for (size_t i = 0; i < n; i++) {
		const char *start = strstr(p, "<svg"), *end = start ? strstr(start, "</svg>") : NULL;
		if (!end)
			return -1;
		end += strlen("</svg>");
		out[i] = strndup(start, (size_t)(end - start));
		if (!out[i])
			return -1;
		out[i][end - start] = '\0';
		p = end;
	}
	return 0;
}

int graphviz_svg_many(char *const *srcs, const size_t *lens, size_t n, char **svgs)
{
	char dot[PATH_MAX], file[PATH_MAX], *all = NULL;
	const char *tmp = getenv("TMPDIR");
	bool ok = true;
	int fd;

	for (size_t i = 0; i < n; i++)
		svgs[i] = NULL;
	if (n == 0)
		return 0;
	if (!find_dot(dot, sizeof(dot)))
		return -1;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (snprintf(file, sizeof(file), "%s/asleep-graph.XXXXXX", tmp) >= (int)sizeof(file))
		return -1;
	fd = mkstemp(file);
	if (fd < 0)
		return -1;
	for (size_t i = 0; ok && i < n; i++)
		ok = write_all(fd, srcs[i], lens[i]) && write_all(fd, "\n", 1);
	if (ok)
		all = run_dot(dot, file);
	close(fd);
	unlink(file);
	if (!all || split_svgs(all, svgs, n) < 0) {
		for (size_t i = 0; i < n; i++) {
			free(svgs[i]);
			svgs[i] = NULL;
		}
		free(all);
		return -1;
	}
	free(all);
	return 0;
}

char *graphviz_svg(const char *src, size_t len)
{
	char *svg = NULL;
	char *srcs[1] = { (char *)src };
	return graphviz_svg_many(srcs, &len, 1, &svg) == 0 ? svg : NULL;
}
