/* SPDX-License-Identifier: MIT */
#include "asl_kinds.h"

#include <string.h>

#define NAME(e, name, ...) name,
static const char *const finding_names[] = { ASL_FINDING_KINDS(NAME) };
static const char *const wait_names[] = { ASL_WAIT_KINDS(NAME) };
static const char *const lock_names[] = { ASL_LOCK_KINDS(NAME) };
#undef NAME

#define GATE(e, name, fails, ...) fails,
static const bool fails_gate[] = { ASL_FINDING_KINDS(GATE) };
#undef GATE

#define LOCKISH(e, name, is_lock) is_lock,
static const bool wait_is_lock[] = { ASL_WAIT_KINDS(LOCKISH) };
#undef LOCKISH

const char *asl_finding_kind_name(int kind)
{
	return kind >= 0 && kind < ASL_F__COUNT ? finding_names[kind] : "?";
}

const char *asl_wait_kind_name(int kind)
{
	return kind >= 0 && kind < ASL_W__COUNT ? wait_names[kind] : "?";
}

const char *asl_lock_kind_name(int kind)
{
	return kind >= 0 && kind < ASL_L__COUNT ? lock_names[kind] : "?";
}

int asl_finding_kind_from_name(const char *name)
{
	for (int i = 0; i < ASL_F__COUNT; i++)
		if (strcmp(name, finding_names[i]) == 0)
			return i;
	return -1;
}

bool asl_finding_kind_fails_gate(const char *name)
{
	int k = asl_finding_kind_from_name(name);
	return k >= 0 && fails_gate[k];
}

bool asl_wait_kind_is_lock(const char *name)
{
	for (int i = 0; i < ASL_W__COUNT; i++)
		if (strcmp(name, wait_names[i]) == 0)
			return wait_is_lock[i];
	return false;
}
