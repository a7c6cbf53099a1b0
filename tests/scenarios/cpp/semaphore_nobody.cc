/* SPDX-License-Identifier: MIT */
// Verdict: a thread acquires a std::counting_semaphore nobody releases;
// main joins it.  With -DALONE main acquires it itself (one thread).
#include "scen.hh"

#include <semaphore>
#include <thread>

static std::counting_semaphore<4> sem(0);

int main()
{
#ifdef ALONE
    sem.acquire();
#else
    std::thread t([] {
        scen_name("acquirer");
        sem.acquire();
        scen_die("acquired");
    });
    t.join();
#endif
    scen_die("acquired or joined");
}
