/* SPDX-License-Identifier: MIT */
// Verdict: a std::latch for 3 gets only 2 arrivals.  All asleep.
#include "scen.hh"

#include <latch>
#include <thread>

static std::latch done(3);

int main()
{
    std::thread t([] {
        scen_name("worker");
        done.arrive_and_wait();
        scen_die("the latch opened");
    });
    done.arrive_and_wait();
    t.join();
    scen_die("the latch opened");
}
