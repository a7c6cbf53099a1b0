/* SPDX-License-Identifier: MIT */
/* A test that deadlocks (AB/BA): the shim ends it with status 2 instead of a CI timeout. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void *ba(void *arg)
{
	pthread_mutex_lock(&b);
	pthread_barrier_wait(&both_hold_one);
	pthread_mutex_lock(&a);
	return arg;
}

int main(void)
{
	pthread_t t;

	pthread_barrier_init(&both_hold_one, NULL, 2);
	if (pthread_create(&t, NULL, ba, NULL) != 0)
		return 1;
	pthread_mutex_lock(&a);
	pthread_barrier_wait(&both_hold_one);
	pthread_mutex_lock(&b);
	pthread_join(t, NULL);
	puts("t_deadlock: not reached");
	return 0;
}
