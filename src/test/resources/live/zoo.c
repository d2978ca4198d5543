/* One of each: posix_memalign, calloc, realloc, SysV shm, memfd MAP_SHARED + msync, MAP_POPULATE,
 * madvise, mlock, heap growth after the threshold rose, malloc_trim. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>
#include <malloc.h>
int main(void){
  void *p; posix_memalign(&p, 65536, 300000); free(p);
  char *c = calloc(1, 1<<20); c[0]=1; free(c);
  char *m = malloc(150000); m = realloc(m, 600000); m = realloc(m, 200000); free(m);
  int id = shmget(IPC_PRIVATE, 1<<16, IPC_CREAT|0600); char *s = shmat(id, NULL, 0); s[0]=1; shmdt(s); shmctl(id, IPC_RMID, NULL);
  int fd = memfd_create("zoo", 0); ftruncate(fd, 8192); char *f = mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0); f[0]=1; msync(f, 8192, MS_SYNC); munmap(f, 8192);
  char *a = mmap(NULL, 1<<21, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE, -1, 0);
  madvise(a, 1<<21, MADV_HUGEPAGE); mlock(a, 4096); munlock(a, 4096); madvise(a, 1<<21, MADV_DONTNEED); munmap(a, 1<<21);
  for (int i=0;i<50;i++) { char *x = malloc(100000); x[0]=i; }
  malloc_trim(0);
  return 0;
}
