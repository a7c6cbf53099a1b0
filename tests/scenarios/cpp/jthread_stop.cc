/* SPDX-License-Identifier: MIT */
// No verdict: std::jthread workers wait on a condition_variable_any with
// their stop_token; main waits until they all wait, then leaves scope: each
// jthread's destructor requests stop (which wakes it) and joins.
#include "scen.hh"

#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

static std::mutex m;
static std::condition_variable_any cv, all_waiting;
static int waiting;

int main()
{
    {
        std::vector<std::jthread> workers;
        for (int i = 0; i < 3; i++)
            workers.emplace_back([](std::stop_token st) {
                scen_name("worker");
                std::unique_lock<std::mutex> l(m);
                waiting++;
                all_waiting.notify_all();
                cv.wait(l, st, [] { return false; });
                if (!st.stop_requested())
                    scen_die("woken without a stop request");
            });
        std::unique_lock<std::mutex> l(m);
        all_waiting.wait(l, [] { return waiting == 3; });
    }
    return 0;
}
