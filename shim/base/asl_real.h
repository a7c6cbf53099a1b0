/* SPDX-License-Identifier: MIT */
/* The real (next in lookup order) implementations of every function the shim
 * interposes.  Resolved once, in the constructor; REAL() resolves lazily for
 * hooks that run before it (another preloaded library's constructor). */
#ifndef ASL_REAL_H
#define ASL_REAL_H

#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <semaphore.h>
#include <signal.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

/* X(return type, name, parameter list, symbol version or NULL) */
#define ASL_REAL_FUNCS(X)                                                                                             \
	X(int, pthread_create, (pthread_t *, const pthread_attr_t *, void *(*)(void *), void *), NULL)                \
	X(void, pthread_exit, (void *), NULL)                                                                         \
	X(int, pthread_join, (pthread_t, void **), NULL)                                                              \
	X(int, pthread_tryjoin_np, (pthread_t, void **), NULL)                                                        \
	X(int, pthread_timedjoin_np, (pthread_t, void **, const struct timespec *), NULL)                             \
	X(int, pthread_clockjoin_np, (pthread_t, void **, clockid_t, const struct timespec *), NULL)                  \
	X(int, pthread_detach, (pthread_t), NULL)                                                                     \
	X(int, pthread_mutex_init, (pthread_mutex_t *, const pthread_mutexattr_t *), NULL)                            \
	X(int, pthread_mutex_destroy, (pthread_mutex_t *), NULL)                                                      \
	X(int, pthread_mutex_lock, (pthread_mutex_t *), NULL)                                                         \
	X(int, pthread_mutex_trylock, (pthread_mutex_t *), NULL)                                                      \
	X(int, pthread_mutex_timedlock, (pthread_mutex_t *, const struct timespec *), NULL)                           \
	X(int, pthread_mutex_clocklock, (pthread_mutex_t *, clockid_t, const struct timespec *), NULL)                \
	X(int, pthread_mutex_unlock, (pthread_mutex_t *), NULL)                                                       \
	X(int, pthread_rwlock_rdlock, (pthread_rwlock_t *), NULL)                                                     \
	X(int, pthread_rwlock_wrlock, (pthread_rwlock_t *), NULL)                                                     \
	X(int, pthread_rwlock_tryrdlock, (pthread_rwlock_t *), NULL)                                                  \
	X(int, pthread_rwlock_trywrlock, (pthread_rwlock_t *), NULL)                                                  \
	X(int, pthread_rwlock_timedrdlock, (pthread_rwlock_t *, const struct timespec *), NULL)                       \
	X(int, pthread_rwlock_timedwrlock, (pthread_rwlock_t *, const struct timespec *), NULL)                       \
	X(int, pthread_rwlock_clockrdlock, (pthread_rwlock_t *, clockid_t, const struct timespec *), NULL)            \
	X(int, pthread_rwlock_clockwrlock, (pthread_rwlock_t *, clockid_t, const struct timespec *), NULL)            \
	X(int, pthread_rwlock_unlock, (pthread_rwlock_t *), NULL)                                                     \
	X(int, pthread_rwlock_init, (pthread_rwlock_t *, const pthread_rwlockattr_t *), NULL)                         \
	X(int, pthread_rwlock_destroy, (pthread_rwlock_t *), NULL)                                                    \
	X(int, pthread_cond_wait, (pthread_cond_t *, pthread_mutex_t *), "GLIBC_2.3.2")                               \
	X(int, pthread_cond_timedwait, (pthread_cond_t *, pthread_mutex_t *, const struct timespec *), "GLIBC_2.3.2") \
	X(int, pthread_cond_clockwait, (pthread_cond_t *, pthread_mutex_t *, clockid_t, const struct timespec *),     \
	  NULL)                                                                                                       \
	X(int, pthread_cond_destroy, (pthread_cond_t *), "GLIBC_2.3.2")                                               \
	X(int, pthread_once, (pthread_once_t *, void (*)(void)), NULL)                                                \
	X(void, call_once, (once_flag *, void (*)(void)), NULL)                                                       \
	X(int, pthread_cond_signal, (pthread_cond_t *), "GLIBC_2.3.2")                                                \
	X(int, pthread_cond_broadcast, (pthread_cond_t *), "GLIBC_2.3.2")                                             \
	X(int, sem_wait, (sem_t *), NULL)                                                                             \
	X(int, sem_trywait, (sem_t *), NULL)                                                                          \
	X(int, sem_timedwait, (sem_t *, const struct timespec *), NULL)                                               \
	X(int, sem_clockwait, (sem_t *, clockid_t, const struct timespec *), NULL)                                    \
	X(int, sem_post, (sem_t *), NULL)                                                                             \
	X(int, pthread_barrier_wait, (pthread_barrier_t *), NULL)                                                     \
	X(int, pthread_spin_lock, (pthread_spinlock_t *), NULL)                                                       \
	X(int, pthread_spin_trylock, (pthread_spinlock_t *), NULL)                                                    \
	X(int, pthread_spin_unlock, (pthread_spinlock_t *), NULL)                                                     \
	X(int, pthread_spin_init, (pthread_spinlock_t *, int), NULL)                                                  \
	X(int, pthread_spin_destroy, (pthread_spinlock_t *), NULL)                                                    \
	X(int, thrd_create, (thrd_t *, thrd_start_t, void *), NULL)                                                   \
	X(int, thrd_join, (thrd_t, int *), NULL)                                                                      \
	X(int, thrd_detach, (thrd_t), NULL)                                                                           \
	X(void, thrd_exit, (int), NULL)                                                                               \
	X(int, mtx_lock, (mtx_t *), NULL)                                                                             \
	X(int, mtx_trylock, (mtx_t *), NULL)                                                                          \
	X(int, mtx_timedlock, (mtx_t *__restrict, const struct timespec *__restrict), NULL)                           \
	X(int, mtx_unlock, (mtx_t *), NULL)                                                                           \
	X(int, cnd_wait, (cnd_t *, mtx_t *), NULL)                                                                    \
	X(int, cnd_timedwait, (cnd_t *__restrict, mtx_t *__restrict, const struct timespec *__restrict), NULL)        \
	X(ssize_t, read, (int, void *, size_t), NULL)                                                                 \
	X(ssize_t, __read_chk, (int, void *, size_t, size_t), NULL)                                                   \
	X(ssize_t, readv, (int, const struct iovec *, int), NULL)                                                     \
	X(ssize_t, write, (int, const void *, size_t), NULL)                                                          \
	X(ssize_t, writev, (int, const struct iovec *, int), NULL)                                                    \
	X(ssize_t, recv, (int, void *, size_t, int), NULL)                                                            \
	X(ssize_t, __recv_chk, (int, void *, size_t, size_t, int), NULL)                                              \
	X(ssize_t, recvfrom, (int, void *, size_t, int, struct sockaddr *, socklen_t *), NULL)                        \
	X(ssize_t, recvmsg, (int, struct msghdr *, int), NULL)                                                        \
	X(ssize_t, send, (int, const void *, size_t, int), NULL)                                                      \
	X(ssize_t, sendto, (int, const void *, size_t, int, const struct sockaddr *, socklen_t), NULL)                \
	X(ssize_t, sendmsg, (int, const struct msghdr *, int), NULL)                                                  \
	X(int, poll, (struct pollfd *, nfds_t, int), NULL)                                                            \
	X(int, ppoll, (struct pollfd *, nfds_t, const struct timespec *, const sigset_t *), NULL)                     \
	X(int, select, (int, fd_set *, fd_set *, fd_set *, struct timeval *), NULL)                                   \
	X(int, pselect, (int, fd_set *, fd_set *, fd_set *, const struct timespec *, const sigset_t *), NULL)         \
	X(int, epoll_wait, (int, struct epoll_event *, int, int), NULL)                                               \
	X(int, epoll_pwait, (int, struct epoll_event *, int, int, const sigset_t *), NULL)                            \
	X(int, epoll_create, (int), NULL)                                                                             \
	X(int, epoll_create1, (int), NULL)                                                                            \
	X(int, epoll_ctl, (int, int, int, struct epoll_event *), NULL)                                                \
	X(long, syscall, (long, ...), NULL)                                                                           \
	X(int, prctl, (int, ...), NULL)                                                                               \
	X(int, nanosleep, (const struct timespec *, struct timespec *), NULL)                                         \
	X(int, clock_nanosleep, (clockid_t, int, const struct timespec *, struct timespec *), NULL)                   \
	X(unsigned, sleep, (unsigned), NULL)                                                                          \
	X(int, usleep, (useconds_t), NULL)                                                                            \
	X(int, pipe, (int *), NULL)                                                                                   \
	X(int, pipe2, (int *, int), NULL)                                                                             \
	X(int, eventfd, (unsigned, int), NULL)                                                                        \
	X(int, socketpair, (int, int, int, int *), NULL)                                                              \
	X(int, close, (int), NULL)                                                                                    \
	X(int, close_range, (unsigned, unsigned, int), NULL)                                                          \
	X(void, closefrom, (int), NULL)                                                                               \
	X(int, fclose, (FILE *), NULL)                                                                                \
	X(FILE *, freopen, (const char *, const char *, FILE *), NULL)                                                \
	X(FILE *, freopen64, (const char *, const char *, FILE *), NULL)                                              \
	X(int, dup, (int), NULL)                                                                                      \
	X(int, dup2, (int, int), NULL)                                                                                \
	X(int, dup3, (int, int, int), NULL)                                                                           \
	X(int, posix_spawn,                                                                                           \
	  (pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *, char *const[],       \
	   char *const[]),                                                                                            \
	  NULL)                                                                                                       \
	X(int, posix_spawnp,                                                                                          \
	  (pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *, char *const[],       \
	   char *const[]),                                                                                            \
	  NULL)                                                                                                       \
	X(int, system, (const char *), NULL)                                                                          \
	X(int, clone, (int (*)(void *), void *, int, void *, ...), NULL)                                              \
	X(FILE *, popen, (const char *, const char *), NULL)                                                          \
	X(int, execve, (const char *, char *const[], char *const[]), NULL)                                            \
	X(int, execv, (const char *, char *const[]), NULL)                                                            \
	X(int, execvp, (const char *, char *const[]), NULL)                                                           \
	X(int, execvpe, (const char *, char *const[], char *const[]), NULL)                                           \
	X(int, sigaction, (int, const struct sigaction *, struct sigaction *), NULL)                                  \
	X(__sighandler_t, signal, (int, __sighandler_t), NULL)                                                        \
	X(__sighandler_t, bsd_signal, (int, __sighandler_t), NULL)                                                    \
	X(__sighandler_t, sysv_signal, (int, __sighandler_t), NULL)                                                   \
	X(__sighandler_t, sigset, (int, __sighandler_t), NULL)                                                        \
	X(void, _exit, (int), NULL)                                                                                   \
	X(void, _Exit, (int), NULL)                                                                                   \
	X(void, quick_exit, (int), NULL)

/* The shim is built with hidden visibility: only what carries this is seen
 * by the program (the interposers above and the asleep_shim_* entry points;
 * tests/tools/check_exports.sh checks the list). */
#define ASL_EXPORT __attribute__((visibility("default")))

#define ASL_REAL_FIELD(ret, name, params, ver) ret(*name) params;
struct asl_real_table {
	ASL_REAL_FUNCS(ASL_REAL_FIELD)
};
#undef ASL_REAL_FIELD

extern struct asl_real_table asl_real __attribute__((visibility("hidden")));

void asl_real_resolve(void);

/* The next pthread_mutex_lock and _unlock are glibc's own (no other
 * preloaded library wraps them): only then may the mutex hooks take and
 * give a default mutex in place (asl_mutex_take_default) without hiding
 * the calls from that library.  Set by asl_real_resolve. */
extern int asl_real_mutex_is_glibc __attribute__((visibility("hidden")));

/* The real function; resolves the table on first use if a hook runs before the
 * constructor did. */
#define REAL(name) (__builtin_expect(asl_real.name != NULL, 1) ? asl_real.name : (asl_real_resolve(), asl_real.name))

/* The real function, in a hook that has the thread's record: the
 * constructor resolved the table before it set any record (asl_init). */
#define REAL_RESOLVED(name) (asl_real.name)

#endif
