/* A second thread replaces the process with execve (strace-format.md 4.8). Under strace -ff the
 * thread's file ends with "execve(... <pid changed to LEADER ...>" and the leader's file goes on
 * with "+++ superseded by execve in pid THREAD +++" and "<... execve resumed>) = 0". */
#include <pthread.h>
#include <unistd.h>

static void *run(void *arg)
{
    (void)arg;
    char *argv[] = {"/bin/echo", "exec from thread", NULL};
    char *envp[] = {NULL};
    execve(argv[0], argv, envp);
    return NULL;
}

int main(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, run, NULL) != 0) {
        return 1;
    }
    pthread_join(t, NULL); /* never returns: the execve replaces the whole process */
    return 2;
}
