/* Is memory from mmap "the heap"? Two mallocs: a small one glibc serves from the brk heap,
 * a big one (above the 128 KiB mmap threshold) it serves with its own anonymous mmap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    char *small = malloc(100);          /* brk: lands in [heap] */
    char *big = malloc(1024 * 1024);    /* mmap: an anonymous region outside [heap] */
    memset(small, 'a', 100);
    memset(big, 'b', 1024 * 1024);
    printf("small=%p big=%p\n", (void *)small, (void *)big);
    free(big);                          /* munmap: given back at once */
    free(small);                        /* stays in [heap] for reuse */
    return 0;
}
