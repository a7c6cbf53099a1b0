/* SPDX-License-Identifier: MIT */
// Verdict: a thread waits on a std::condition_variable (or, with -DANY,
// std::condition_variable_any) that nobody notifies; main joins it.
#include "scen.hh"

#include <condition_variable>
#include <mutex>
#include <thread>

static std::mutex m;
#ifdef ANY
static std::condition_variable_any cv;
#else
static std::condition_variable cv;
#endif

int main()
{
    std::thread t([] {
        scen_name("waiter");
        std::unique_lock<std::mutex> l(m);
        cv.wait(l, [] { return false; });
    });
    t.join();
    scen_die("joined");
}
