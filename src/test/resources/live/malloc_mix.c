/* glibc malloc paths: brk heap growth and trim, mmap'd chunks, realloc by mremap, calloc,
 * aligned_alloc, and freeing everything again. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
int main(void)
{
    char *small[64];
    for (int i = 0; i < 64; i++) {
        small[i] = malloc(4000 + i * 100);
        small[i][0] = 1;
    }
    char *big = malloc(1 << 20);
    big[0] = 1;
    char *big2 = calloc(1, 300000);
    char *al = aligned_alloc(4096, 200000);
    al[0] = 1;
    big = realloc(big, 4 << 20);
    big[1] = 2;
    big = realloc(big, 200000);
    for (int i = 0; i < 64; i++)
        free(small[i]);
    free(big2);
    free(al);
    char *again = malloc(500000);
    again[0] = 1;
    free(again);
    free(big);
    printf("done\n");
    return 0;
}
