#define _GNU_SOURCE
/* Two threads that each malloc a big and a small block, a shared anonymous mapping written
 * across fork, a private file mapping, a realloc that grows an mmapped block, and finally a
 * write into the guard page below a thread's stack (SIGSEGV, SEGV_ACCERR). */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void *work(void *arg)
{
    size_t n = (size_t)arg;
    char *big = malloc(n);
    char *small = malloc(100);
    memset(big, 1, n);
    small[0] = big[0];
    free(big);
    free(small);
    return NULL;
}

static void *overflow(void *arg)
{
    (void)arg;
    pthread_attr_t a;
    pthread_getattr_np(pthread_self(), &a);
    void *lo;
    size_t sz;
    pthread_attr_getstack(&a, &lo, &sz);
    volatile char *guard = (char *)lo - 100; /* inside the guard page below the stack */
    *guard = 1;
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t[2];
    pthread_create(&t[0], NULL, work, (void *)300000);
    pthread_join(t[0], NULL);
    pthread_create(&t[1], NULL, work, (void *)500000);
    pthread_join(t[1], NULL);

    int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    *shared = 1;
    pid_t p = fork();
    if (p == 0) {
        *shared = 42;
        _exit(0);
    }
    waitpid(p, NULL, 0);
    printf("child wrote %d\n", *shared);

    int fd = open(argv[0], O_RDONLY);
    char *file = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("%c%c%c\n", file[1], file[2], file[3]);
    munmap(file, 8192);
    close(fd);

    char *r = malloc(1 << 20);
    r = realloc(r, 4 << 20);
    free(r);

    if (argc > 1) {
        pthread_create(&t[0], NULL, overflow, NULL);
        pthread_join(t[0], NULL);
    }
    return 0;
}
