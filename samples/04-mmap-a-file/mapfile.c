/* If I mmap a file, does it show up in the maps? When does it go away?
 * Maps the file given as argv[1] read-only, sums its bytes, unmaps it, then closes it. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    struct stat st;
    fstat(fd, &st);
    unsigned char *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    close(fd);                          /* the mapping outlives the descriptor */
    unsigned long sum = 0;
    for (off_t i = 0; i < st.st_size; i++) {
        sum += p[i];
    }
    munmap(p, (size_t)st.st_size);      /* now it is gone from the maps */
    printf("%lu\n", sum);
    return 0;
}
