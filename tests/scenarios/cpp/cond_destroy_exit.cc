/* SPDX-License-Identifier: MIT */
// Verdict: detached threads wait on a static std::condition_variable that
// nobody notifies; main returns, and exit's static destructors destroy the
// condition variable, which (glibc 2.25+) waits for its waiters forever.
#include "scen.hh"

#include <condition_variable>
#include <mutex>
#include <thread>

static std::mutex m;
static std::condition_variable cv;
static int waiting;

int main()
{
    for (int i = 0; i < 3; i++)
        std::thread([] {
            scen_name("waiter");
            std::unique_lock<std::mutex> l(m);
            waiting++;
            cv.notify_all();
            cv.wait(l, [] { return false; });
        }).detach();
    std::unique_lock<std::mutex> l(m);
    while (waiting < 3)
        cv.wait(l);
    return 0; // exit runs ~condition_variable
}
