/* SPDX-License-Identifier: MIT */
// Verdict: a thread holding a std::shared_mutex shared asks for it unique
// (an "upgrade" the type does not offer).  It waits for itself: deadlock.
#include "scen.hh"

#include <mutex>
#include <shared_mutex>

static std::shared_mutex m;

int main()
{
    std::shared_lock<std::shared_mutex> reader(m);
    std::unique_lock<std::shared_mutex> writer(m);
    scen_die("upgraded");
}
