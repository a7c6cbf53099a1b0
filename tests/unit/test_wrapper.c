/* SPDX-License-Identifier: MIT */
/* Which frames are locking wrappers ("taken at" skips them). */
#include "asl_wrapper.h"

#include <criterion/criterion.h>

Test(wrapper, names_that_are_wrappers)
{
	const char *yes[] = { "_dbus_lock+0x1f",
		              "g_mutex_lock",
		              "g_rec_mutex_lock+0x3",
		              "std::mutex::lock()",
		              "std::unique_lock<std::mutex>::unique_lock(std::mutex&)+0x2a",
		              "std::lock_guard<std::mutex>::lock_guard(std::mutex&)",
		              "Mutex::Lock()",
		              "MutexLock",
		              "spin_lock",
		              "lock",
		              "my_rwlock_rdlock",
		              "pool_trylock",
		              "std::scoped_lock<std::mutex>::scoped_lock(std::mutex&)" };
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		cr_assert(asl_is_lock_wrapper(yes[i]), "%s is a wrapper", yes[i]);
}

Test(wrapper, names_that_are_not)
{
	const char *no[] = { "worker+0x10",
		             "read_block",
		             "lock_accounts_and_transfer",
		             "deadlock_detect",
		             "std::vector<std::lock_guard<int> >::push_back(int)",
		             "main",
		             "",
		             "Block::flush()",
		             "clock",
		             "unblock" };
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		cr_assert(!asl_is_lock_wrapper(no[i]), "%s is not a wrapper", no[i]);
	cr_assert(!asl_is_lock_wrapper(NULL));
}

Test(wrapper, first_past_wrappers)
{
	const char *st[] = { "_dbus_lock+0x1f", "_dbus_connection_lock+0x9", "dbus_connection_send+0x40", "main" };
	cr_assert_eq(asl_first_past_wrappers(st, 4), 2);
	cr_assert_eq(asl_first_past_wrappers(st + 2, 2), 0);
	const char *all[] = { "g_mutex_lock" };
	cr_assert_eq(asl_first_past_wrappers(all, 1), 1);
}
