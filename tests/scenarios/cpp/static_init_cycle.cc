/* SPDX-License-Identifier: MIT */
// Verdict: a function-local static's initializer starts a thread that needs
// the same static, and joins it.  Deadlock: the initializer waits for the
// thread, which waits for the initializer.
#include "scen.hh"

#include <thread>

static int make();

static int &get()
{
    static int value = make();
    return value;
}

static int make()
{
    std::thread t([] {
        scen_name("second");
        int v = get();
        scen_die("got %d", v);
    });
    t.join();
    return 1;
}

int main()
{
    get();
    scen_die("initialized");
}
