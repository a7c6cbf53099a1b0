/* SPDX-License-Identifier: MIT */
/* Locking wrappers: functions a program locks through (_dbus_lock,
 * g_mutex_lock, std::mutex::lock, std::unique_lock's constructor).  A
 * report's "taken at" names the first frame past them: the code that
 * wanted the lock.  Told by name: the function's last component ends in
 * "lock" as a word of its own (lock, _lock, ...Lock, rdlock, trylock) or is
 * lock_guard. */
#ifndef ASL_WRAPPER_H
#define ASL_WRAPPER_H

/* function: a frame's function, demangled or not, "+0x.." allowed. */
int asl_is_lock_wrapper(const char *function);

/* The index of the first frame of names[0..n) that is not a wrapper (n when
 * all are; NULL names count as not wrappers). */
int asl_first_past_wrappers(const char *const *names, int n);

#endif
