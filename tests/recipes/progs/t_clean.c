/* SPDX-License-Identifier: MIT */
/* A test that passes the gate: its one thread is joined before exit. */
#include <pthread.h>
#include <stdio.h>

static void *work(void *arg)
{
	return arg;
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, work, NULL) != 0 || pthread_join(t, NULL) != 0)
		return 1;
	puts("t_clean: ok");
	return 0;
}
