/* SPDX-License-Identifier: MIT */
// No verdict: main waits on a std::atomic that a worker sets and notifies
// after a second of computation.
#include "scen.hh"

#include <atomic>
#include <thread>

static std::atomic<unsigned long> result{0};

int main()
{
    std::thread t([] {
        scen_name("computer");
        result.store(scen_crunch(1.0));
        result.notify_all();
    });
    result.wait(0);
    t.join();
    return 0;
}
