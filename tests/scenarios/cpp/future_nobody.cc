/* SPDX-License-Identifier: MIT */
// Verdict: main waits on a std::future whose promise nobody fulfils (the
// promise is kept alive, so no broken_promise either).  All asleep.
#include "scen.hh"

#include <future>

int main()
{
    std::promise<int> p;
    std::future<int> f = p.get_future();
    f.wait();
    scen_die("the future became ready");
}
