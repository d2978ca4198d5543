/* Three threads, all started before any of them ends (no thread stack is reused), which then in
   turn (first, second, third) map 1 MiB of anonymous memory, write it and unmap it. Only the
   main thread mallocs, so no thread makes an arena of its own: the calls of each thread are the
   same from one run to the next. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SIZE (1 << 20)

static pthread_barrier_t all_started;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t next = PTHREAD_COND_INITIALIZER;
static long turn;

static void *work(void *arg) {
  long me = (long) arg;
  pthread_barrier_wait(&all_started);
  pthread_mutex_lock(&lock);
  while (turn != me) {
    pthread_cond_wait(&next, &lock);
  }
  char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p != MAP_FAILED) {
    memset(p, 1, SIZE);
    munmap(p, SIZE);
  }
  turn++;
  pthread_cond_broadcast(&next);
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  pthread_t t[3];
  char *block = malloc(200000);
  memset(block, 1, 200000);
  pthread_barrier_init(&all_started, NULL, 4);
  for (long i = 0; i < 3; i++) {
    pthread_create(&t[i], NULL, work, (void *) i);
  }
  pthread_barrier_wait(&all_started);
  for (int i = 0; i < 3; i++) {
    pthread_join(t[i], NULL);
  }
  free(block);
  return 0;
}
