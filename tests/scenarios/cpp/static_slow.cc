/* SPDX-License-Identifier: MIT */
// No verdict: a function-local static's initializer computes for a second
// and a half while three other threads wait for it (__cxa_guard_acquire).
#include "scen.hh"

#include <thread>
#include <vector>

static unsigned long &get()
{
    static unsigned long value = scen_crunch(1.5);
    return value;
}

int main()
{
    std::vector<std::thread> users;
    for (int i = 0; i < 3; i++)
        users.emplace_back([] {
            scen_name("user");
            if (get() == 0)
                scen_die("no value");
        });
    if (get() == 0)
        scen_die("no value");
    for (auto &u : users)
        u.join();
    return 0;
}
