/* SPDX-License-Identifier: MIT */
/* A bank: 8 accounts, 4 tellers x 5000 transfers between random accounts,
 * each locking the two accounts in id order (never deadlocks) - except that
 * once, half-way, teller 0 makes one transfer locking the higher id first.
 * That single wrong order against the many right ones is one potential
 * deadlock: exactly one lock-order-inversion, on those two accounts.
 *
 * The wrong transfer happens while the other tellers wait at a barrier, and
 * only after every pair of accounts has been locked in the right order
 * (checked), so that the lock-order graph is complete by then and the run is
 * the same every time. */
#include "lo_common.h"

#define ACCOUNTS 8
#define TELLERS 4
#define TRANSFERS 5000
#define WRONG_HI 5 /* the wrong transfer: locks account 5, then 2 */
#define WRONG_LO 2

struct account {
    pthread_mutex_t m;
    long balance;
};

static struct account accounts[ACCOUNTS];
static atomic_int pair_seen[ACCOUNTS][ACCOUNTS];
static pthread_barrier_t halfway;

static void transfer_locked(struct account *from, struct account *to, long amount)
{
    from->balance -= amount;
    to->balance += amount;
}

/* the right way: lower id first */
static void transfer(int from, int to, long amount)
{
    int lo = from < to ? from : to, hi = from < to ? to : from;
    CHECK(pthread_mutex_lock(&accounts[lo].m));
    CHECK(pthread_mutex_lock(&accounts[hi].m));
    atomic_store(&pair_seen[lo][hi], 1);
    transfer_locked(&accounts[from], &accounts[to], amount);
    CHECK(pthread_mutex_unlock(&accounts[hi].m));
    CHECK(pthread_mutex_unlock(&accounts[lo].m));
}

/* the one wrong transfer: higher id first */
static void transfer_wrong_order(int from, int to, long amount)
{
    CHECK(pthread_mutex_lock(&accounts[from].m));
    CHECK(pthread_mutex_lock(&accounts[to].m));
    transfer_locked(&accounts[from], &accounts[to], amount);
    CHECK(pthread_mutex_unlock(&accounts[to].m));
    CHECK(pthread_mutex_unlock(&accounts[from].m));
}

static unsigned next_rand(unsigned *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void some_transfers(unsigned *seed, int n)
{
    for (int k = 0; k < n; k++) {
        int from = (int)(next_rand(seed) % ACCOUNTS);
        int to = (int)(next_rand(seed) % (ACCOUNTS - 1));
        if (to >= from)
            to++;
        transfer(from, to, (long)(next_rand(seed) % 100));
    }
}

static void *teller(void *arg)
{
    int id = (int)(intptr_t)arg;
    char name[16];
    snprintf(name, sizeof name, "teller%d", id);
    scen_name(name);
    snprintf(name, sizeof name, "tid_teller%d", id);
    scen_note(name, (long)scen_gettid());
    unsigned seed = 2463534242u + (unsigned)id * 7919u;
    some_transfers(&seed, TRANSFERS / 2);
    pthread_barrier_wait(&halfway);
    if (id == 0) {
        for (int i = 0; i < ACCOUNTS; i++)
            for (int j = i + 1; j < ACCOUNTS; j++)
                if (!atomic_load(&pair_seen[i][j]))
                    scen_die("accounts %d and %d never locked together before the wrong transfer", i, j);
        transfer_wrong_order(WRONG_HI, WRONG_LO, 1);
    }
    pthread_barrier_wait(&halfway);
    some_transfers(&seed, TRANSFERS - TRANSFERS / 2);
    return NULL;
}

int main(void)
{
    pthread_t t[TELLERS];
    long total = 0;
    CHECK(pthread_barrier_init(&halfway, NULL, TELLERS));
    for (int i = 0; i < ACCOUNTS; i++) {
        CHECK(pthread_mutex_init(&accounts[i].m, NULL));
        accounts[i].balance = 1000;
    }
    lo_note_lock("hi", &accounts[WRONG_HI].m);
    lo_note_lock("lo", &accounts[WRONG_LO].m);
    for (int i = 0; i < TELLERS; i++)
        CHECK(pthread_create(&t[i], NULL, teller, (void *)(intptr_t)i));
    for (int i = 0; i < TELLERS; i++)
        CHECK(pthread_join(t[i], NULL));
    for (int i = 0; i < ACCOUNTS; i++)
        total += accounts[i].balance;
    if (total != 1000L * ACCOUNTS)
        scen_die("money appeared or vanished: total %ld", total);
    return 0;
}
