/* SPDX-License-Identifier: MIT */
// No verdict: main waits on a std::latch that three slow workers count down.
#include "scen.hh"

#include <latch>
#include <thread>
#include <vector>

static std::latch done(3);

int main()
{
    std::vector<std::thread> workers;
    for (int i = 0; i < 3; i++)
        workers.emplace_back([i] {
            scen_name("worker");
            scen_crunch(0.4 * (i + 1));
            done.count_down();
        });
    done.wait();
    for (auto &w : workers)
        w.join();
    return 0;
}
