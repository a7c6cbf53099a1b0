/* SPDX-License-Identifier: MIT */
/* The `dot` format (wait-for and lock-order cycles as Graphviz graphs), and
 * rendering DOT to SVG with Graphviz's `dot` for the page, when installed. */
#ifndef ASLEEP_FORMAT_DOT_H
#define ASLEEP_FORMAT_DOT_H

#include <stdbool.h>
#include <stddef.h>

/* Whether an executable `dot` is in PATH. */
bool graphviz_found(void);

/* Runs `dot -Tsvg` on src and returns the SVG element (from "<svg" on,
 * without the XML prolog, so it can be inlined in HTML), malloc'd; NULL
 * when dot is missing, fails, or memory runs out. */
char *graphviz_svg(const char *src, size_t len);

/* The same for n graphs in one run of dot (its start-up, fonts included,
 * is paid once): svgs[i] for srcs[i] (lens[i] bytes).  0, or -1 with every
 * svgs[i] NULL. */
int graphviz_svg_many(char *const *srcs, const size_t *lens, size_t n, char **svgs);

#endif
