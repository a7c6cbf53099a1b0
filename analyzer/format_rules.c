/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* asprintf */
#include "format_rules.h"

#include "asl_kinds.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define RULE(e, kind, fails, id, name, summary) { kind, id, name, summary },
const struct finding_rule finding_rules[] = { ASL_FINDING_KINDS(RULE) };
#undef RULE
const size_t n_finding_rules = sizeof(finding_rules) / sizeof(finding_rules[0]);

const struct finding_rule *finding_rule_find(const char *kind)
{
	size_t i;

	for (i = 0; i < n_finding_rules; i++)
		if (strcmp(finding_rules[i].kind, kind) == 0)
			return &finding_rules[i];
	return NULL;
}

void finding_rule_id(const char *kind, char *buf, size_t len)
{
	const struct finding_rule *r = finding_rule_find(kind);
	size_t i = 0;

	if (r) {
		snprintf(buf, len, "%s", r->id);
		return;
	}
	i = (size_t)snprintf(buf, len, "ASLEEP-");
	for (; *kind && i + 1 < len; kind++)
		buf[i++] = isalnum((unsigned char)*kind) && (unsigned char)*kind < 0x80
		                   ? (char)toupper((unsigned char)*kind)
		                   : '-';
	buf[i < len ? i : len - 1] = '\0';
}

bool wait_kind_is_lock(const char *kind)
{
	return asl_wait_kind_is_lock(kind);
}

char *wait_step_text(const struct dump_cycle_step *c)
{
	char *s = NULL;
	int r;

	if (strcmp(c->kind, "join") == 0)
		r = asprintf(&s, "tid %lld waits to join tid %lld", c->tid, c->owner);
	else
		r = asprintf(&s, "tid %lld waits for %s %s%s tid %lld", c->tid, c->kind, c->object,
		             wait_kind_is_lock(c->kind) ? " held by" : ", which needs", c->owner);
	return r < 0 ? NULL : s;
}

char *order_edge_text(const struct dump_order_edge *e)
{
	char *s = NULL;
	return asprintf(&s, ASL_ORDER_EDGE_FMT, e->held_kind, e->held, e->acquired_kind, e->acquired) < 0 ? NULL : s;
}
