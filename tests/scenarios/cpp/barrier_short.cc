/* SPDX-License-Identifier: MIT */
// Verdict: a std::barrier for 3 gets only 2 arrivals.  All asleep.
#include "scen.hh"

#include <barrier>
#include <thread>

static std::barrier sync_point(3);

int main()
{
    std::thread t([] {
        scen_name("worker");
        sync_point.arrive_and_wait();
        scen_die("the barrier opened");
    });
    sync_point.arrive_and_wait();
    t.join();
    scen_die("the barrier opened");
}
