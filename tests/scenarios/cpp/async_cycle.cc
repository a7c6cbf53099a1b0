/* SPDX-License-Identifier: MIT */
// Verdict: two std::async tasks each wait for the other's result; main
// waits for the first.  All asleep.
#include "scen.hh"

#include <future>

static std::shared_future<int> a, b;
static std::promise<void> both_set;

int main()
{
    std::shared_future<void> go = both_set.get_future().share();
    a = std::async(std::launch::async, [go] {
            scen_name("task-a");
            go.wait();
            return b.get() + 1;
        }).share();
    b = std::async(std::launch::async, [go] {
            scen_name("task-b");
            go.wait();
            return a.get() + 1;
        }).share();
    both_set.set_value();
    a.wait();
    scen_die("a task finished");
}
