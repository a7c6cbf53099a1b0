/* SPDX-License-Identifier: MIT */
// Verdict: a thread waits on a std::atomic nobody notifies; main joins it.
#include "scen.hh"

#include <atomic>
#include <thread>

static std::atomic<int> flag{0};

int main()
{
    std::thread t([] {
        scen_name("waiter");
        flag.wait(0);
        scen_die("woken");
    });
    t.join();
    scen_die("joined");
}
