/* SPDX-License-Identifier: MIT */
/* demo-deadlock: two bank tellers move money between the same two accounts
 * in opposite directions. Each locks the account it takes money from, then
 * the one it pays into: teller-1 locks checking then savings, teller-2
 * savings then checking (the classic AB/BA deadlock). A barrier makes sure
 * both hold their first lock before either asks for the second, so the hang
 * happens on every run.
 *
 * Plain run: hangs forever.
 * Under asleep (scripts/asleep -- build/examples/demo-deadlock): the deadlock
 * is reported on stderr and the program exits with status 2. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct account {
    const char *name;
    pthread_mutex_t lock;
    long balance;
};

struct transfer {
    const char *teller;
    struct account *from, *to;
    long amount;
};

static struct account checking = { "checking", PTHREAD_MUTEX_INITIALIZER, 1000 };
static struct account savings = { "savings", PTHREAD_MUTEX_INITIALIZER, 500 };
static pthread_barrier_t both_hold_one_lock;

static void *teller(void *arg)
{
    struct transfer *t = arg;

    pthread_setname_np(pthread_self(), t->teller);

    pthread_mutex_lock(&t->from->lock);
    printf("%s: locked %s, moving %ld to %s\n", t->teller, t->from->name, t->amount, t->to->name);

    pthread_barrier_wait(&both_hold_one_lock);

    pthread_mutex_lock(&t->to->lock);   /* never returns: the other teller holds it */
    t->from->balance -= t->amount;
    t->to->balance += t->amount;
    pthread_mutex_unlock(&t->to->lock);
    pthread_mutex_unlock(&t->from->lock);
    return NULL;
}

int main(void)
{
    struct transfer jobs[2] = {
        { "teller-1", &checking, &savings, 100 },
        { "teller-2", &savings, &checking, 50 },
    };
    pthread_t tid[2];
    int err;

    setvbuf(stdout, NULL, _IOLBF, 0);
    pthread_barrier_init(&both_hold_one_lock, NULL, 2);
    for (int i = 0; i < 2; i++) {
        err = pthread_create(&tid[i], NULL, teller, &jobs[i]);
        if (err) {
            fprintf(stderr, "pthread_create: %s\n", strerror(err));
            return EXIT_FAILURE;
        }
    }
    for (int i = 0; i < 2; i++)
        pthread_join(tid[i], NULL);

    printf("balances: checking %ld, savings %ld\n", checking.balance, savings.balance);
    return EXIT_SUCCESS;
}
