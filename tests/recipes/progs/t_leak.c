/* SPDX-License-Identifier: MIT */
/* A test that passes by its own exit status but leaks a thread: the gate fails it. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *forgotten(void *arg)
{
	for (;;)
		pause();
	return arg;
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, forgotten, NULL) != 0)
		return 1;
	puts("t_leak: ok");
	return 0;
}
