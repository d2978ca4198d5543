/* Prints where its variables live; `memtrace where ADDR` tells which region holds each. */
#include <stdio.h>
#include <stdlib.h>

int counter = 42;                 /* initialised data: .data */
static int zeroes[1000];          /* zero-initialised data: .bss */
const char greeting[] = "hello";  /* read-only data: .rodata */

int main(void) {
  int local = 1;                  /* the main thread's stack */
  char *small = malloc(100);      /* the heap (brk) */
  char *big = malloc(1 << 20);    /* its own mmap: above the mmap threshold */
  printf("main     %p\ncounter  %p\nzeroes   %p\ngreeting %p\nsmall    %p\nbig      %p\n"
         "local    %p\n", (void *)main, (void *)&counter, (void *)zeroes, (void *)greeting,
         (void *)small, (void *)big, (void *)&local);
  fflush(stdout);
  free(big);
  free(small);
  return zeroes[0] + local - 1;
}
