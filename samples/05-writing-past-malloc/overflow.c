/* After malloc, can I write to arbitrary cells? Writing past a 16-byte block lands in the next
 * block inside [heap]: the kernel does not notice (the page is mapped and writable), only malloc
 * might, later. A write one page past the end of [heap] touches unmapped memory: SIGSEGV. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
    char *p = malloc(16);
    char *q = malloc(64);
    printf("p=%p q=%p\n", (void *)p, (void *)q);
    fflush(stdout);
    for (int i = 0; i < 48; i++) {      /* 48 bytes past p's 16: over q's header and data */
        p[16 + i] = 'x';
    }
    char *end = sbrk(0);                /* the end of [heap] */
    printf("q[0]=%c heap end=%p\n", q[0], (void *)end);
    fflush(stdout);
    end[4096] = 'x';                    /* one page past [heap]: nothing is mapped there */
    return 0;
}
