/* SPDX-License-Identifier: MIT */
// No verdict: main waits on a future that a worker fulfils after a second
// of computation.
#include "scen.hh"

#include <future>
#include <thread>

int main()
{
    std::promise<unsigned long> p;
    std::future<unsigned long> f = p.get_future();
    std::thread t([&p] {
        scen_name("computer");
        p.set_value(scen_crunch(1.0));
    });
    if (f.get() == 0)
        scen_die("no result");
    t.join();
    return 0;
}
