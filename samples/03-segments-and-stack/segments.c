/* How big is each segment, and the stack? The program prints its own /proc/self/maps so the
 * trace's write() shows the kernel's view next to memtrace's. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

const char greeting[] = "read-only data lives in .rodata";   /* r--p of the executable */
int counter = 42;                                            /* .data: rw-p, from the file */
static char scratch[64 * 1024];                              /* .bss: rw-p, zero pages */

int main(void) {
    char local[4096];                                        /* [stack] */
    char *heap = malloc(64);                                 /* [heap] */
    scratch[0] = local[0] = heap[0] = (char)counter;
    int fd = open("/proc/self/maps", O_RDONLY);
    char buf[16384];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        write(1, buf, (size_t)n);
    }
    close(fd);
    printf("%s %d %d\n", greeting, scratch[0], local[0]);
    free(heap);
    return 0;
}
