/* fork (copied address space), vfork + execve, threads with their own arenas and stacks,
 * memfd and SysV shared memory mappings. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>
static void *worker(void *arg)
{
    char *m = malloc(200000 + (long)arg);
    memset(m, 1, 1000);
    char *s = malloc(100);
    s[0] = 1;
    free(m);
    return s;
}
int main(void)
{
    pthread_t t[3];
    for (long i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    int mfd = memfd_create("scratch", MFD_CLOEXEC);
    ftruncate(mfd, 3 * 4096);
    char *mm = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
    mm[0] = 1;
    int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
    char *sh = shmat(id, NULL, 0);
    sh[0] = 1;
    pid_t c = fork();
    if (c == 0) {
        char *x = mmap(NULL, 40960, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        x[0] = 1;
        munmap(mm, 4096);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    pid_t v = vfork();
    if (v == 0) {
        execl("/bin/true", "true", (char *)NULL);
        _exit(127);
    }
    waitpid(v, NULL, 0);
    shmdt(sh);
    shmctl(id, IPC_RMID, NULL);
    munmap(mm, 3 * 4096);
    printf("ok\n");
    return 0;
}
