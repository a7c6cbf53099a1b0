/* SPDX-License-Identifier: MIT */
// Verdict: a thread acquires a std::binary_semaphore nobody releases; main
// joins it.
#include "scen.hh"

#include <semaphore>
#include <thread>

static std::binary_semaphore sem(0);

int main()
{
    std::thread t([] {
        scen_name("acquirer");
        sem.acquire();
        scen_die("acquired");
    });
    t.join();
    scen_die("joined");
}
