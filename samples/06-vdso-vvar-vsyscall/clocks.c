/* What are [vvar], [vdso] and [vsyscall]? clock_gettime and gettimeofday run in the vDSO,
 * reading the clock the kernel publishes in [vvar]: they make no system call at all, so the
 * trace shows none for them. getpid has no vDSO version: it is a real syscall. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    struct timespec ts;
    struct timeval tv;
    for (int i = 0; i < 1000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        gettimeofday(&tv, NULL);
    }
    printf("pid %d, %ld.%09ld\n", (int)getpid(), (long)ts.tv_sec, ts.tv_nsec);
    return 0;
}
