#define _GNU_SOURCE
#include "CSpawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/* A descriptor of the child that is not 0, 1 or 2, so that installing one of them cannot overwrite another's
   source (kube9 started with a standard descriptor closed can get a pipe as 0, 1 or 2). */
static int above_standard(int descriptor) {
    if (descriptor < 0 || descriptor > 2) return descriptor;
    return fcntl(descriptor, F_DUPFD_CLOEXEC, 3);
}

/* Everything the child does between vfork and execve: only system calls, no allocation, no lock. On failure
   stores errno in `*failure` (the parent's memory, shared until execve) and exits 127. */
static void become_child(const char *path, char *const argv[], char *const envp[], int input, int output,
                         int error, int death_signal, int niceness, pid_t parent, volatile int *failure) {
    /* The kernel's sigaction, all zero: SIG_DFL, no flags, empty mask, whatever its layout. Through the system
       call, because glibc's wrapper refuses its two internal signals, and one the parent ignores stays ignored
       across execve. */
    uint64_t default_action[4] = {0, 0, 0, 0};
    for (int signal_number = 1; signal_number <= 64; signal_number++) {
        if (signal_number == SIGKILL || signal_number == SIGSTOP) continue;
        syscall(SYS_rt_sigaction, signal_number, default_action, NULL, sizeof(uint64_t));
    }
    if (setpgid(0, 0) < 0) goto failed;
    if (niceness != 0) {
        errno = 0;
        int current = getpriority(PRIO_PROCESS, 0);
        if (errno == 0) setpriority(PRIO_PROCESS, 0, current + niceness);
    }
    if (death_signal != 0) {
        if (prctl(PR_SET_PDEATHSIG, death_signal) < 0) goto failed;
        /* The parent died before the signal was set: it will never come. */
        if (getppid() != parent) { errno = ESRCH; goto failed; }
    }
    if (input < 0 && (input = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) goto failed;
    if (output < 0 || error < 0) {
        int null_out = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null_out < 0) goto failed;
        if (output < 0) output = null_out;
        if (error < 0) error = null_out;
    }
    if ((input = above_standard(input)) < 0 || (output = above_standard(output)) < 0
        || (error = above_standard(error)) < 0)
        goto failed;
    /* dup2 leaves the copy without close-on-exec. */
    if (dup2(input, 0) < 0 || dup2(output, 1) < 0 || dup2(error, 2) < 0) goto failed;
    if (syscall(SYS_close_range, 3, ~0U, 0) < 0) {
        /* Before Linux 5.9: close one by one. */
        long most = sysconf(_SC_OPEN_MAX);
        for (long descriptor = 3; descriptor < (most > 0 ? most : 1024); descriptor++) close((int)descriptor);
    }
    uint64_t none = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof none);
    execve(path, argv, envp);
failed:
    *failure = errno != 0 ? errno : EINVAL;
    _exit(127);
}

pid_t kube9_spawn(const char *path, char *const argv[], char *const envp[], int input, int output, int error,
                  int death_signal, int niceness) {
    /* No signal handler may run in the child while it shares this process's memory: block every signal (glibc's
       internal ones included) in this thread until the child has exec'd or exited. */
    uint64_t every = ~(uint64_t)0, previous = 0;
    if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &every, &previous, sizeof every) < 0) return -errno;
    volatile int failure = 0;
    pid_t parent = getpid();
    pid_t child = vfork();
    if (child == 0) {
        become_child(path, argv, envp, input, output, error, death_signal, niceness, parent, &failure);
    }
    int spawn_error = child < 0 ? errno : failure;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &previous, NULL, sizeof previous);
    if (child < 0) return -spawn_error;
    if (spawn_error != 0) {
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
        return -spawn_error;
    }
    return child;
}

int kube9_pipe2(int fds[2], int flags) { return pipe2(fds, flags); }

int kube9_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int kube9_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int kube9_epoll_watch(int epoll, int descriptor) {
    struct epoll_event event = {.events = EPOLLIN, .data = {.fd = descriptor}};
    return epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event);
}

int kube9_epoll_unwatch(int epoll, int descriptor) { return epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, NULL); }

int kube9_epoll_wait(int epoll, int *ready, int capacity) {
    struct epoll_event events[64];
    if (capacity > 64) capacity = 64;
    int count = epoll_wait(epoll, events, capacity, -1);
    for (int index = 0; index < count; index++) ready[index] = events[index].data.fd;
    return count;
}

int kube9_eventfd(void) { return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }
