/* A small program whose memory the live tests check against the kernel's maps.
 * Usage: memory FILE-TO-MAP REPORT-FILE
 * Writes the addresses it got into REPORT-FILE, one "name address" a line. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void *worker(void *arg) {
  char *p = malloc(1000); /* first malloc in a thread: a new arena, mapped */
  memset(p, 1, 1000);
  usleep(20000);
  free(p);
  return arg;
}

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  FILE *report = fopen(argv[2], "w");
  char *big = malloc(1 << 20); /* above the 128 KiB threshold: its own mmap */
  memset(big, 2, 1 << 20);
  char *small = malloc(100); /* from the brk heap */
  int fd = open(argv[1], O_RDONLY);
  struct stat st;
  fstat(fd, &st);
  char *file = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  fprintf(report, "big %p\nsmall %p\nfile %p\n", (void *)big, (void *)small, (void *)file);
  fflush(report);
  pthread_t t[2];
  for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  munmap(file, st.st_size);
  free(big);
  fclose(report);
  return 0;
}
