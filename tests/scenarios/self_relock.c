/* SPDX-License-Identifier: MIT */
/* Verdict: the only thread locks a default mutex twice: a thread waiting on
 * itself (1-step cycle) and all-asleep. */
#include "scen.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
    CHECK(pthread_mutex_lock(&m));
    CHECK(pthread_mutex_lock(&m));
    scen_die("relocked a default mutex");
}
