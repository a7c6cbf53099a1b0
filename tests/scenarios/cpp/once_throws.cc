/* SPDX-License-Identifier: MIT */
// No verdict, and no stale record: a std::call_once routine throws (the
// exception unwinds through pthread_once and the shim's hook), the thread
// catches it, then another call runs the routine for good.  The thread then
// stays blocked until exit (a leak, on purpose): the exit dump shows what it
// holds, which must not include the once.
#include "scen.hh"

#include <atomic>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

static std::once_flag flag;
static std::atomic<int> ready{0};
static std::promise<void> *never = new std::promise<void>; // never destroyed: no broken_promise at exit

int main()
{
    std::thread([] {
        scen_name("thrower");
        try {
            std::call_once(flag, [] { throw std::runtime_error("first try fails"); });
            scen_die("call_once returned");
        } catch (const std::runtime_error &) {
        }
        int ran = 0;
        std::call_once(flag, [&ran] { ran = 1; });
        if (!ran)
            scen_die("the second call did not run the routine");
        ready = 1;
        never->get_future().wait();
    }).detach();
    while (!ready)
        std::this_thread::yield();
    return 0;
}
