/* What do static and global variables become? Initialised ones are stored in the executable
 * (.data, mapped from the file); zero ones take no room in the file (.bss): the kernel maps
 * anonymous zero pages for the part that does not fit in the last data page. */
#include <stdio.h>

int initialised[256 * 1024] = {1};      /* 1 MiB in .data: file-backed rw-p */
static int zeroed[4 * 1024 * 1024];     /* 16 MiB in .bss: anonymous rw-p after the executable */
const char message[] = "constants go to .rodata";

int main(void) {
    zeroed[4 * 1024 * 1024 - 1] = initialised[0];
    printf("%s %d\n", message, zeroed[4 * 1024 * 1024 - 1]);
    return 0;
}
