/* Rendering DOT to SVG with Graphviz's `dot`, when it is installed. */
#ifndef ASLEEP_FORMAT_GRAPHVIZ_H
#define ASLEEP_FORMAT_GRAPHVIZ_H

#include <stdbool.h>
#include <stddef.h>

/* Whether an executable `dot` is in PATH. */
bool graphviz_found(void);

/* Runs `dot -Tsvg` on src and returns the SVG element (from "<svg" on,
 * without the XML prolog, so it can be inlined in HTML), malloc'd; NULL
 * when dot is missing, fails, or memory runs out. */
char *graphviz_svg(const char *src, size_t len);

#endif
