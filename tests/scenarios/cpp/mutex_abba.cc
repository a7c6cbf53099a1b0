/* SPDX-License-Identifier: MIT */
// Verdict: two threads take two std::mutex in opposite orders.  Deadlock.
#include "scen.hh"

#include <atomic>
#include <mutex>
#include <thread>

static std::mutex a, b;
static std::atomic<int> holding{0};

static void take(std::mutex &first, std::mutex &second, const char *name)
{
    scen_name(name);
    std::lock_guard<std::mutex> l1(first);
    holding++;
    while (holding.load() < 2) // both hold their first lock
        std::this_thread::yield();
    std::lock_guard<std::mutex> l2(second);
    scen_die("took both");
}

int main()
{
    std::thread t1(take, std::ref(a), std::ref(b), "ab");
    std::thread t2(take, std::ref(b), std::ref(a), "ba");
    t1.join();
    t2.join();
    scen_die("joined");
}
