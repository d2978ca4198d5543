/* Moves one mapping onto another with mremap(MREMAP_FIXED), then grows a large malloc chunk
   with realloc, which glibc does with mremap (mremap_chunk). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int main(void) {
  size_t len = 131072;
  char *a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (a == MAP_FAILED || b == MAP_FAILED) {
    return 1;
  }
  memset(a, 1, len);
  if (mremap(a, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, b) == MAP_FAILED) {
    return 2;
  }
  char *p = malloc(300000);
  memset(p, 2, 300000);
  p = realloc(p, 600000);
  if (p == NULL) {
    return 3;
  }
  p[599999] = 3;
  free(p);
  return 0;
}
